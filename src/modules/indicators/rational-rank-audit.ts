/**
 * Exact linear-algebra audit: which unknowns of a linear system Σ a_i·x_i = b have the same value in every
 * real solution. Unknown i is determined iff the unit vector e_i lies in the row space of the coefficient
 * matrix; in the reduced row echelon form (RREF) that is exactly "some row is e_i" (a row's entries in
 * pivot columns are zero except its own, so a combination equal to e_i can use only the row pivoting on i,
 * and that row must have no other entry).
 *
 * The elimination is fraction-free over the integers with bigint and each row divided by the gcd of its
 * entries, which is Gaussian elimination over the rationals with the denominators cleared: exact, no
 * floating point. Right-hand sides are not needed to decide determinacy.
 */

/** One equation: coefficient per unknown id (right-hand side omitted). */
export type SparseRow = Map<number, bigint>;

export function findDeterminedUnknowns(rows: Iterable<SparseRow>): number[] {
  const pivots = new Map<number, SparseRow>();
  for (const raw of rows) {
    const row = reduce(withoutZeros(raw), pivots);
    if (row.size === 0) continue; // redundant equation
    const pivot = choosePivot(row);
    if (row.get(pivot)! < 0n) negate(row);
    // Keep the form fully reduced: clear the new pivot column from the earlier pivot rows.
    for (const [column, other] of pivots) {
      if (other.has(pivot)) pivots.set(column, combine(other, row, pivot));
    }
    pivots.set(pivot, row);
  }
  const determined: number[] = [];
  for (const [column, row] of pivots) if (row.size === 1) determined.push(column);
  return determined.sort((a, b) => a - b);
}

function withoutZeros(row: SparseRow): SparseRow {
  const copy: SparseRow = new Map();
  for (const [column, value] of row) if (value !== 0n) copy.set(column, value);
  return copy;
}

/** Eliminates every pivot column from `row`. Pivot rows are zero in other pivot columns, so one pass does. */
function reduce(row: SparseRow, pivots: Map<number, SparseRow>): SparseRow {
  let current = row;
  for (const column of [...row.keys()]) {
    const pivotRow = pivots.get(column);
    if (pivotRow && current.has(column)) current = combine(current, pivotRow, column);
  }
  return normalise(current);
}

/** row·p − pivotRow·r where p, r are the two rows' entries in `column`: zero in `column`, primitive. */
function combine(row: SparseRow, pivotRow: SparseRow, column: number): SparseRow {
  const p = pivotRow.get(column)!;
  const r = row.get(column)!;
  const result: SparseRow = new Map();
  for (const [c, value] of row) result.set(c, value * p);
  for (const [c, value] of pivotRow) {
    const next = (result.get(c) ?? 0n) - value * r;
    if (next === 0n) result.delete(c);
    else result.set(c, next);
  }
  return normalise(result);
}

function normalise(row: SparseRow): SparseRow {
  let divisor = 0n;
  for (const value of row.values()) divisor = gcd(divisor, value < 0n ? -value : value);
  if (divisor > 1n) for (const [c, value] of row) row.set(c, value / divisor);
  return row;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function negate(row: SparseRow): void {
  for (const [c, value] of row) row.set(c, -value);
}

/** Smallest |coefficient| (then lowest id) as pivot: keeps the integers small. */
function choosePivot(row: SparseRow): number {
  let best = -1;
  let bestAbs = 0n;
  for (const [column, value] of row) {
    const abs = value < 0n ? -value : value;
    if (best === -1 || abs < bestAbs || (abs === bestAbs && column < best)) [best, bestAbs] = [column, abs];
  }
  return best;
}
