import { fixedDomains, indicatorDimensions, type IndicatorDimension } from './indicators.grid.js';
import { periodDimensions, periodDomains, romeCalendarDate } from './indicators.periods.js';
import { LockConflictError, suppressTable, type LockedEntry, type PublishedTable } from './suppression.js';

/**
 * Releases of one organisation's indicator for one reference year (INDICATORS.md, "Releases").
 *
 * Every table is a view of a master over quarter × month-of-quarter × its dimensions, so a month, its
 * quarter and the year, and a table's margins, come from one suppression pattern (published-view.ts).
 *
 * A release (a version: the year's months up to `throughMonth`) starts with the totals master (no other
 * dimension). Every other master is computed when first asked for, locked (suppression.ts, LOCKS) to what
 * the release already shows of it: the totals, and for a two-dimension master its two one-dimension
 * masters. A published total is then never a complement, so no certificate of a breakdown moves a total
 * and every certificate of a master is also a valid change of the tables it is locked to (a face of a cube
 * is a cube): a table, its sub-tables and all totals are protected together. That needs every shown total
 * published: while one is suppressed (a period with fewer than k records) breakdowns are not published,
 * and a table that cannot be protected under its locks — too detailed for the organisation's numbers — is
 * not published either, rather than hiding totals.
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

export const dimensionsKey = (dimensions: readonly string[]) => dimensions.join(',');

/** A table over `dimensions` (canonical order) is a view of the master over the same dimensions. */
export function assertPublishable(indicator: IndicatorKind, dimensions: readonly IndicatorDimension[]) {
  if (
    dimensions.length > 2 ||
    dimensions.some((dimension) => !recordDimensions[indicator].includes(dimension))
  ) {
    throw new RangeError(`${indicator} has no master for ${dimensionsKey(dimensions)}`);
  }
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
  /** The same master in the latest earlier release of the year that published it. */
  previous?: { throughMonth: number; master: PublishedTable };
}

/** The totals master of a release. */
export function computeTotals(input: MasterInput): PublishedTable {
  return protect(input, [], new LockSet(previousLocks(input)));
}

/** Whether breakdowns may be published: every total the release shows is published (none < k). */
export function breakdownsAllowed(totals: PublishedTable, throughMonth: number): boolean {
  return entriesOf(totals).every((entry) => entry.count !== null || !isShown(entry.key, throughMonth));
}

/**
 * A one- or two-dimension master, locked to the release's totals and (for two dimensions) to its two
 * one-dimension masters. Throws LockConflictError when it cannot be protected under those locks.
 */
export function computeMaster(
  input: MasterInput & {
    dimensions: readonly IndicatorDimension[];
    totals: PublishedTable;
    /** For two dimensions: the release's one-dimension masters of each, in order. */
    margins?: readonly PublishedTable[];
  },
): PublishedTable {
  const { dimensions, totals, margins = [], throughMonth } = input;
  if (!breakdownsAllowed(totals, throughMonth)) throw new LockConflictError('a shown total is suppressed');
  const locks = new LockSet(previousLocks(input));
  const lift = (key: ReadonlyArray<string | null>, at: number[]) =>
    dimensions.map((_, j) => (at.includes(j) ? key[2 + at.indexOf(j)]! : null));
  for (const lock of shownLocks(totals, throughMonth))
    locks.add([lock.key[0]!, lock.key[1]!, ...lift(lock.key, [])], lock.suppressed);
  margins.forEach((margin, j) => {
    // The one-dimension entry [q, m, v] is the pair entry [q, m, v, total] (or [q, m, total, v]).
    for (const lock of shownLocks(margin, throughMonth))
      locks.add([lock.key[0]!, lock.key[1]!, ...lift(lock.key, [j])], lock.suppressed);
  });
  return protect(input, dimensions, locks);
}

const previousLocks = (input: MasterInput) =>
  input.previous ? shownLocks(input.previous.master, input.previous.throughMonth) : [];

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

function protect(input: MasterInput, dimensions: readonly string[], locks: LockSet): PublishedTable {
  return suppressTable({
    dimensions: [...periodDimensions, ...dimensions],
    cells: aggregate(input, dimensions),
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
