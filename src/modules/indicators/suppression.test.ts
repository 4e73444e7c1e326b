import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppressTable, suppressTableWithProof } from './suppression.js';
import {
  certificateProblems,
  determinedEntries,
  entriesOf,
  groupCells,
  keyId,
  linesOf,
  referenceCounts,
} from './suppression.test-support.js';

/** Random record sets over 1-3 dimensions with small domains, so small cells are frequent. */
const tableCase = fc
  .integer({ min: 1, max: 3 })
  .chain((d) =>
    fc.record({
      d: fc.constant(d),
      sizes: fc.array(fc.integer({ min: 1, max: d === 3 ? 5 : 7 }), { minLength: d, maxLength: d }),
      k: fc.integer({ min: 2, max: 5 }),
    }),
  )
  .chain(({ d, sizes, k }) =>
    fc.record({
      d: fc.constant(d),
      k: fc.constant(k),
      groups: fc.array(
        fc.record({
          key: fc.tuple(...sizes.map((size) => fc.integer({ min: 0, max: size - 1 }))),
          // Mostly single records (small cells), sometimes a big group (cells well above k).
          multiplicity: fc.oneof(
            { arbitrary: fc.constant(1), weight: 4 },
            { arbitrary: fc.integer({ min: 1, max: 3 }), weight: 2 },
            { arbitrary: fc.integer({ min: 3, max: 40 }), weight: 1 },
          ),
        }),
        { minLength: 1, maxLength: 2 * sizes.reduce((a, b) => a * b, 1), size: '+1' },
      ),
    }),
  )
  .map(({ d, k, groups }) => ({
    dimensions: Array.from({ length: d }, (_, j) => `dim${j}`),
    k,
    records: groups.flatMap(({ key, multiplicity }) =>
      Array.from({ length: multiplicity }, () => key.map((value, j) => `v${j}.${value}`)),
    ),
  }));

const protect = (c: { dimensions: string[]; k: number; records: string[][] }) =>
  suppressTableWithProof({ dimensions: c.dimensions, cells: groupCells(c.records), k: c.k });

describe('suppressTable (properties over random 1-D, 2-D and 3-D tables)', () => {
  it('publishes exactly the group-by counts, nothing with 0 < n < k, every zero, and suppresses every small entry', () => {
    fc.assert(
      fc.property(tableCase, (c) => {
        const { table } = protect(c);
        const reference = referenceCounts(c.records, c.dimensions.length);
        for (const entry of entriesOf(table)) {
          const truth = reference.get(keyId(entry.key)) ?? 0;
          if (entry.count !== null) {
            expect(entry.count).toBe(truth);
            expect(entry.count === 0 || entry.count >= c.k).toBe(true);
          } else {
            expect(truth).toBeGreaterThan(0); // zeros are never suppressed
            expect(entry.suppression).toBe(truth < c.k ? 'primary' : 'secondary');
          }
        }
        // Every cell and margin of the reference appears in the table.
        const keys = new Set(entriesOf(table).map((entry) => keyId(entry.key)));
        for (const id of reference.keys()) expect(keys.has(id)).toBe(true);
      }),
    );
  });

  it('leaves no line (members along one dimension plus their total) with exactly one suppressed entry', () => {
    fc.assert(
      fc.property(tableCase, (c) => {
        for (const line of linesOf(protect(c).table)) {
          const suppressed = [line.total, ...line.members].filter((entry) => entry.count === null).length;
          expect(suppressed === 0 || suppressed >= 2, keyId(line.total.key)).toBe(true);
        }
      }),
    );
  });

  it('leaves no suppressed entry determined by the published numbers (exact rational elimination)', () => {
    fc.assert(
      fc.property(tableCase, (c) => {
        expect(determinedEntries([protect(c).table])).toEqual([]);
      }),
    );
  });

  it('proves every suppressed entry undetermined over the integers with a checked certificate', () => {
    fc.assert(
      fc.property(tableCase, (c) => {
        const { table, proof } = protect(c);
        const certified = new Set(
          proof.certificates.flatMap((certificate) => certificate.corners.map(keyId)),
        );
        for (const entry of entriesOf(table)) {
          if (entry.count === null) expect(certified.has(keyId(entry.key)), keyId(entry.key)).toBe(true);
        }
        for (const certificate of proof.certificates) {
          const { minStep, maxStep } = certificate;
          expect(minStep <= -1 || maxStep === null || maxStep >= 1).toBe(true);
          const steps = [minStep, maxStep ?? 5, maxStep === null || maxStep >= 1 ? 1 : -1].filter(
            (s) => s !== 0,
          );
          for (const step of steps)
            expect(certificateProblems(c.records, table, certificate, step)).toEqual([]);
        }
      }),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(tableCase, (c) => {
        expect(protect(c)).toEqual(protect(c));
      }),
      { numRuns: 30 },
    );
  });
});

describe('suppressTable (examples)', () => {
  const oneDimension = (counts: number[], k = 3) =>
    suppressTable({ dimensions: ['area'], cells: counts.map((count, i) => ({ key: [`a${i}`], count })), k });
  const counts = (entries: Array<{ count: number | null }>) => entries.map((entry) => entry.count);

  it('does not stop at "two suppressed per line" when the ≥ 1 bound still pins the values', () => {
    // Suppressing only the two 1s would publish x + y = 7 − 5 = 2 with x, y ≥ 1: both exactly 1.
    const table = oneDimension([1, 1, 5]);
    expect(counts(table.cells)).toEqual([null, null, null]);
    expect(counts(table.margins)).toEqual([7]);
  });

  it('chooses the smallest non-zero complement and publishes zeros', () => {
    const table = oneDimension([2, 0, 9, 4, 30]);
    expect(counts(table.cells)).toEqual([null, 0, 9, null, 30]);
    expect(table.cells.map((entry) => entry.suppression)).toEqual(['primary', null, null, 'secondary', null]);
  });

  it('suppresses the total when nothing else can hide a small cell', () => {
    const table = oneDimension([1, 0, 0]);
    expect(counts([...table.cells, ...table.margins])).toEqual([null, 0, 0, null]);
  });

  it('lists every value of a fixed domain, with zeros', () => {
    const table = suppressTable({
      dimensions: ['sex', 'ageBand'],
      cells: [{ key: ['F', '0-2'], count: 4 }],
      k: 3,
      domains: { sex: ['M', 'F'] },
    });
    expect(table.domains).toEqual([['M', 'F'], ['0-2']]);
    expect(table.cells).toEqual([
      { key: ['M', '0-2'], count: 0, suppression: null },
      { key: ['F', '0-2'], count: 4, suppression: null },
    ]);
    expect(table.margins.at(-1)).toEqual({ key: [null, null], count: 4, suppression: null });
  });

  it('handles a table without dimensions (the grand total alone)', () => {
    expect(suppressTable({ dimensions: [], cells: [{ key: [], count: 2 }], k: 3 }).cells).toEqual([
      { key: [], count: null, suppression: 'primary' },
    ]);
  });

  it('rejects invalid input', () => {
    const cell = (key: string[], count: number) => ({ key, count });
    expect(() => suppressTable({ dimensions: ['a'], cells: [], k: 0 })).toThrow(/k must be/);
    expect(() => suppressTable({ dimensions: ['a', 'a'], cells: [], k: 3 })).toThrow(/unique/);
    expect(() => suppressTable({ dimensions: ['a'], cells: [cell(['x'], -1)], k: 3 })).toThrow(
      /non-negative/,
    );
    expect(() => suppressTable({ dimensions: ['a'], cells: [cell(['x'], 1), cell(['x'], 2)], k: 3 })).toThrow(
      /duplicate/,
    );
    expect(() => suppressTable({ dimensions: ['a'], cells: [cell(['x', 'y'], 1)], k: 3 })).toThrow(
      /one value per/,
    );
    expect(() =>
      suppressTable({ dimensions: ['a'], cells: [cell(['x'], 1)], k: 3, domains: { a: ['y'] } }),
    ).toThrow(/not in the grid/);
    const wide = Array.from({ length: 1001 }, (_, i) => String(i));
    expect(() =>
      suppressTable({ dimensions: ['a', 'b'], cells: [], k: 3, domains: { a: wide, b: wide } }),
    ).toThrow(/too large/);
  });
});
