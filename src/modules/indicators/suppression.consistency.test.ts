import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parsePeriod,
  periodCoordinates,
  periodDimensions,
  periodDomains,
  periodSlice,
} from './indicators.periods.js';
import { viewOf } from './published-view.js';
import { suppressTable, suppressTableWithProof, type PublishedTable } from './suppression.js';
import {
  certificateProblems,
  determinedEntries,
  entriesOf,
  groupCells,
  keyId,
  referenceCounts,
  type Key,
  type Relation,
} from './suppression.test-support.js';

/**
 * Overlapping queries: a quarter and its three months, a 2-D table and its 1-D margin table. Answered as
 * views of one master table they never let a suppressed value be solved; suppressed independently they can.
 */

interface Dated {
  month: number; // 1–12 of 2026
  values: string[];
}

const monthKey = (month: number) => `2026-${String(month).padStart(2, '0')}`;
const dateOf = (month: number) => `${monthKey(month)}-15`;

/** Master over the year's calendar (quarter × month-of-quarter) and the requested dimensions. */
function yearMaster(records: Dated[], dimensions: string[], k: number) {
  const masterRecords = records.map((r) => [
    ...Object.values(periodCoordinates(dateOf(r.month))),
    ...r.values,
  ]);
  const proven = suppressTableWithProof({
    dimensions: [...periodDimensions, ...dimensions],
    cells: groupCells(masterRecords),
    k,
    domains: periodDomains,
  });
  return { ...proven, masterRecords };
}

const periodView = (master: PublishedTable, dimensions: string[], key: string) =>
  viewOf(master, { dimensions, fixed: periodSlice(parsePeriod(key)!) });

/** quarter[key] = Σ month[key] for every key of the quarter table (tables: 0 = quarter, 1–3 = months). */
const quarterRelations = (quarter: PublishedTable): Relation[] =>
  entriesOf(quarter).map((entry) => ({
    total: [0, entry.key],
    members: [1, 2, 3].map((t): [number, Key] => [t, entry.key]),
  }));

const datedCase = fc.record({
  dimensionCount: fc.integer({ min: 1, max: 2 }),
  k: fc.integer({ min: 2, max: 4 }),
  quarter: fc.integer({ min: 1, max: 4 }),
  groups: fc.array(
    fc.record({
      month: fc.integer({ min: 1, max: 12 }),
      values: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 })),
      multiplicity: fc.oneof(
        { arbitrary: fc.constant(1), weight: 3 },
        { arbitrary: fc.integer({ min: 2, max: 20 }), weight: 1 },
      ),
    }),
    { minLength: 1, maxLength: 60 },
  ),
});

describe('views of one master table', () => {
  it('a quarter and its three months: true counts, same nulls as the master, nothing solvable together', () => {
    fc.assert(
      fc.property(datedCase, ({ dimensionCount, k, quarter, groups }) => {
        const dimensions = ['area', 'band'].slice(0, dimensionCount);
        const records: Dated[] = groups.flatMap((g) =>
          Array.from({ length: g.multiplicity }, () => ({
            month: g.month,
            values: g.values.slice(0, dimensionCount).map(String),
          })),
        );
        const { table: master, proof, masterRecords } = yearMaster(records, dimensions, k);
        const months = [1, 2, 3].map((i) => (quarter - 1) * 3 + i);
        const periods = [`2026-Q${quarter}`, ...months.map(monthKey)];
        const views = periods.map((period) => periodView(master, dimensions, period));

        const masterById = new Map(entriesOf(master).map((entry) => [keyId(entry.key), entry]));
        const certified = new Set(proof.certificates.flatMap((c) => c.corners.map(keyId)));
        views.forEach((view, v) => {
          const inPeriod = records.filter((r) =>
            v === 0 ? months.includes(r.month) : r.month === months[v - 1],
          );
          const reference = referenceCounts(
            inPeriod.map((r) => r.values),
            dimensionCount,
          );
          const slice = periodSlice(parsePeriod(periods[v]!)!);
          for (const entry of entriesOf(view)) {
            const truth = reference.get(keyId(entry.key)) ?? 0;
            if (entry.count === null) expect(truth).toBeGreaterThan(0);
            else expect(entry.count).toBe(truth);
            const masterKey = [slice.periodQuarter ?? null, slice.periodMonthOfQuarter ?? null, ...entry.key];
            expect(masterById.get(keyId(masterKey))).toEqual({ ...entry, key: masterKey });
            if (entry.count === null) expect(certified.has(keyId(masterKey))).toBe(true);
          }
        });
        // The certificates move records without changing any published master entry, so none of the views.
        for (const certificate of proof.certificates) {
          const step = certificate.maxStep === null || certificate.maxStep >= 1 ? 1 : -1;
          expect(certificateProblems(masterRecords, master, certificate, step)).toEqual([]);
        }
        expect(determinedEntries(views, quarterRelations(views[0]!))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('a 2-D table and its 1-D margin tables: same nulls, nothing solvable together', () => {
    fc.assert(
      fc.property(datedCase, ({ k, groups }) => {
        const records = groups.flatMap((g) =>
          Array.from({ length: g.multiplicity }, () => g.values.map(String)),
        );
        const master = suppressTable({ dimensions: ['area', 'band'], cells: groupCells(records), k });
        const byArea = viewOf(master, { dimensions: ['area'] });
        const byBand = viewOf(master, { dimensions: ['band'] });
        const transposed = viewOf(master, { dimensions: ['band', 'area'] });
        const same = (t: number, key: Key, masterKey: Key): Relation => ({
          total: [t, key],
          members: [[0, masterKey]],
        });
        const relations: Relation[] = [
          ...entriesOf(byArea).map((e) => same(1, e.key, [e.key[0]!, null])),
          ...entriesOf(byBand).map((e) => same(2, e.key, [null, e.key[0]!])),
          ...entriesOf(transposed).map((e) => same(3, e.key, [e.key[1]!, e.key[0]!])),
        ];
        expect(determinedEntries([master, byArea, byBand, transposed], relations)).toEqual([]);
        const masterCounts = new Map(entriesOf(master).map((e) => [keyId(e.key), e.count]));
        for (const e of entriesOf(byArea)) expect(e.count).toBe(masterCounts.get(keyId([e.key[0]!, null])));
      }),
      { numRuns: 150 },
    );
  });

  it('rejects views that do not fit the master', () => {
    const master = suppressTable({ dimensions: ['a', 'b'], cells: [{ key: ['x', 'y'], count: 5 }], k: 3 });
    expect(() => viewOf(master, { dimensions: ['c'] })).toThrow(/dimensions of the master/);
    expect(() => viewOf(master, { dimensions: ['a', 'a'] })).toThrow(/distinct/);
    expect(() => viewOf(master, { dimensions: ['a'], fixed: { a: 'x' } })).toThrow(/not a free/);
    expect(() => viewOf(master, { dimensions: ['a'], fixed: { b: 'z' } })).toThrow(/not a value/);
    expect(viewOf(master, { dimensions: [], fixed: { b: 'y' } }).cells).toEqual([
      { key: [], count: 5, suppression: null },
    ]);
  });
});

describe('the same queries suppressed independently (why views are needed)', () => {
  it('lets a month cell be solved from the quarter and the other two months', () => {
    // Municipality A: 1 in January (suppressed with B), 4 in February, 5 in March, 10 in the quarter.
    const monthly = { 1: [1, 5, 6], 2: [4, 4, 4], 3: [5, 5, 5] } as Record<number, number[]>;
    const records: Dated[] = Object.entries(monthly).flatMap(([month, counts]) =>
      counts.flatMap((count, i) =>
        Array.from({ length: count }, () => ({ month: Number(month), values: ['ABC'[i]!] })),
      ),
    );
    const alone = (month: number[]) =>
      suppressTable({
        dimensions: ['municipality'],
        k: 3,
        cells: groupCells(records.filter((r) => month.includes(r.month)).map((r) => r.values)),
      });
    const independent = [alone([1, 2, 3]), alone([1]), alone([2]), alone([3])];
    expect(independent[1]!.cells[0]!.count).toBeNull();
    expect(determinedEntries(independent, quarterRelations(independent[0]!))).toContainEqual([1, ['A']]);

    const { table: master } = yearMaster(records, ['municipality'], 3);
    const views = ['2026-Q1', '2026-01', '2026-02', '2026-03'].map((p) =>
      periodView(master, ['municipality'], p),
    );
    expect(views[1]!.cells[0]!.count).toBeNull();
    expect(determinedEntries(views, quarterRelations(views[0]!))).toEqual([]);
  });

  it('lets a 2-D cell be solved from a 1-D table that publishes a row total the 2-D table hid', () => {
    const rows: Record<string, number[]> = { A: [1, 0, 4], B: [5, 3, 0], C: [50, 50, 50] };
    const cells = Object.entries(rows).flatMap(([row, counts]) =>
      counts.map((count, c) => ({ key: [row, 'xyz'[c]!], count })),
    );
    const twoD = suppressTable({ dimensions: ['row', 'col'], cells, k: 3 });
    expect(entriesOf(twoD).find((e) => keyId(e.key) === keyId(['A', null]))?.count).toBeNull();

    const rowTotals = Object.entries(rows).map(([row, counts]) => ({
      key: [row],
      count: counts.reduce((a, b) => a + b),
    }));
    const oneD = suppressTable({ dimensions: ['row'], cells: rowTotals, k: 3 });
    const link = (table: PublishedTable): Relation[] =>
      entriesOf(table).map((e) => ({ total: [1, e.key], members: [[0, [e.key[0]!, null]]] }));
    expect(determinedEntries([twoD, oneD], link(oneD))).toContainEqual([0, ['A', 'x']]);

    const asView = viewOf(twoD, { dimensions: ['row'] });
    expect(determinedEntries([twoD, asView], link(asView))).toEqual([]);
  });
});
