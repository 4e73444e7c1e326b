import { z } from 'zod';

/**
 * Fixed reporting periods (SPEC §8: month, quarter, year; no date finer than a month).
 *
 * Only whole calendar months, quarters and years can be requested, so any two requested periods are either
 * nested or disjoint: no caller can ask for "1–20 March" and "1–21 March" and difference the two.
 *
 * Keys: `2026` (year), `2026-Q1` (quarter), `2026-01` (month).
 *
 * Inside one reference year the calendar hierarchy month ⊂ quarter ⊂ year is encoded as two crossed table
 * dimensions, quarter × month-of-quarter: the month 2026-05 is (Q2, 2), the quarter 2026-Q2 is (Q2, total),
 * the year is (total, total). A table protected over those two dimensions therefore contains every month,
 * quarter and the year as cells or margins, and one suppression pattern serves all of them consistently
 * (see `periodSlice` and `published-view.ts`).
 */

export const periodGranularities = ['month', 'quarter', 'year'] as const;
export type PeriodGranularity = (typeof periodGranularities)[number];

export interface Period {
  key: string;
  granularity: PeriodGranularity;
  year: number;
  /** 1–4 for quarters and months. */
  quarter?: number;
  /** 1–12 for months. */
  month?: number;
}

const yearPattern = /^(\d{4})$/;
const quarterPattern = /^(\d{4})-Q([1-4])$/;
const monthPattern = /^(\d{4})-(0[1-9]|1[0-2])$/;
const calendarDatePattern = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** Earliest year accepted: older keys are typing mistakes, not statistics anyone holds. */
const MIN_YEAR = 1900;

/** The requested period, or `null` if the string is not exactly one of the three fixed key shapes. */
export function parsePeriod(key: string): Period | null {
  let match = yearPattern.exec(key);
  if (match) return withYear({ key, granularity: 'year', year: Number(match[1]) });
  match = quarterPattern.exec(key);
  if (match)
    return withYear({ key, granularity: 'quarter', year: Number(match[1]), quarter: Number(match[2]) });
  match = monthPattern.exec(key);
  if (match) {
    const month = Number(match[2]);
    return withYear({
      key,
      granularity: 'month',
      year: Number(match[1]),
      quarter: quarterOfMonth(month),
      month,
    });
  }
  return null;
}

function withYear(period: Period): Period | null {
  return period.year >= MIN_YEAR ? period : null;
}

/** For request validation (`?period=`). */
export const periodKeySchema = z
  .string()
  .refine((value) => parsePeriod(value) !== null, { message: 'period must be YYYY, YYYY-Qn or YYYY-MM' });

function quarterOfMonth(month: number): number {
  return Math.floor((month - 1) / 3) + 1;
}

/**
 * A calendar date as `YYYY-MM-DD`. Timestamps must be turned into the Italian calendar date first
 * (`romeCalendarDate`): 23:30 UTC on 31 March is already April in Rome.
 */
export type CalendarDate = string;

/** `YYYY-MM-DD` of an instant in Europe/Rome. */
export function romeCalendarDate(instant: Date): CalendarDate {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(instant);
}

function parseCalendarDate(date: CalendarDate): { year: number; month: number } {
  const match = calendarDatePattern.exec(date);
  if (!match) throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

/** The key of the fixed period of `granularity` that contains `date`. */
export function periodKeyOf(date: CalendarDate, granularity: PeriodGranularity): string {
  const { year, month } = parseCalendarDate(date);
  switch (granularity) {
    case 'year':
      return String(year);
    case 'quarter':
      return `${year}-Q${quarterOfMonth(month)}`;
    case 'month':
      return monthKey(year, month);
  }
}

function firstMonthAndCount(period: Period): { first: number; count: number } {
  if (period.granularity === 'month') return { first: period.month ?? 1, count: 1 };
  if (period.granularity === 'quarter') return { first: ((period.quarter ?? 1) - 1) * 3 + 1, count: 3 };
  return { first: 1, count: 12 };
}

function monthKey(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, '0')}`;
}

/** Month keys covered by a period, in order (for the query's date range). */
export function monthsOf(period: Period): string[] {
  const { first, count } = firstMonthAndCount(period);
  return Array.from({ length: count }, (_, i) => monthKey(period.year, first + i));
}

/** Half-open calendar range [from, to) of a period, for SQL on date columns. */
export function periodDateRange(period: Period): { from: CalendarDate; to: CalendarDate } {
  const { first, count } = firstMonthAndCount(period);
  const end = first - 1 + count; // months after January of `period.year`
  return {
    from: `${monthKey(period.year, first)}-01`,
    to: `${monthKey(period.year + Math.floor(end / 12), (end % 12) + 1)}-01`,
  };
}

// ---- the year's calendar hierarchy as two table dimensions ----

export const PERIOD_QUARTER = 'periodQuarter';
export const PERIOD_MONTH_OF_QUARTER = 'periodMonthOfQuarter';
export const periodDimensions = [PERIOD_QUARTER, PERIOD_MONTH_OF_QUARTER] as const;
export const periodDomains = {
  [PERIOD_QUARTER]: ['Q1', 'Q2', 'Q3', 'Q4'],
  [PERIOD_MONTH_OF_QUARTER]: ['1', '2', '3'],
} as const satisfies Record<(typeof periodDimensions)[number], readonly string[]>;

/** The two period coordinates of a record dated `date`, for a table covering that date's year. */
export function periodCoordinates(date: CalendarDate): Record<(typeof periodDimensions)[number], string> {
  const { month } = parseCalendarDate(date);
  return {
    [PERIOD_QUARTER]: `Q${quarterOfMonth(month)}`,
    [PERIOD_MONTH_OF_QUARTER]: String(((month - 1) % 3) + 1),
  };
}

/**
 * Which slice of a year table a period is: the fixed coordinates to pass to `viewOf`. Dimensions not
 * fixed are read at their total, so a quarter is (Qn, total) and the year is (total, total).
 */
export function periodSlice(period: Period): Partial<Record<(typeof periodDimensions)[number], string>> {
  if (period.granularity === 'year') return {};
  const slice: Partial<Record<(typeof periodDimensions)[number], string>> = {
    [PERIOD_QUARTER]: `Q${period.quarter}`,
  };
  if (period.month !== undefined) slice[PERIOD_MONTH_OF_QUARTER] = String(((period.month - 1) % 3) + 1);
  return slice;
}
