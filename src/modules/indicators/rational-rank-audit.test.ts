import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findDeterminedUnknowns, type SparseRow } from './rational-rank-audit.js';

/** Independent reference: x_i is determined iff appending e_i does not raise the rank (dense, fractions). */
function rank(matrix: bigint[][]): number {
  const rows = matrix.map((row) => row.map((value) => ({ n: value, d: 1n })));
  let rankSoFar = 0;
  const columns = rows[0]?.length ?? 0;
  for (let c = 0; c < columns && rankSoFar < rows.length; c++) {
    const pivot = rows.findIndex((row, r) => r >= rankSoFar && row[c]!.n !== 0n);
    if (pivot < 0) continue;
    [rows[rankSoFar], rows[pivot]] = [rows[pivot]!, rows[rankSoFar]!];
    const p = rows[rankSoFar]!;
    for (let r = rankSoFar + 1; r < rows.length; r++) {
      const row = rows[r]!;
      if (row[c]!.n === 0n) continue;
      // row := row − (row[c] / p[c]) · p, with fractions kept as n/d.
      const factor = { n: row[c]!.n * p[c]!.d, d: row[c]!.d * p[c]!.n };
      rows[r] = row.map((value, j) => {
        const sub = { n: factor.n * p[j]!.n, d: factor.d * p[j]!.d };
        return { n: value.n * sub.d - sub.n * value.d, d: value.d * sub.d };
      });
    }
    rankSoFar++;
  }
  return rankSoFar;
}

function referenceDetermined(matrix: bigint[][], unknowns: number): number[] {
  const base = rank(matrix);
  return Array.from({ length: unknowns }, (_, i) => i).filter((i) => {
    const unit = Array.from({ length: unknowns }, (_, j) => (j === i ? 1n : 0n));
    return rank([...matrix, unit]) === base;
  });
}

const toSparse = (matrix: bigint[][]): SparseRow[] =>
  matrix.map(
    (row) => new Map(row.flatMap((value, j): Array<[number, bigint]> => (value === 0n ? [] : [[j, value]]))),
  );

describe('findDeterminedUnknowns', () => {
  it('agrees with the rank test on random small integer systems', () => {
    const system = fc.integer({ min: 1, max: 6 }).chain((unknowns) =>
      fc.record({
        unknowns: fc.constant(unknowns),
        matrix: fc.array(
          fc.array(fc.oneof(fc.constant(0n), fc.bigInt({ min: -3n, max: 3n })), {
            minLength: unknowns,
            maxLength: unknowns,
          }),
          { maxLength: 7 },
        ),
      }),
    );
    fc.assert(
      fc.property(system, ({ unknowns, matrix }) => {
        expect(findDeterminedUnknowns(toSparse(matrix))).toEqual(referenceDetermined(matrix, unknowns));
      }),
      { numRuns: 500 },
    );
  });

  it('finds a cell pinned through a chain of lines', () => {
    // x0 + x1 = a, x1 + x2 = b, x0 − x2 = c: rank 2, nothing determined; adding x0 + x2 = d pins all three.
    const rows = [
      new Map([
        [0, 1n],
        [1, 1n],
      ]),
      new Map([
        [1, 1n],
        [2, 1n],
      ]),
      new Map([
        [0, 1n],
        [2, -1n],
      ]),
    ];
    expect(findDeterminedUnknowns(rows)).toEqual([]);
    expect(
      findDeterminedUnknowns([
        ...rows,
        new Map([
          [0, 1n],
          [2, 1n],
        ]),
      ]),
    ).toEqual([0, 1, 2]);
  });
});
