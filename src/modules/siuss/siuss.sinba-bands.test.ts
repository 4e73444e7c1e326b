import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToDecimal, sumDecimals, toCents } from './siuss.decimal.js';
import { completedYears, sinbaAgeBand, sinbaIseeBand } from './siuss.sinba-bands.js';

describe('decimal strings', () => {
  it('convert to and from cents without floats', () => {
    expect(toCents('12.5')).toBe(1250n);
    expect(toCents('0.01')).toBe(1n);
    expect(toCents('9999999999.99')).toBe(999_999_999_999n);
    expect(centsToDecimal(5n)).toBe('0.05');
    expect(sumDecimals(['0.1', '0.2'])).toBe('0.30');
  });

  it.each(['1e3', '-1', '1.234', '01', '1,5', '', ' 1', 'NaN'])('refuse %j', (value) => {
    expect(() => toCents(value)).toThrow(RangeError);
  });

  it('round-trip', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 999_999_999_999n }), (c) => {
        expect(toCents(centsToDecimal(c))).toBe(c);
      }),
    );
  });
});

describe('sinbaAgeBand', () => {
  it.each([
    ['2020-03-10', '2020-03-10', '1'],
    ['2020-03-10', '2023-03-09', '1'],
    ['2020-03-10', '2023-03-10', '2'],
    ['2010-06-01', '2026-01-01', '6'],
    ['2008-01-01', '2025-12-31', '6'],
  ])('born %s, on %s → band %s', (born, on, band) => {
    expect(sinbaAgeBand(born, on)).toBe(band);
  });

  it('is null for adults and before birth', () => {
    expect(sinbaAgeBand('2008-01-01', '2026-01-01')).toBeNull();
    expect(sinbaAgeBand('2026-01-02', '2026-01-01')).toBeNull();
  });

  it('counts a 29 February birthday as reached on 1 March', () => {
    expect(completedYears('2020-02-29', '2023-02-28')).toBe(2);
    expect(completedYears('2020-02-29', '2023-03-01')).toBe(3);
  });
});

describe('sinbaIseeBand', () => {
  it.each([
    ['0', '1'],
    ['0.00', '1'],
    ['0.01', '2'],
    ['3000', '2'],
    ['3000.01', '3'],
    ['9000.00', '4'],
    ['12000.01', '6'],
    ['20000', '7'],
    ['20000.01', '8'],
    ['150000', '8'],
  ])('ISEE %s € → band %s', (isee, band) => {
    expect(sinbaIseeBand(isee)).toBe(band);
  });
});
