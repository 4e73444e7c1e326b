import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributionOf, quantile, quantileOfCounts, round2 } from './metrics.stats.js';

describe('quantile (linear interpolation between closest ranks, type 7)', () => {
  it('matches hand-computed values', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7, 12);
    expect(quantile([1.5, 1.5, 6.5, 9], 0.9)).toBeCloseTo(8.25, 12);
    expect(quantile([14, 18, 32], 0.5)).toBe(18);
    expect(quantile([14, 18, 32], 0.9)).toBeCloseTo(29.2, 12);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeUndefined();
  });

  it('the median of an odd count is its middle value, of an even count the mean of the middle two', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 60 }), (values) => {
        const sorted = [...values].sort((a, b) => a - b);
        const n = sorted.length;
        const expected = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2;
        expect(quantile(sorted, 0.5)).toBeCloseTo(expected, 9);
      }),
    );
  });

  it('is monotone in p and stays between min and max', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (values, p, q) => {
        const sorted = [...values].sort((a, b) => a - b);
        const [lo, hi] = p <= q ? [p, q] : [q, p];
        expect(quantile(sorted, lo)!).toBeLessThanOrEqual(quantile(sorted, hi)! + 1e-9);
        expect(quantile(sorted, lo)!).toBeGreaterThanOrEqual(sorted[0]! - 1e-9);
        expect(quantile(sorted, hi)!).toBeLessThanOrEqual(sorted.at(-1)! + 1e-9);
      }),
    );
  });
});

describe('quantileOfCounts', () => {
  it('equals the quantile of the expanded histogram', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: -30, max: 900 }), { minLength: 1, maxLength: 30 }).chain((values) =>
          fc.tuple(fc.constant(values.sort((a, b) => a - b)), fc.array(fc.integer({ min: 0, max: 6 }), { minLength: values.length, maxLength: values.length })),
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ([values, counts], p) => {
          const histogram = values.map((value, i) => ({ value, count: counts[i]! }));
          const expanded = histogram.flatMap((bin) => Array.from({ length: bin.count }, () => bin.value));
          const expected = quantile(expanded, p);
          if (expected === undefined) expect(quantileOfCounts(histogram, p)).toBeUndefined();
          else expect(quantileOfCounts(histogram, p)).toBeCloseTo(expected, 9);
        },
      ),
    );
  });

  it('matches the hand-computed flow example: 14, 18 and 32 days', () => {
    const histogram = [14, 18, 32].map((value) => ({ value, count: 1 }));
    expect(quantileOfCounts(histogram, 0.5)).toBe(18);
    expect(quantileOfCounts(histogram, 0.9)).toBeCloseTo(29.2, 12);
    expect(quantileOfCounts([{ value: 5, count: 3 }, { value: 9, count: 1 }], 0.5)).toBe(5);
  });
});

describe('distributionOf', () => {
  it('gives min, median, p90 and max, rounded to two decimals, whatever the input order', () => {
    expect(distributionOf([4, 1, 3, 1])).toEqual({ min: 1, median: 2, p90: 3.7, max: 4 });
    expect(distributionOf([9, 1.5, 6.5, 1.5])).toEqual({ min: 1.5, median: 4, p90: 8.25, max: 9 });
    expect(distributionOf([1 / 3])).toEqual({ min: 0.33, median: 0.33, p90: 0.33, max: 0.33 });
    expect(distributionOf([])).toBeNull();
  });

  it('rounds half away from zero at two decimals', () => {
    expect(round2(1.005)).toBe(1.01);
    expect(round2(2.675)).toBe(2.68);
    expect(round2(0.1 + 0.2)).toBe(0.3);
  });
});
