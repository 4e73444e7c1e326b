/**
 * A table with all its margins as one dense array (the "extended table"): dimension j has the coordinates
 * 0..n_j-1 for its values plus one more, n_j, for "total over j". An entry whose coordinates are all values
 * is a cell; one with some totals is a margin; all totals is the grand total. Margins are computed here from
 * the unsuppressed cells, never from what gets published.
 *
 * Row-major: the last dimension varies fastest, so index order lists a table the way people read it.
 */

export interface Lattice {
  readonly dimensions: readonly string[];
  readonly domains: readonly (readonly string[])[];
  /** Per dimension: number of values + 1; the last coordinate is the total over that dimension. */
  readonly sizes: readonly number[];
  readonly strides: readonly number[];
  readonly entryCount: number;
  /** True count of every entry (cells and margins). */
  readonly counts: Float64Array;
}

export interface LatticeInput {
  dimensions: readonly string[];
  cells: ReadonlyArray<{ key: readonly string[]; count: number }>;
  /** Values of a dimension known in advance, in display order; values outside it are rejected. */
  domains?: Readonly<Record<string, readonly string[] | undefined>>;
}

/**
 * Upper bound on cells + margins. A dense table beyond this (say 6 dimensions with municipalities × SIUSS
 * codes) would be almost all zeros and small cells, i.e. almost all suppressed: the request should use
 * fewer dimensions instead.
 */
export const MAX_LATTICE_ENTRIES = 1_000_000;

export function buildLattice(input: LatticeInput): Lattice {
  const { dimensions } = input;
  if (new Set(dimensions).size !== dimensions.length) throw new RangeError('dimension names must be unique');
  const domains = dimensions.map((dimension, j) => domainOf(dimension, j, input));
  const sizes = domains.map((domain) => domain.length + 1);
  const strides = new Array<number>(dimensions.length);
  let entryCount = 1;
  for (let j = dimensions.length - 1; j >= 0; j--) {
    strides[j] = entryCount;
    entryCount *= sizes[j]!;
  }
  if (entryCount > MAX_LATTICE_ENTRIES) {
    throw new RangeError(`table too large: ${entryCount} cells and margins (max ${MAX_LATTICE_ENTRIES})`);
  }
  const counts = new Float64Array(entryCount);
  const positions = domains.map((domain) => new Map(domain.map((value, i) => [value, i])));
  const seen = new Set<number>();
  for (const cell of input.cells) {
    if (!Number.isSafeInteger(cell.count) || cell.count < 0) {
      throw new RangeError(`cell counts must be non-negative integers: ${cell.count}`);
    }
    let index = 0;
    cell.key.forEach((value, j) => (index += positions[j]!.get(value)! * strides[j]!));
    if (seen.has(index)) throw new RangeError(`duplicate cell ${JSON.stringify(cell.key)}`);
    seen.add(index);
    counts[index] = cell.count;
  }
  const lattice: Lattice = { dimensions, domains, sizes, strides, entryCount, counts };
  accumulateMargins(lattice);
  return lattice;
}

function domainOf(dimension: string, j: number, input: LatticeInput): readonly string[] {
  const observed = new Set<string>();
  for (const cell of input.cells) {
    if (cell.key.length !== input.dimensions.length) {
      throw new RangeError(`cell key ${JSON.stringify(cell.key)} does not have one value per dimension`);
    }
    observed.add(cell.key[j]!);
  }
  const fixed = input.domains?.[dimension];
  if (!fixed) return [...observed].sort();
  if (new Set(fixed).size !== fixed.length)
    throw new RangeError(`duplicate values in domain of ${dimension}`);
  for (const value of observed) {
    if (!fixed.includes(value)) throw new RangeError(`value ${value} is not in the grid of ${dimension}`);
  }
  return fixed;
}

/** Sums cells into every margin, one dimension at a time (after pass j, totals over j are complete). */
function accumulateMargins(lattice: Lattice): void {
  const { counts, sizes, strides } = lattice;
  sizes.forEach((size, j) => {
    const stride = strides[j]!;
    const total = size - 1;
    for (let index = 0; index < counts.length; index++) {
      const c = Math.floor(index / stride) % size;
      if (c !== total) counts[index + (total - c) * stride]! += counts[index]!;
    }
  });
}

export function coordinate(lattice: Lattice, index: number, j: number): number {
  return Math.floor(index / lattice.strides[j]!) % lattice.sizes[j]!;
}

export function isTotalCoordinate(lattice: Lattice, j: number, c: number): boolean {
  return c === lattice.sizes[j]! - 1;
}

export function coordinatesOf(lattice: Lattice, index: number): number[] {
  return lattice.sizes.map((_, j) => coordinate(lattice, index, j));
}

/** Public key of an entry: the value per dimension, `null` where the entry is a total over it. */
export function keyOf(lattice: Lattice, index: number): Array<string | null> {
  return lattice.domains.map((domain, j) => domain[coordinate(lattice, index, j)] ?? null);
}

/** Entry index of a public key (the inverse of `keyOf`); a value outside the domain is a RangeError. */
export function entryOf(lattice: Lattice, key: ReadonlyArray<string | null>): number {
  if (key.length !== lattice.sizes.length)
    throw new RangeError(`key ${JSON.stringify(key)} has the wrong length`);
  let index = 0;
  key.forEach((value, j) => {
    const c = value === null ? lattice.sizes[j]! - 1 : lattice.domains[j]!.indexOf(value);
    if (c < 0) throw new RangeError(`value ${value} is not in the domain of ${lattice.dimensions[j]}`);
    index += c * lattice.strides[j]!;
  });
  return index;
}

export function totalCoordinateCount(lattice: Lattice, index: number): number {
  let totals = 0;
  for (let j = 0; j < lattice.sizes.length; j++)
    if (isTotalCoordinate(lattice, j, coordinate(lattice, index, j))) totals++;
  return totals;
}

/**
 * The line of `index` along dimension j: its total entry and its members (one per value of j). Every
 * linear relation of the table is generated by "members of a line sum to its total".
 */
export function lineThrough(
  lattice: Lattice,
  index: number,
  j: number,
): { total: number; members: number[] } {
  const stride = lattice.strides[j]!;
  const size = lattice.sizes[j]!;
  const total = index + (size - 1 - coordinate(lattice, index, j)) * stride;
  const first = total - (size - 1) * stride;
  const members = Array.from({ length: size - 1 }, (_, v) => first + v * stride);
  return { total, members };
}
