/**
 * Summary statistics of a distribution (METRICS.md §Percentiles). Percentiles use linear interpolation
 * between closest ranks — Hyndman & Fan type 7, the method of PostgreSQL's percentile_cont, Excel's
 * PERCENTILE.INC and NumPy's default — so the median of an even count is the mean of the middle two. One
 * definition for the worker distributions and for the flow's days from referral (over a histogram).
 */
export interface Distribution {
  min: number;
  median: number;
  p90: number;
  max: number;
}

/** The p-th quantile (0 ≤ p ≤ 1) of values sorted ascending; undefined for no values. */
export function quantile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (h - below) * (upper - lower);
}

/**
 * The same quantile over a histogram — values ascending with how many times each occurs — without
 * expanding it: the ranks ⌊h⌋ and ⌊h⌋ + 1 are found by walking the cumulative counts.
 */
export function quantileOfCounts(histogram: readonly { value: number; count: number }[], p: number): number | undefined {
  const total = histogram.reduce((sum, bin) => sum + bin.count, 0);
  if (total === 0) return undefined;
  const h = (total - 1) * p;
  const below = Math.floor(h);
  const valueAtRank = (rank: number) => {
    let seen = 0;
    for (const bin of histogram) {
      seen += bin.count;
      if (rank < seen) return bin.value;
    }
    return histogram.at(-1)!.value;
  };
  const lower = valueAtRank(below);
  return lower + (h - below) * (valueAtRank(Math.min(below + 1, total - 1)) - lower);
}

/** Figures leave the service rounded to two decimals (weights are given with at most two). */
export const round2 = (value: number) => Math.round((value + Number.EPSILON) * 100) / 100;

export function distributionOf(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    min: round2(sorted[0]!),
    median: round2(quantile(sorted, 0.5)!),
    p90: round2(quantile(sorted, 0.9)!),
    max: round2(sorted.at(-1)!),
  };
}
