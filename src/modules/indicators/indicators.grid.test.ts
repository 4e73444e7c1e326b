import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageBandForAge,
  ageBandOf,
  ageBands,
  isDimensionValue,
  monthsOf,
  parseDimensionList,
  parsePeriod,
  periodCoordinates,
  periodDateRange,
  periodKeyOf,
  periodKeySchema,
  periodSlice,
  romeCalendarDate,
} from './indicators.grid.js';

const calendarDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((date) => date.toISOString().slice(0, 10));

describe('age bands', () => {
  it('cover every age exactly once, edges contiguous', () => {
    ageBands.forEach((band, i) => {
      if (i > 0) expect(band.min).toBe(ageBands[i - 1]!.max + 1);
    });
    expect(ageBands[0]!.min).toBe(0);
    expect(ageBandForAge(0)).toBe('0-2');
    expect(ageBandForAge(17)).toBe('14-17');
    expect(ageBandForAge(18)).toBe('18-24');
    expect(ageBandForAge(120)).toBe('85+');
    expect(() => ageBandForAge(-1)).toThrow();
    expect(() => ageBandForAge(2.5)).toThrow();
  });

  it('use completed years on the reference date', () => {
    expect(ageBandOf('2008-06-15', '2026-06-14')).toBe('14-17');
    expect(ageBandOf('2008-06-15', '2026-06-15')).toBe('18-24');
    expect(ageBandOf('2008-02-29', '2026-02-28')).toBe('14-17');
    expect(ageBandOf('2008-02-29', '2026-03-01')).toBe('18-24');
    expect(() => ageBandOf('2026-01-02', '2026-01-01')).toThrow();
  });
});

describe('periods', () => {
  it('accept only the three fixed key shapes', () => {
    expect(parsePeriod('2026')).toEqual({ key: '2026', granularity: 'year', year: 2026 });
    expect(parsePeriod('2026-Q2')).toEqual({
      key: '2026-Q2',
      granularity: 'quarter',
      year: 2026,
      quarter: 2,
    });
    expect(parsePeriod('2026-11')).toEqual({
      key: '2026-11',
      granularity: 'month',
      year: 2026,
      quarter: 4,
      month: 11,
    });
    for (const bad of [
      '2026-Q5',
      '2026-13',
      '2026-1',
      '2026-00',
      '26',
      '2026-01-01',
      '2026-W05',
      ' 2026',
      '1899',
      '',
    ]) {
      expect(parsePeriod(bad), bad).toBeNull();
      expect(periodKeySchema.safeParse(bad).success).toBe(false);
    }
    expect(periodKeySchema.safeParse('2026-Q4').success).toBe(true);
  });

  it('map every date to the period containing it, at every granularity', () => {
    fc.assert(
      fc.property(calendarDate, fc.constantFrom('month', 'quarter', 'year' as const), (date, granularity) => {
        const period = parsePeriod(periodKeyOf(date, granularity));
        expect(period?.granularity).toBe(granularity);
        const { from, to } = periodDateRange(period!);
        expect(from <= date && date < to).toBe(true);
        expect(monthsOf(period!)).toContain(date.slice(0, 7));
      }),
    );
  });

  it('nest months in quarters in years', () => {
    expect(monthsOf(parsePeriod('2026-Q4')!)).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(monthsOf(parsePeriod('2026')!)).toHaveLength(12);
    expect(periodDateRange(parsePeriod('2026-Q4')!)).toEqual({ from: '2026-10-01', to: '2027-01-01' });
    expect(periodDateRange(parsePeriod('2026-02')!)).toEqual({ from: '2026-02-01', to: '2026-03-01' });
  });

  it('place a date on the quarter × month-of-quarter grid where its period views look', () => {
    fc.assert(
      fc.property(calendarDate, (date) => {
        const coordinates = periodCoordinates(date);
        expect(periodSlice(parsePeriod(periodKeyOf(date, 'month'))!)).toEqual(coordinates);
        expect(periodSlice(parsePeriod(periodKeyOf(date, 'quarter'))!)).toEqual({
          periodQuarter: coordinates.periodQuarter,
        });
        expect(periodSlice(parsePeriod(periodKeyOf(date, 'year'))!)).toEqual({});
      }),
    );
  });

  it('take the Italian calendar date of an instant', () => {
    expect(romeCalendarDate(new Date('2026-03-31T22:30:00Z'))).toBe('2026-04-01');
    expect(romeCalendarDate(new Date('2026-01-31T22:30:00Z'))).toBe('2026-01-31');
    expect(() => periodKeyOf('2026-02-30x', 'month')).toThrow();
  });
});

describe('dimensions', () => {
  it('parse `by=` into the canonical order and reject unknown or repeated names', () => {
    expect(parseDimensionList('sex,ageBand')).toEqual(['ageBand', 'sex']);
    expect(parseDimensionList('')).toEqual([]);
    expect(parseDimensionList('sex,sex')).toBeNull();
    expect(parseDimensionList('sex,birthDate')).toBeNull();
  });

  it('check values against the fixed grid or the code pattern', () => {
    expect(isDimensionValue('sex', 'F')).toBe(true);
    expect(isDimensionValue('sex', 'X')).toBe(false);
    expect(isDimensionValue('siussArea', '3')).toBe(true);
    expect(isDimensionValue('userArea', 'elderly')).toBe(true);
    expect(isDimensionValue('ageBand', '85+')).toBe(true);
    expect(isDimensionValue('siussCode', 'A1.01.02')).toBe(true);
    expect(isDimensionValue('siussCode', 'A1.1')).toBe(false);
    expect(isDimensionValue('municipality', 'H501')).toBe(true);
    expect(isDimensionValue('municipality', 'unknown')).toBe(true);
    expect(isDimensionValue('municipality', '058091')).toBe(false);
  });
});
