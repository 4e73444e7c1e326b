import type { PublishedEntry, PublishedTable } from './suppression.js';

/**
 * A requested table as a view of a protected master table (the consistency rule in suppression.ts).
 *
 * The view keeps the master entries whose `fixed` dimensions equal the given values and whose other
 * non-requested dimensions are totals, and drops those coordinates. Nothing is recomputed or re-suppressed:
 * every number and every null of the view is the master's, so no combination of views of one master shows
 * more than the master does.
 *
 * Example: with a master over [periodQuarter, periodMonthOfQuarter, municipality, ageBand] for 2026,
 *   2026-Q1 by municipality          → viewOf(master, { dimensions: ['municipality'], fixed: { periodQuarter: 'Q1' } })
 *   2026-02 by municipality, ageBand → viewOf(master, { dimensions: ['municipality', 'ageBand'],
 *                                                         fixed: { periodQuarter: 'Q1', periodMonthOfQuarter: '2' } })
 * (`periodSlice` in indicators.periods.ts builds `fixed` from a period key.)
 */
export interface ViewRequest {
  /** Dimensions of the requested table, a subset of the master's, in the order wanted. */
  dimensions: readonly string[];
  /** Master dimensions held at one value (e.g. the period); the others not requested are read at their total. */
  fixed?: Readonly<Record<string, string | undefined>>;
}

export function viewOf(master: PublishedTable, request: ViewRequest): PublishedTable {
  const fixed = Object.entries(request.fixed ?? {}).filter(
    (pair): pair is [string, string] => pair[1] !== undefined,
  );
  const positions = request.dimensions.map((dimension) => master.dimensions.indexOf(dimension));
  if (positions.some((p) => p < 0) || new Set(positions).size !== positions.length) {
    throw new RangeError(`requested dimensions must be distinct dimensions of the master table`);
  }
  // What each master coordinate must be: undefined = any (requested), null = total, string = fixed value.
  const wanted: Array<string | null | undefined> = master.dimensions.map(() => null);
  for (const p of positions) wanted[p] = undefined;
  for (const [dimension, value] of fixed) {
    const p = master.dimensions.indexOf(dimension);
    if (p < 0 || positions.includes(p))
      throw new RangeError(`cannot fix ${dimension}: not a free master dimension`);
    if (!master.domains[p]!.includes(value)) throw new RangeError(`${value} is not a value of ${dimension}`);
    wanted[p] = value;
  }
  const selects = (entry: PublishedEntry) =>
    entry.key.every((value, i) => wanted[i] === undefined || wanted[i] === value);
  const project = (entry: PublishedEntry): PublishedEntry => ({
    ...entry,
    key: positions.map((p) => entry.key[p] ?? null),
  });
  const domains = positions.map((p) => [...master.domains[p]!]);
  const selected = [...master.cells, ...master.margins].filter(selects).map(project).sort(rowMajor(domains));
  return {
    dimensions: [...request.dimensions],
    domains,
    k: master.k,
    cells: selected.filter((entry) => !entry.key.includes(null)),
    margins: selected.filter((entry) => entry.key.includes(null)),
  };
}

/** Table order for the view's own dimension order: by value position, the total last. */
function rowMajor(domains: string[][]): (a: PublishedEntry, b: PublishedEntry) => number {
  const rank = (value: string | null, i: number) =>
    value === null ? domains[i]!.length : domains[i]!.indexOf(value);
  return (a, b) => {
    for (let i = 0; i < domains.length; i++) {
      const difference = rank(a.key[i] ?? null, i) - rank(b.key[i] ?? null, i);
      if (difference !== 0) return difference;
    }
    return 0;
  };
}
