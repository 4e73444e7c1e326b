import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { periodCoordinates, periodDimensions, periodDomains } from './indicators.periods.js';
import {
  LockConflictError,
  suppressTable,
  suppressTableWithProof,
  type LockedEntry,
  type PublishedTable,
} from './suppression.js';
import {
  certificateProblems,
  determinedEntries,
  entriesOf,
  groupCells,
  keyId,
} from './suppression.test-support.js';

/**
 * Locks (suppression.ts, LOCKS): a master extended by later months keeps every number and null the earlier
 * release showed and is itself protected (exact audit, checked certificates); since the earlier release
 * shows a subset of its entries, the two together reveal nothing more. Conflicts (locks that cannot hold)
 * must be rare, since each one refuses a request. (Locking a two-dimension table against an earlier
 * one-dimension release conflicts far too often; indicators.release.ts protects such tables together.)
 */

interface Dated {
  month: number;
  values: string[];
}

/** Sparse (mostly small cells) or denser record sets over 12 months × 3 × 4 values. */
const records = fc.oneof(
  fc.array(
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
  fc.array(
    fc.record({
      month: fc.integer({ min: 1, max: 12 }),
      values: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 3 })),
      multiplicity: fc.integer({ min: 1, max: 4 }),
    }),
    { minLength: 100, maxLength: 300 },
  ),
);
const expand = (groups: Array<{ month: number; values: number[]; multiplicity: number }>): Dated[] =>
  groups.flatMap((g) =>
    Array.from({ length: g.multiplicity }, () => ({ month: g.month, values: g.values.map(String) })),
  );

const dateOf = (month: number) => `2026-${String(month).padStart(2, '0')}-15`;
const asMasterRecord = (r: Dated, dimensions: number[]) => [
  ...Object.values(periodCoordinates(dateOf(r.month))),
  ...dimensions.map((j) => r.values[j]!),
];

function master(rs: Dated[], dimensions: number[], k: number, locked: LockedEntry[] = []) {
  const masterRecords = rs.map((r) => asMasterRecord(r, dimensions));
  const proven = suppressTableWithProof({
    dimensions: [...periodDimensions, ...dimensions.map((j) => `d${j}`)],
    cells: groupCells(masterRecords),
    k,
    domains: { ...periodDomains, d0: ['0', '1', '2'], d1: ['0', '1', '2', '3'] },
    locked,
  });
  return { ...proven, masterRecords };
}

function expectSound(
  table: PublishedTable,
  masterRecords: string[][],
  proof: ReturnType<typeof master>['proof'],
) {
  expect(determinedEntries([table])).toEqual([]);
  for (const certificate of proof.certificates) {
    const step = certificate.maxStep === null || certificate.maxStep >= 1 ? 1 : -1;
    expect(certificateProblems(masterRecords, table, certificate, step)).toEqual([]);
  }
}

describe('locked suppression (properties)', () => {
  it('a master extended by later months keeps what the earlier release showed', () => {
    let conflicts = 0;
    fc.assert(
      fc.property(
        records,
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 2, max: 4 }),
        (groups, cutoff, k) => {
          const all = expand(groups);
          const early = master(
            all.filter((r) => r.month <= cutoff),
            [0, 1],
            k,
          ).table;
          // Only the months the earlier release covered are shown (and locked); later months are new.
          const shown = entriesOf(early).filter((entry) => {
            const [quarter, month] = entry.key;
            if (!quarter || !month) return false;
            return (Number(quarter.slice(1)) - 1) * 3 + Number(month) <= cutoff;
          });
          const locked = shown.map((entry) => ({ key: entry.key, suppressed: entry.count === null }));
          try {
            const later = master(all, [0, 1], k, locked);
            const byKey = new Map(entriesOf(later.table).map((entry) => [keyId(entry.key), entry.count]));
            for (const entry of shown) expect(byKey.get(keyId(entry.key))).toBe(entry.count);
            expectSound(later.table, later.masterRecords, later.proof);
          } catch (error) {
            if (!(error instanceof LockConflictError)) throw error;
            conflicts++;
          }
        },
      ),
      { numRuns: 100 },
    );
    expect(conflicts).toBeLessThanOrEqual(2);
  });
});

describe('locked suppression (examples)', () => {
  const oneDimension = (counts: number[], locked: LockedEntry[] = [], k = 3) =>
    suppressTable({
      dimensions: ['area'],
      cells: counts.map((count, i) => ({ key: [`a${i}`], count })),
      k,
      locked,
    });
  const counts = (table: PublishedTable) => entriesOf(table).map((entry) => entry.count);

  it('never takes a locked published entry as a complement', () => {
    expect(counts(oneDimension([2, 4, 9]))).toEqual([null, null, 9, 15]);
    expect(counts(oneDimension([2, 4, 9], [{ key: ['a1'], suppressed: false }]))).toEqual([
      null,
      4,
      null,
      15,
    ]);
  });

  it('keeps a locked suppressed entry suppressed and protects it', () => {
    expect(counts(oneDimension([5, 6, 9], [{ key: ['a2'], suppressed: true }]))).toEqual([null, 6, null, 20]);
  });

  it('refuses locks that cannot hold', () => {
    expect(() => oneDimension([2, 4], [{ key: ['a0'], suppressed: false }])).toThrow(LockConflictError);
    expect(() => oneDimension([0, 4], [{ key: ['a0'], suppressed: true }])).toThrow(LockConflictError);
    // The only cube for a0 runs through the total, which an earlier release published.
    expect(() => oneDimension([2, 0], [{ key: [null], suppressed: false }])).toThrow(LockConflictError);
    expect(() => oneDimension([2, 4], [{ key: ['zz'], suppressed: false }])).toThrow(RangeError);
  });
});
