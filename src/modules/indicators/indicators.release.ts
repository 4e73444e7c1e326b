import { fixedDomains, indicatorDimensions, type IndicatorDimension } from './indicators.grid.js';
import { periodDimensions, periodDomains, romeCalendarDate } from './indicators.periods.js';
import { LockConflictError, suppressTable, type LockedEntry, type PublishedTable } from './suppression.js';

/**
 * A release: every table of at most two dimensions of one organisation's indicator for one reference year,
 * over the months up to `throughMonth`, protected together (INDICATORS.md, "Releases").
 *
 * Masters: one per pair of dimensions, over quarter × month-of-quarter × the pair, so a month, its quarter
 * and the year, and the pair's one-dimension margins and totals, are all views of it (published-view.ts).
 * The masters overlap: {ageBand, sex} and {ageBand, municipality} share the by-ageBand table, every master
 * shares the totals. They are suppressed as linked tables: repeatedly, each with every shared entry that
 * any master suppressed forced to suppressed, until none changes — so any two tables show the same number
 * or null for the same statistic, whichever master answers.
 *
 * A later release of the same year (more months closed) must keep what the earlier one showed: its masters
 * are suppressed with those entries locked (suppression.ts, LOCKS), from the same frozen monthly data.
 */

export const indicatorKinds = ['cases', 'interventions'] as const;
export type IndicatorKind = (typeof indicatorKinds)[number];

/** The dimensions each indicator's records carry, in canonical order (a case has no SIUSS benefit code). */
export const recordDimensions: Record<IndicatorKind, readonly IndicatorDimension[]> = {
  cases: indicatorDimensions.filter((dimension) => dimension !== 'siussCode'),
  interventions: indicatorDimensions,
};

/** The frozen counts of one month: `key` has one value per record dimension of the indicator. */
export interface MonthExtract {
  month: number;
  cells: ReadonlyArray<{ key: readonly string[]; count: number }>;
}

export interface Release {
  k: number;
  throughMonth: number;
  /** By `dimensionsKey` of the master's (non-period) dimensions. */
  masters: Map<string, PublishedTable>;
}

export const dimensionsKey = (dimensions: readonly string[]) => dimensions.join(',');

/** The masters of a release: every pair of the indicator's dimensions, in canonical order. */
export function releasePlan(indicator: IndicatorKind): IndicatorDimension[][] {
  const dimensions = recordDimensions[indicator];
  return dimensions.flatMap((first, i) => dimensions.slice(i + 1).map((second) => [first, second]));
}

/**
 * The master that answers a table over `dimensions` (at most two): the first pair containing them. Any
 * other would give the same numbers and nulls (the masters are linked), this one is just canonical.
 */
export function masterDimensionsFor(
  indicator: IndicatorKind,
  dimensions: readonly string[],
): IndicatorDimension[] {
  const pair = releasePlan(indicator).find((plan) => dimensions.every((d) => (plan as string[]).includes(d)));
  if (!pair) throw new RangeError(`no master of ${indicator} contains ${dimensionsKey(dimensions)}`);
  return pair;
}

/** Months of `year` released at `now`: a month from the first day of the second month after it (Rome time). */
export function releasableThrough(year: number, now: Date): number {
  const today = romeCalendarDate(now);
  const currentMonth = Number(today.slice(0, 4)) * 12 + Number(today.slice(5, 7)) - 1;
  // One whole month after a month ends for late records (a referral entered days later), then it is frozen.
  const lastReleased = currentMonth - 2;
  return Math.max(0, Math.min(12, lastReleased - year * 12 + 1));
}

/**
 * Whether a release through `throughMonth` shows the master entry with these period coordinates: a month
 * or quarter it covers entirely, the year once complete. (Q total, month-of-quarter m) — "the m-th month
 * of every quarter" — is part of the master but never of a period, so never shown.
 */
export function isShown(key: ReadonlyArray<string | null>, throughMonth: number): boolean {
  const [quarter, monthOfQuarter] = key;
  if (quarter === null || quarter === undefined) return monthOfQuarter === null && throughMonth === 12;
  const q = Number(quarter.slice(1));
  const lastMonth =
    monthOfQuarter === null || monthOfQuarter === undefined ? 3 * q : 3 * (q - 1) + Number(monthOfQuarter);
  return lastMonth <= throughMonth;
}

export interface ReleaseInput {
  indicator: IndicatorKind;
  k: number;
  throughMonth: number;
  /** The frozen months 1..throughMonth of the year (missing months count as empty). */
  extracts: readonly MonthExtract[];
  /** The latest earlier release of the same organisation, indicator and year. */
  previous?: Release;
}

export function computeRelease(input: ReleaseInput): Release {
  const { indicator, k, throughMonth, previous } = input;
  if (previous && (previous.k !== k || previous.throughMonth >= throughMonth)) {
    throw new RangeError('a later release keeps the earlier k and covers more months');
  }
  const all = recordDimensions[indicator];
  const masters = releasePlan(indicator).map((dimensions) => {
    const positions = dimensions.map((dimension) => all.indexOf(dimension));
    return {
      key: dimensionsKey(dimensions),
      dimensions: [...periodDimensions, ...dimensions],
      cells: aggregate(input.extracts, positions, throughMonth),
      // Same statistic in every master: the period coordinates and a value or total per record dimension.
      statisticOf: (entryKey: ReadonlyArray<string | null>) =>
        JSON.stringify([
          entryKey[0],
          entryKey[1],
          ...all.map((d) => (dimensions.includes(d) ? entryKey[2 + dimensions.indexOf(d)] : null)),
        ]),
      shownBefore: previous ? shownEntries(previous, dimensionsKey(dimensions)) : [],
    };
  });

  const forced = new Set<string>();
  const tables = new Map<string, PublishedTable>();
  let pending = masters;
  while (pending.length > 0) {
    for (const master of pending) {
      const earlier = tables.get(master.key);
      const locks = new Map<string, LockedEntry>(
        master.shownBefore.map((entry) => [JSON.stringify(entry.key), entry]),
      );
      for (const entry of earlier ? [...earlier.cells, ...earlier.margins] : []) {
        if (!forced.has(master.statisticOf(entry.key))) continue;
        const id = JSON.stringify(entry.key);
        if (locks.get(id)?.suppressed === false) {
          throw new LockConflictError(`${id} was published by the earlier release`);
        }
        locks.set(id, { key: entry.key, suppressed: true });
      }
      tables.set(
        master.key,
        suppressTable({
          dimensions: master.dimensions,
          cells: master.cells,
          k,
          domains: { ...fixedDomains, ...periodDomains },
          locked: [...locks.values()],
        }),
      );
    }
    for (const master of pending) {
      const table = tables.get(master.key)!;
      for (const entry of [...table.cells, ...table.margins])
        if (entry.count === null) forced.add(master.statisticOf(entry.key));
    }
    pending = masters.filter((master) => {
      const table = tables.get(master.key)!;
      return [...table.cells, ...table.margins].some(
        (entry) => entry.count !== null && forced.has(master.statisticOf(entry.key)),
      );
    });
  }
  return { k, throughMonth, masters: tables };
}

/** Counts of a master's cells: [quarter, month-of-quarter, values at `positions`] summed over the months. */
function aggregate(extracts: readonly MonthExtract[], positions: number[], throughMonth: number) {
  const counts = new Map<string, { key: string[]; count: number }>();
  for (const { month, cells } of extracts) {
    if (month > throughMonth) continue;
    const period = [`Q${Math.ceil(month / 3)}`, String(((month - 1) % 3) + 1)];
    for (const cell of cells) {
      const key = [...period, ...positions.map((p) => cell.key[p]!)];
      const id = key.join('\u0000');
      const existing = counts.get(id);
      if (existing) existing.count += cell.count;
      else counts.set(id, { key, count: cell.count });
    }
  }
  return [...counts.values()];
}

function shownEntries(release: Release, key: string): LockedEntry[] {
  const master = release.masters.get(key);
  if (!master) return [];
  return [...master.cells, ...master.margins]
    .filter((entry) => isShown(entry.key, release.throughMonth))
    .map((entry) => ({ key: entry.key, suppressed: entry.count === null }));
}
