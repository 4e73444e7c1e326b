import { fixedDomains, indicatorDimensions, type IndicatorDimension } from './indicators.grid.js';
import { periodDimensions, periodDomains, romeCalendarDate } from './indicators.periods.js';
import { LockConflictError, suppressTable, type LockedEntry, type PublishedTable } from './suppression.js';

/**
 * Releases of one organisation's indicator for one reference year (INDICATORS.md, "Releases").
 *
 * Every table is a view of a master over quarter × month-of-quarter × its dimensions, so a month, its
 * quarter and the year, and a table's margins, come from one suppression pattern (published-view.ts).
 *
 * A release (a version: the year's months up to `throughMonth`) has two levels:
 * - the base: one master per dimension, suppressed together as linked tables (each shown entry that any of
 *   them suppresses — the totals are in all of them — is forced suppressed in all, until none changes).
 *   The totals and every one-dimension table are views of it;
 * - two-dimension masters, computed when first asked for, each locked to the base (suppression.ts, LOCKS):
 *   its margins show exactly what the one-dimension tables show, and it never hides its small cells behind
 *   a number they publish. One that cannot be protected that way is too detailed for the organisation's
 *   numbers and is not published — rather than hiding totals and one-dimension tables for everyone.
 * A later release of the same year locks everything an earlier one showed, from the same frozen months.
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

/** The base of a release: the one-dimension masters, by dimension. */
export interface BaseRelease {
  k: number;
  throughMonth: number;
  masters: Map<string, PublishedTable>;
}

export const dimensionsKey = (dimensions: readonly string[]) => dimensions.join(',');

/** The master a table over `dimensions` (canonical order, at most two) is a view of. */
export function masterDimensionsFor(indicator: IndicatorKind, dimensions: readonly IndicatorDimension[]) {
  if (
    dimensions.some((dimension) => !recordDimensions[indicator].includes(dimension)) ||
    dimensions.length > 2
  ) {
    throw new RangeError(`${indicator} has no master for ${dimensionsKey(dimensions)}`);
  }
  // The totals are in every base master, identical in all of them: take the first.
  return dimensions.length === 0 ? [recordDimensions[indicator][0]!] : [...dimensions];
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
  if (!quarter) return !monthOfQuarter && throughMonth === 12;
  const q = Number(quarter.slice(1));
  const lastMonth = monthOfQuarter ? 3 * (q - 1) + Number(monthOfQuarter) : 3 * q;
  return lastMonth <= throughMonth;
}

interface MasterInput {
  indicator: IndicatorKind;
  k: number;
  throughMonth: number;
  /** The frozen months 1..throughMonth of the year (missing months count as empty). */
  extracts: readonly MonthExtract[];
}

/** The base of a release; `previous` is the base of the latest earlier release of the year. */
export function computeBaseRelease(input: MasterInput & { previous?: BaseRelease }): BaseRelease {
  const { indicator, k, throughMonth, previous } = input;
  if (previous && (previous.k !== k || previous.throughMonth >= throughMonth)) {
    throw new RangeError('a later release keeps the earlier k and covers more months');
  }
  const masters = recordDimensions[indicator].map((dimension) => ({
    dimension,
    cells: aggregate(input, [dimension]),
    // A master's entry stands for a statistic shared with the others only at the totals.
    statisticOf: (key: ReadonlyArray<string | null>) => (key[2] === null ? JSON.stringify(key) : null),
    shownBefore: previous ? shownLocks(previous.masters.get(dimension)!, previous.throughMonth) : [],
  }));
  const forced = new Set<string>();
  const tables = new Map<string, PublishedTable>();
  const isForced = (master: (typeof masters)[number], entry: { key: Array<string | null> }) => {
    const statistic = master.statisticOf(entry.key);
    return statistic !== null && forced.has(statistic);
  };
  let pending = masters;
  while (pending.length > 0) {
    for (const master of pending) {
      const locks = new LockSet(master.shownBefore);
      for (const entry of entriesOf(tables.get(master.dimension)))
        if (isForced(master, entry)) locks.add(entry.key, true);
      tables.set(master.dimension, protect(input, [master.dimension], master.cells, locks));
    }
    for (const master of pending) {
      for (const entry of entriesOf(tables.get(master.dimension))) {
        const statistic = master.statisticOf(entry.key);
        if (entry.count === null && statistic !== null && isShown(entry.key, throughMonth))
          forced.add(statistic);
      }
    }
    pending = masters.filter((master) =>
      entriesOf(tables.get(master.dimension)).some(
        (entry) => entry.count !== null && isForced(master, entry),
      ),
    );
  }
  return { k, throughMonth, masters: tables };
}

/**
 * A two-dimension master of a release, locked to its base and to the same master of an earlier release.
 * Throws LockConflictError when the table cannot be protected without changing what they show.
 */
export function computePairMaster(
  input: MasterInput & {
    dimensions: readonly [IndicatorDimension, IndicatorDimension];
    base: BaseRelease;
    previous?: { throughMonth: number; master: PublishedTable };
  },
): PublishedTable {
  const { dimensions, base, previous, throughMonth } = input;
  const locks = new LockSet(previous ? shownLocks(previous.master, previous.throughMonth) : []);
  dimensions.forEach((dimension, j) => {
    for (const lock of shownLocks(base.masters.get(dimension)!, throughMonth)) {
      // The one-dimension entry [q, m, v] is the pair entry [q, m, v, total] (or [q, m, total, v]).
      const key = [lock.key[0]!, lock.key[1]!, null, null];
      key[2 + j] = lock.key[2]!;
      locks.add(key, lock.suppressed);
    }
  });
  return protect(input, dimensions, aggregate(input, dimensions), locks);
}

/** Locks for what a master showed: its entries in periods the release covered, with their nulls. */
function shownLocks(master: PublishedTable, throughMonth: number): LockedEntry[] {
  return entriesOf(master)
    .filter((entry) => isShown(entry.key, throughMonth))
    .map((entry) => ({ key: entry.key, suppressed: entry.count === null }));
}

class LockSet {
  private readonly locks = new Map<string, LockedEntry>();

  constructor(initial: readonly LockedEntry[]) {
    for (const lock of initial) this.add(lock.key, lock.suppressed);
  }

  add(key: ReadonlyArray<string | null>, suppressed: boolean): void {
    const id = JSON.stringify(key);
    if (this.locks.get(id)?.suppressed === !suppressed) {
      throw new LockConflictError(`${id} is both published and suppressed by earlier tables`);
    }
    this.locks.set(id, { key, suppressed });
  }

  values(): LockedEntry[] {
    return [...this.locks.values()];
  }
}

function protect(
  input: MasterInput,
  dimensions: readonly string[],
  cells: Array<{ key: string[]; count: number }>,
  locks: LockSet,
): PublishedTable {
  return suppressTable({
    dimensions: [...periodDimensions, ...dimensions],
    cells,
    k: input.k,
    domains: { ...fixedDomains, ...periodDomains },
    locked: locks.values(),
  });
}

const entriesOf = (table: PublishedTable | undefined) => (table ? [...table.cells, ...table.margins] : []);

/** Counts of a master's cells: [quarter, month-of-quarter, values of `dimensions`] summed over the months. */
function aggregate(input: MasterInput, dimensions: readonly string[]) {
  const positions = dimensions.map((dimension) =>
    recordDimensions[input.indicator].indexOf(dimension as never),
  );
  const counts = new Map<string, { key: string[]; count: number }>();
  for (const { month, cells } of input.extracts) {
    if (month > input.throughMonth) continue;
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
