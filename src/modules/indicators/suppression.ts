import { auditSuppressionPattern } from './suppression.audit.js';
import { addOneRecordCube, findCheapestCube, type Cube } from './suppression.hypercube.js';
import { buildLattice, entryOf, keyOf, totalCoordinateCount, type Lattice } from './suppression.lattice.js';

/*
 * Statistical disclosure control of one anonymised indicator table (SPEC §8). Pure: no database, no HTTP.
 *
 * METHOD
 * 1. Every cell and every margin (sub-total over any subset of dimensions, grand total included) is counted
 *    from the unsuppressed cells.
 * 2. Primary suppression: every entry with 0 < n < k. Zeros are always published.
 * 3. Complementary suppression, one hypercube per primary entry not yet covered (suppression.hypercube.ts):
 *    the cheapest set of 2^d corners (already suppressed corners free, then smallest counts) such that one
 *    record can be moved around the corners without changing any published number. Complements are never
 *    zeros: a zero may be a structural zero the attacker knows, so it protects nothing. Consequently the
 *    method's public rule "zeros are published" tells the attacker that every suppressed entry is ≥ 1, and
 *    the moves must keep every corner ≥ 1.
 * 4. Exact audit (suppression.audit.ts): the linear system "members of each line sum to its total" over the
 *    suppressed entries is eliminated over the rationals; a determined entry aborts with an error (fail
 *    closed; the certificates make it unreachable, so it would mean a bug).
 *
 * GUARANTEED, for every table this returns (`suppressTableWithProof` returns the evidence):
 * - no published entry has 0 < n < k; published numbers equal the true counts; zeros are published;
 * - every suppressed entry is a corner of a certificate cube: an integer table that agrees with every
 *   published number, keeps every suppressed entry ≥ 1, and differs from the true table in that entry by
 *   at least ±1. So no suppressed value is exactly determined, even over the integers and with the
 *   bounds an attacker can infer; the certificate also gives a range of values it cannot exclude;
 * - hence every line (the members along one dimension plus their total) holds 0 or ≥ 2 suppressed entries;
 * - for blocks of up to RANK_AUDIT_MAX_UNKNOWNS unknowns, the rational audit confirms it independently.
 *
 * NOT GUARANTEED:
 * - a minimum width: for k = 3 a suppressed 1 may only be shown to be "1 or 2" (that is the threshold rule);
 * - the `suppression` reason must stay internal: an attacker who knows which nulls are primary knows they
 *   are < k, and e.g. a 1-D table [1, 1] with total 2 (all primary) then gives 1 + 1 = 2 exactly. Publish
 *   `toPublicTable(...)`, never the reasons;
 * - attacks that replay this deterministic algorithm on candidate tables to rule some out (a known limit of
 *   every heuristic suppression method);
 * - tables computed independently of each other. Differencing two tables is only excluded when both are
 *   views of ONE protected table (see CONSISTENCY).
 *
 * CONSISTENCY ACROSS QUERIES (published-view.ts, indicators.periods.ts)
 * A table suppressed on its own and its sub-table suppressed on its own can disagree: a row total the 2-D
 * table suppressed as a complement may be published by the 1-D table, and with it a cell of the 2-D table
 * can be solved (suppression.consistency.test.ts shows both this and the month/quarter case).
 * Rule: the service protects one MASTER table per (organisation, indicator, k, reference year, dimension
 * set D), the year's calendar encoded as the dimensions quarter × month-of-quarter, and answers every
 * request for a period of that year and dimensions ⊆ D as `viewOf(master, …)`: the request's entries are a subset of the master's,
 * with the master's suppression. Any set of such views reveals at most the master's published entries, so
 * the guarantee above holds for all of them together (a quarter and its months, a year and its quarters, a
 * 2-D table and its 1-D margins). Requirements on the caller, not checked here:
 * - counts must be additive over months (each record in exactly one month, e.g. cases opened, interventions
 *   started); "distinct cases active in the quarter" is not the sum of its months and is not a margin;
 * - masters for different dimension sets, indicators or years are not protected against each other;
 * - the master must be frozen once published (e.g. per closed year, or recomputed only with the same
 *   data): two masters over the same period computed before and after new records can be differenced.
 *
 * LOCKS (`locked`): a table computed after an overlapping one was released (the same master extended by
 * later months, or a table whose margins are an earlier table) must show what the earlier one showed.
 * Entries locked as suppressed stay suppressed and get a cube here like primary entries; entries locked as
 * published are known to the attacker, so, like published zeros, they are never a complement nor a corner.
 * With the same counts underneath, the earlier release then shows a subset of this table's entries with
 * the same numbers and nulls, and the guarantees above hold for both together. Locks that cannot hold
 * (a published entry now below k, or a suppressed one no cube can protect) raise `LockConflictError`.
 */

export type SuppressionReason = 'primary' | 'secondary';

export interface PublishedEntry {
  /** Value per dimension; `null` where the entry is the total over that dimension. */
  key: Array<string | null>;
  /** True count, or `null` when suppressed. */
  count: number | null;
  /** Why it is suppressed. Internal (audit log, tests): never publish it, see the header. */
  suppression: SuppressionReason | null;
}

export interface PublishedTable {
  dimensions: string[];
  /** Values of each dimension, in table order (fixed domains first, as given). */
  domains: string[][];
  k: number;
  /** Entries without totals, in row-major order. */
  cells: PublishedEntry[];
  /** Every marginal sub-total over any subset of dimensions, the grand total (all keys null) last. */
  margins: PublishedEntry[];
}

export interface SuppressTableInput {
  dimensions: string[];
  /** Counts per combination of values; missing combinations are zero. */
  cells: Array<{ key: string[]; count: number }>;
  /** Threshold: entries with 0 < n < k are suppressed (3 by law; the caller passes more for minors, judicial). */
  k: number;
  /** Fixed value lists per dimension (indicators.grid.ts `fixedDomains`), so zero rows are shown too. */
  domains?: Readonly<Record<string, readonly string[] | undefined>>;
  /** What earlier overlapping releases showed of this table's entries (see LOCKS). */
  locked?: ReadonlyArray<LockedEntry>;
}

export interface LockedEntry {
  /** Key as in PublishedEntry: a value per dimension, `null` for the total over it. */
  key: ReadonlyArray<string | null>;
  suppressed: boolean;
}

/** The locks cannot all hold (see LOCKS): the table must not be released in this form. */
export class LockConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockConflictError';
  }
}

export interface SuppressionCertificate {
  /** The cube's corners: all suppressed. */
  corners: Array<Array<string | null>>;
  /** Change of each corner per unit step; cells change by these, margins follow. */
  signs: number[];
  /** Every integer step in [minStep, maxStep] yields a table publishing the same numbers (null: unbounded). */
  minStep: number;
  maxStep: number | null;
}

export interface SuppressionProof {
  certificates: SuppressionCertificate[];
  rankAudit: { auditedUnknowns: number; skippedUnknowns: number };
}

export function suppressTable(input: SuppressTableInput): PublishedTable {
  return suppressTableWithProof(input).table;
}

export function suppressTableWithProof(input: SuppressTableInput): {
  table: PublishedTable;
  proof: SuppressionProof;
} {
  if (!Number.isSafeInteger(input.k) || input.k < 1)
    throw new RangeError(`k must be a positive integer: ${input.k}`);
  const lattice = buildLattice(input);
  const { reasons, cubes } = suppress(lattice, input.k, input.locked ?? []);
  const audit = auditSuppressionPattern(lattice, reasons);
  if (audit.determined.length > 0) {
    const keys = audit.determined.map((entry) => JSON.stringify(keyOf(lattice, entry)));
    throw new Error(`suppression audit failed: determined entries ${keys.join(', ')}`);
  }
  return {
    table: publish(lattice, input.k, reasons),
    proof: {
      certificates: cubes.map((cube) => ({
        corners: cube.corners.map((corner) => keyOf(lattice, corner)),
        signs: cube.signs,
        minStep: cube.minStep,
        maxStep: Number.isFinite(cube.maxStep) ? cube.maxStep : null,
      })),
      rankAudit: { auditedUnknowns: audit.auditedUnknowns, skippedUnknowns: audit.skippedUnknowns },
    },
  };
}

const PUBLISHED = 0;
const PRIMARY = 1;
const SECONDARY = 2;

function suppress(
  lattice: Lattice,
  k: number,
  locked: ReadonlyArray<LockedEntry>,
): { reasons: Uint8Array; cubes: Cube[] } {
  const { counts, entryCount } = lattice;
  const reasons = new Uint8Array(entryCount);
  const toProtect: number[] = [];
  for (let entry = 0; entry < entryCount; entry++) {
    if (counts[entry]! > 0 && counts[entry]! < k) {
      reasons[entry] = PRIMARY;
      toProtect.push(entry);
    }
  }
  const known = new Uint8Array(entryCount);
  for (const lock of locked) {
    const entry = entryOf(lattice, lock.key);
    if (!lock.suppressed) {
      if (reasons[entry] === PRIMARY)
        throw new LockConflictError(`locked published entry ${JSON.stringify(lock.key)} is below k`);
      known[entry] = 1;
    } else if (counts[entry] === 0) {
      throw new LockConflictError(`locked suppressed entry ${JSON.stringify(lock.key)} is zero`);
    } else if (reasons[entry] === PUBLISHED) {
      reasons[entry] = SECONDARY;
      toProtect.push(entry);
    }
  }
  // Cells before margins: cubes through cells usually cover the small margins above them for free.
  const totals = new Map(toProtect.map((entry) => [entry, totalCoordinateCount(lattice, entry)]));
  toProtect.sort((a, b) => totals.get(a)! - totals.get(b)! || a - b);
  const covered = new Uint8Array(entryCount);
  const cubes: Cube[] = [];
  for (const entry of toProtect) {
    if (covered[entry]) continue;
    const cube =
      findCheapestCube({ lattice, suppressed: reasons, known }, entry) ?? addOneRecordCube(lattice, entry);
    if (cube.corners.some((corner) => known[corner])) {
      throw new LockConflictError(
        `no cube protects ${JSON.stringify(keyOf(lattice, entry))} under the locks`,
      );
    }
    for (const corner of cube.corners) {
      if (reasons[corner] === PUBLISHED) reasons[corner] = SECONDARY;
      covered[corner] = 1;
    }
    cubes.push(cube);
  }
  return { reasons, cubes };
}

function publish(lattice: Lattice, k: number, reasons: Uint8Array): PublishedTable {
  const cells: PublishedEntry[] = [];
  const margins: PublishedEntry[] = [];
  for (let entry = 0; entry < lattice.entryCount; entry++) {
    const key = keyOf(lattice, entry);
    const reason = reasons[entry];
    const suppression: SuppressionReason | null =
      reason === PRIMARY ? 'primary' : reason === SECONDARY ? 'secondary' : null;
    const published: PublishedEntry = {
      key,
      count: suppression ? null : lattice.counts[entry]!,
      suppression,
    };
    (key.includes(null) ? margins : cells).push(published);
  }
  return {
    dimensions: [...lattice.dimensions],
    domains: lattice.domains.map((domain) => [...domain]),
    k,
    cells,
    margins,
  };
}

/** What may leave the service: counts and nulls, without the suppression reasons. */
export interface PublicTable {
  dimensions: string[];
  cells: Array<{ key: Array<string | null>; count: number | null }>;
  margins: Array<{ key: Array<string | null>; count: number | null }>;
}

export function toPublicTable(table: PublishedTable): PublicTable {
  const strip = (entry: PublishedEntry) => ({ key: entry.key, count: entry.count });
  return { dimensions: table.dimensions, cells: table.cells.map(strip), margins: table.margins.map(strip) };
}
