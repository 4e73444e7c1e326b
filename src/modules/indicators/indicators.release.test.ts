import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageBandKeys } from './indicators.grid.js';
import { decodeMaster, encodeMaster } from './indicators.master-codec.js';
import { periodDimensions } from './indicators.periods.js';
import {
  computeRelease,
  isShown,
  masterDimensionsFor,
  recordDimensions,
  releasableThrough,
  releasePlan,
  type MonthExtract,
  type Release,
} from './indicators.release.js';
import { entriesOf, keyId } from './suppression.test-support.js';

/**
 * A release of the cases indicator from random frozen months: every master publishes true counts and
 * nothing below k, the linked masters agree on every statistic they share, and a later release keeps what
 * an earlier one showed.
 */

const caseDimensions = recordDimensions.cases; // userArea, siussArea, ageBand, sex, municipality
const record = fc.record({
  month: fc.integer({ min: 1, max: 12 }),
  key: fc.tuple(
    fc.constantFrom('family_minors', 'elderly', 'disability'),
    fc.constantFrom('1', '2', '3'),
    fc.constantFrom(...ageBandKeys.slice(0, 4), '85+'),
    fc.constantFrom('M', 'F'),
    fc.constantFrom('F205', 'H501', 'unknown'),
  ),
  count: fc.oneof(
    { arbitrary: fc.constant(1), weight: 3 },
    { arbitrary: fc.integer({ min: 2, max: 30 }), weight: 1 },
  ),
});
const dataset = fc.array(record, { minLength: 1, maxLength: 80 });

function extractsOf(records: Array<{ month: number; key: string[]; count: number }>): MonthExtract[] {
  const months = new Map<number, Map<string, { key: string[]; count: number }>>();
  for (const r of records) {
    const cells = months.get(r.month) ?? new Map<string, { key: string[]; count: number }>();
    const cell = cells.get(keyId(r.key));
    if (cell) cell.count += r.count;
    else cells.set(keyId(r.key), { key: [...r.key], count: r.count });
    months.set(r.month, cells);
  }
  return [...months].map(([month, cells]) => ({ month, cells: [...cells.values()] }));
}

/** The statistic an entry of a master stands for: period coordinates and a value or total per dimension. */
function statistics(release: Release): Map<string, Array<number | null>> {
  const seen = new Map<string, Array<number | null>>();
  for (const [key, master] of release.masters) {
    const dimensions = key.split(',');
    for (const entry of entriesOf(master)) {
      const id = keyId([
        entry.key[0]!,
        entry.key[1]!,
        ...caseDimensions.map((d) => (dimensions.includes(d) ? entry.key[2 + dimensions.indexOf(d)]! : null)),
      ]);
      seen.set(id, [...(seen.get(id) ?? []), entry.count]);
    }
  }
  return seen;
}

/** True count of a statistic by a plain scan of the records. */
function truth(
  records: Array<{ month: number; key: string[]; count: number }>,
  id: string,
  throughMonth: number,
) {
  const [quarter, monthOfQuarter, ...values] = JSON.parse(id) as Array<string | null>;
  return records
    .filter((r) => r.month <= throughMonth)
    .filter((r) => quarter === null || `Q${Math.ceil(r.month / 3)}` === quarter)
    .filter((r) => monthOfQuarter === null || String(((r.month - 1) % 3) + 1) === monthOfQuarter)
    .filter((r) => values.every((value, j) => value === null || r.key[j] === value))
    .reduce((sum, r) => sum + r.count, 0);
}

describe('computeRelease (properties)', () => {
  it('publishes true counts, nothing below k, and the same number or null for a statistic in every master', () => {
    fc.assert(
      fc.property(dataset, fc.integer({ min: 3, max: 5 }), (records, k) => {
        const release = computeRelease({
          indicator: 'cases',
          k,
          throughMonth: 12,
          extracts: extractsOf(records),
        });
        expect([...release.masters.keys()]).toHaveLength(10);
        for (const [id, counts] of statistics(release)) {
          expect(new Set(counts).size, id).toBe(1);
          const count = counts[0]!;
          const actual = truth(records, id, 12);
          if (count === null) expect(actual).toBeGreaterThan(0);
          else {
            expect(count).toBe(actual);
            expect(count === 0 || count >= k).toBe(true);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it('a later release keeps every number and null the earlier one showed', () => {
    fc.assert(
      fc.property(dataset, fc.integer({ min: 1, max: 11 }), (records, cutoff) => {
        const extracts = extractsOf(records);
        const early = computeRelease({ indicator: 'cases', k: 3, throughMonth: cutoff, extracts });
        const later = computeRelease({
          indicator: 'cases',
          k: 3,
          throughMonth: 12,
          extracts,
          previous: early,
        });
        for (const [key, master] of early.masters) {
          const after = new Map(entriesOf(later.masters.get(key)!).map((e) => [keyId(e.key), e.count]));
          for (const entry of entriesOf(master)) {
            if (isShown(entry.key, cutoff))
              expect(after.get(keyId(entry.key)), keyId(entry.key)).toBe(entry.count);
          }
        }
      }),
      { numRuns: 15 },
    );
  });

  it('stores and restores every master exactly', () => {
    fc.assert(
      fc.property(dataset, (records) => {
        const release = computeRelease({
          indicator: 'cases',
          k: 3,
          throughMonth: 12,
          extracts: extractsOf(records),
        });
        for (const [key, master] of release.masters) {
          const stored = JSON.parse(JSON.stringify(encodeMaster(master)));
          expect(decodeMaster([...periodDimensions, ...key.split(',')], 3, stored)).toEqual(master);
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe('release plan and calendar', () => {
  it('has one master per pair of the indicator’s dimensions; cases have no SIUSS code', () => {
    expect(releasePlan('cases')).toHaveLength(10);
    expect(releasePlan('interventions')).toHaveLength(15);
    expect(releasePlan('cases').flat()).not.toContain('siussCode');
    expect(masterDimensionsFor('cases', [])).toEqual(['userArea', 'siussArea']);
    expect(masterDimensionsFor('cases', ['sex'])).toEqual(['userArea', 'sex']);
    expect(masterDimensionsFor('interventions', ['ageBand', 'municipality'])).toEqual([
      'ageBand',
      'municipality',
    ]);
    expect(() => masterDimensionsFor('cases', ['siussCode'])).toThrow();
  });

  it('shows a month, a quarter or the year only once the release covers all of it', () => {
    expect(isShown(['Q1', '2', 'F'], 2)).toBe(true);
    expect(isShown(['Q1', '3', 'F'], 2)).toBe(false);
    expect(isShown(['Q1', null, 'F'], 2)).toBe(false);
    expect(isShown(['Q1', null, null], 3)).toBe(true);
    expect(isShown([null, null, null], 11)).toBe(false);
    expect(isShown([null, null, 'F'], 12)).toBe(true);
    expect(isShown([null, '1', 'F'], 12)).toBe(false);
  });

  it('releases a month from the first day of the second month after it, in Rome time', () => {
    expect(releasableThrough(2026, new Date('2026-11-27T10:00:00Z'))).toBe(9);
    expect(releasableThrough(2026, new Date('2026-10-31T23:30:00Z'))).toBe(9); // already 1 November in Rome (UTC+1)
    expect(releasableThrough(2026, new Date('2026-10-31T22:30:00Z'))).toBe(8);
    expect(releasableThrough(2025, new Date('2026-01-15T10:00:00Z'))).toBe(11);
    expect(releasableThrough(2025, new Date('2026-02-01T10:00:00Z'))).toBe(12);
    expect(releasableThrough(2027, new Date('2026-11-27T10:00:00Z'))).toBe(0);
  });
});
