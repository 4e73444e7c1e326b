import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageBandKeys, type IndicatorDimension } from './indicators.grid.js';
import { decodeMaster, encodeMaster } from './indicators.master-codec.js';
import { periodDimensions } from './indicators.periods.js';
import {
  assertPublishable,
  breakdownsAllowed,
  computeMaster,
  computeTotals,
  isShown,
  recordDimensions,
  releasableThrough,
  type MonthExtract,
} from './indicators.release.js';
import { LockConflictError, type PublishedTable } from './suppression.js';
import { determinedEntries, entriesOf, keyId, type Key, type Relation } from './suppression.test-support.js';

/**
 * Releases of the cases indicator from random frozen months: true counts and nothing below k in every
 * master; every breakdown shows exactly the totals, and a two-dimension master exactly its one-dimension
 * tables; later releases keep what earlier ones showed; and the exact audit finds nothing determined in a
 * two-dimension master, all one-dimension masters and the totals together.
 */

const caseDimensions = recordDimensions.cases; // userArea, siussArea, ageBand, sex, municipality
interface CaseRecord {
  month: number;
  key: string[];
  count: number;
}
const record = (countWeight: number) =>
  fc.record({
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
      { arbitrary: fc.integer({ min: 2, max: 30 }), weight: countWeight },
    ),
  });
/** Sparse (most cells small) or denser record sets. */
const dataset = fc.oneof(
  fc.array(record(1), { minLength: 1, maxLength: 80 }),
  fc.array(record(3), { minLength: 100, maxLength: 250 }),
);
/** Enough records that every month's total reaches k, so breakdowns are published at all. */
const denseDataset = fc.array(record(8), { minLength: 150, maxLength: 300 });

function extractsOf(records: CaseRecord[]): MonthExtract[] {
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

/** True count of a master entry (period coordinates, then a value or total per master dimension). */
function truth(records: CaseRecord[], dimensions: string[], key: Key, throughMonth: number) {
  const [quarter, monthOfQuarter, ...values] = key;
  return records
    .filter((r) => r.month <= throughMonth)
    .filter((r) => quarter === null || `Q${Math.ceil(r.month / 3)}` === quarter)
    .filter((r) => monthOfQuarter === null || String(((r.month - 1) % 3) + 1) === monthOfQuarter)
    .filter((r) =>
      values.every(
        (value, j) => value === null || r.key[caseDimensions.indexOf(dimensions[j] as never)] === value,
      ),
    )
    .reduce((sum, r) => sum + r.count, 0);
}

function expectTrueCounts(
  records: CaseRecord[],
  dimensions: string[],
  master: PublishedTable,
  throughMonth: number,
) {
  for (const entry of entriesOf(master)) {
    const actual = truth(records, dimensions, entry.key, throughMonth);
    if (entry.count === null) expect(actual, keyId(entry.key)).toBeGreaterThan(0);
    else {
      expect(entry.count, keyId(entry.key)).toBe(actual);
      expect(entry.count === 0 || entry.count >= master.k).toBe(true);
    }
  }
}

/**
 * What a caller can know of a master: the entries of the periods it shows. Entries never shown (the m-th
 * month of every quarter, months not yet released) are unknowns like suppressed ones.
 */
function attackerView(table: PublishedTable, throughMonth: number): PublishedTable {
  const hide = (entry: PublishedTable['cells'][number]) => ({
    ...entry,
    count: isShown(entry.key, throughMonth) ? entry.count : null,
  });
  return { ...table, cells: table.cells.map(hide), margins: table.margins.map(hide) };
}

/** A release's masters computed eagerly, as the service would on request (null: not publishable). */
function release(records: CaseRecord[], k: number, throughMonth = 12) {
  const input = { indicator: 'cases' as const, k, throughMonth, extracts: extractsOf(records) };
  const totals = computeTotals(input);
  const attempt = (make: () => PublishedTable) => {
    try {
      return make();
    } catch (error) {
      if (error instanceof LockConflictError) return null;
      throw error;
    }
  };
  const ones = new Map(
    caseDimensions.map(
      (d) => [d, attempt(() => computeMaster({ ...input, dimensions: [d], totals }))] as const,
    ),
  );
  const pair = (dimensions: [IndicatorDimension, IndicatorDimension]) => {
    const margins = dimensions.map((d) => ones.get(d) ?? null);
    if (margins.some((m) => m === null)) return null;
    return attempt(() =>
      computeMaster({ ...input, dimensions, totals, margins: margins as PublishedTable[] }),
    );
  };
  return { input, totals, ones, pair };
}

/** Relations "entry of table t at key = entry of table u at key'", for the exact audit across tables. */
const same = (t: number, key: Key, u: number, other: Key): Relation => ({
  total: [t, key],
  members: [[u, other]],
});

/** Lifts a key of a table over `from` dimensions to the table over `to` (totals elsewhere). */
const lift = (key: Key, from: readonly string[], to: readonly string[]): Key => [
  key[0]!,
  key[1]!,
  ...to.map((d) => (from.includes(d) ? key[2 + from.indexOf(d)]! : null)),
];

const pairs = caseDimensions.flatMap((first, i) =>
  caseDimensions.slice(i + 1).map((second) => [first, second] as [IndicatorDimension, IndicatorDimension]),
);

describe('releases (properties)', () => {
  it('publish true counts and nothing below k; breakdowns show exactly the totals, or are withheld', () => {
    fc.assert(
      fc.property(dataset, fc.integer({ min: 3, max: 5 }), (records, k) => {
        const { totals, ones } = release(records, k);
        expectTrueCounts(records, [], totals, 12);
        const totalsById = new Map(entriesOf(totals).map((e) => [keyId(e.key), e.count]));
        for (const [dimension, master] of ones) {
          if (!breakdownsAllowed(totals, 12)) expect(master).toBeNull();
          if (!master) continue;
          expectTrueCounts(records, [dimension], master, 12);
          for (const entry of entriesOf(master)) {
            if (entry.key[2] === null && isShown(entry.key, 12)) {
              expect(entry.count).toBe(totalsById.get(keyId([entry.key[0]!, entry.key[1]!])));
            }
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a two-dimension table, all one-dimension tables and the totals together leave nothing determined', () => {
    let audited = 0;
    fc.assert(
      fc.property(
        denseDataset,
        fc.constantFrom(...pairs),
        fc.integer({ min: 3, max: 5 }),
        (records, dimensions, k) => {
          const { totals, ones, pair } = release(records, k);
          const master = pair(dimensions);
          if (!master) return; // too detailed for these numbers, or breakdowns withheld
          audited++;
          expectTrueCounts(records, dimensions, master, 12);
          const singles = caseDimensions.map((d) => ones.get(d)!);
          // Tables: 0 = the pair, 1 = the totals, 2… = the one-dimension masters in caseDimensions order.
          const tables = [master, totals, ...singles];
          const relations: Relation[] = [];
          for (const entry of entriesOf(totals)) {
            relations.push(same(1, entry.key, 0, lift(entry.key, [], dimensions)));
            singles.forEach((_, i) =>
              relations.push(same(1, entry.key, i + 2, lift(entry.key, [], [caseDimensions[i]!]))),
            );
          }
          const byKey = new Map(entriesOf(master).map((e) => [keyId(e.key), e.count]));
          singles.forEach((single, i) => {
            const d = caseDimensions[i]!;
            if (!dimensions.includes(d)) return;
            for (const entry of entriesOf(single)) {
              const key = lift(entry.key, [d], dimensions);
              relations.push(same(i + 2, entry.key, 0, key));
              if (isShown(entry.key, 12)) expect(byKey.get(keyId(key)), keyId(key)).toBe(entry.count);
            }
          });
          const determined = determinedEntries(
            tables.map((table) => attackerView(table, 12)),
            relations,
          );
          expect(determined.filter(([, key]) => isShown(key, 12))).toEqual([]);
        },
      ),
      // A fixed seed: the count below depends on the samples drawn, and must not fail one run in twenty.
      { numRuns: 40, seed: 20261127 },
    );
    expect(audited).toBeGreaterThan(10); // not vacuous: some pairs are too detailed even for these
  });

  it('all tables of a release together (beyond the certificates): the exact audit finds nothing determined', () => {
    let audited = 0;
    fc.assert(
      fc.property(denseDataset, (records) => {
        const { totals, ones, pair } = release(records, 3);
        const singles = caseDimensions.map((d) => ones.get(d));
        if (singles.some((single) => !single)) return;
        // Tables: 0 = the totals, 1… = the one-dimension masters, then every publishable pair.
        const tables: PublishedTable[] = [totals, ...(singles as PublishedTable[])];
        const dimensionsOf: string[][] = [[], ...caseDimensions.map((d) => [d])];
        for (const dimensions of pairs) {
          const master = pair(dimensions);
          if (master) {
            tables.push(master);
            dimensionsOf.push(dimensions);
          }
        }
        const relations: Relation[] = [];
        tables.forEach((table, t) => {
          const dimensions = dimensionsOf[t]!;
          for (const entry of entriesOf(table)) {
            const kept = dimensions.filter((_, j) => entry.key[2 + j] !== null);
            if (t === 0 || kept.length === dimensions.length) continue;
            const lower = kept.length === 0 ? 0 : 1 + caseDimensions.indexOf(kept[0] as never);
            relations.push(same(lower, lift(entry.key, dimensions, kept), t, entry.key));
          }
        });
        audited++;
        const determined = determinedEntries(
          tables.map((table) => attackerView(table, 12)),
          relations,
        );
        expect(determined.filter(([, key]) => isShown(key, 12))).toEqual([]);
      }),
      { numRuns: 20 },
    );
    expect(audited).toBeGreaterThan(10);
  });

  it('a later release keeps every number and null the earlier one showed', () => {
    fc.assert(
      fc.property(
        dataset,
        fc.constantFrom(...pairs),
        fc.integer({ min: 1, max: 11 }),
        (records, dimensions, cutoff) => {
          const early = release(records, 3, cutoff);
          const extracts = extractsOf(records);
          const base = { indicator: 'cases' as const, k: 3, throughMonth: 12, extracts };
          const totals = computeTotals({ ...base, previous: { throughMonth: cutoff, master: early.totals } });
          const keeps = (before: PublishedTable, after: PublishedTable) => {
            const byKey = new Map(entriesOf(after).map((e) => [keyId(e.key), e.count]));
            for (const entry of entriesOf(before)) {
              if (isShown(entry.key, cutoff))
                expect(byKey.get(keyId(entry.key)), keyId(entry.key)).toBe(entry.count);
            }
          };
          keeps(early.totals, totals);
          const earlyPair = early.pair(dimensions);
          if (!earlyPair || !breakdownsAllowed(totals, 12)) return;
          try {
            const margins = dimensions.map((d) =>
              computeMaster({
                ...base,
                dimensions: [d],
                totals,
                previous: { throughMonth: cutoff, master: early.ones.get(d)! },
              }),
            );
            const later = computeMaster({
              ...base,
              dimensions,
              totals,
              margins,
              previous: { throughMonth: cutoff, master: earlyPair },
            });
            margins.forEach((margin, j) => keeps(early.ones.get(dimensions[j]!)!, margin));
            keeps(earlyPair, later);
          } catch (error) {
            if (!(error instanceof LockConflictError)) throw error;
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it('store and restore every master exactly', () => {
    fc.assert(
      fc.property(dataset, fc.constantFrom(...pairs), (records, dimensions) => {
        const { totals, ones, pair } = release(records, 3);
        const masters: Array<[string[], PublishedTable | null]> = [
          [[], totals],
          ...[...ones].map(([d, m]): [string[], PublishedTable | null] => [[d], m]),
          [dimensions, pair(dimensions)],
        ];
        for (const [masterDimensions, master] of masters) {
          if (!master) continue;
          const stored = JSON.parse(JSON.stringify(encodeMaster(master)));
          expect(decodeMaster([...periodDimensions, ...masterDimensions], 3, stored)).toEqual(master);
        }
      }),
      { numRuns: 10 },
    );
  });
});

describe('masters and calendar', () => {
  it('publishes tables of at most two of the indicator’s dimensions; cases have no SIUSS code', () => {
    expect(() => assertPublishable('cases', [])).not.toThrow();
    expect(() => assertPublishable('interventions', ['siussCode', 'municipality'])).not.toThrow();
    expect(() => assertPublishable('cases', ['siussCode'])).toThrow();
    expect(() => assertPublishable('interventions', ['siussCode', 'ageBand', 'sex'])).toThrow();
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
