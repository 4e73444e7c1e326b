import { findDeterminedUnknowns, type SparseRow } from './rational-rank-audit.js';
import type { PublishedEntry, PublishedTable, SuppressionCertificate } from './suppression.js';

/**
 * Reference computations for the suppression tests, written independently of the lattice code: plain
 * group-bys over records and key matching. Only the exact elimination is shared (it has its own tests).
 */

export type Key = Array<string | null>;
export const keyId = (key: Key): string => JSON.stringify(key);

/** Naive group-by of records into the input cells of `suppressTable`. */
export function groupCells(records: readonly string[][]): Array<{ key: string[]; count: number }> {
  const counts = new Map<string, number>();
  for (const record of records)
    counts.set(JSON.stringify(record), (counts.get(JSON.stringify(record)) ?? 0) + 1);
  return [...counts].map(([id, count]) => ({ key: JSON.parse(id) as string[], count }));
}

/** Count of every cell and margin that has at least one record: each record adds 1 to its 2^d keys. */
export function referenceCounts(records: readonly string[][], dimensionCount: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const record of records) {
    for (let mask = 0; mask < 1 << dimensionCount; mask++) {
      const id = keyId(record.map((value, j) => (mask & (1 << j) ? null : value)));
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

export const entriesOf = (table: PublishedTable): PublishedEntry[] => [...table.cells, ...table.margins];

/** Lines of a published table: a total entry and the entries equal to it except a value at position j. */
export function linesOf(table: PublishedTable): Array<{ total: PublishedEntry; members: PublishedEntry[] }> {
  const byId = new Map(entriesOf(table).map((entry) => [keyId(entry.key), entry]));
  const lines: Array<{ total: PublishedEntry; members: PublishedEntry[] }> = [];
  for (const total of entriesOf(table)) {
    total.key.forEach((value, j) => {
      if (value !== null) return;
      const members = table.domains[j]!.map((v) =>
        byId.get(keyId(total.key.map((x, i) => (i === j ? v : x))))!,
      );
      lines.push({ total, members });
    });
  }
  return lines;
}

/** A relation "total = Σ members" between entries of possibly different tables, as [table, key]. */
export interface Relation {
  total: [number, Key];
  members: Array<[number, Key]>;
}

/**
 * Entries (as [table, key]) whose suppressed value is fixed by the published numbers of all `tables`
 * together, given each table's own lines and the cross-table `relations`. Exact (rational elimination).
 */
export function determinedEntries(
  tables: PublishedTable[],
  relations: Relation[] = [],
): Array<[number, Key]> {
  const unknownIds = new Map<string, number>();
  const unknowns: Array<[number, Key]> = [];
  tables.forEach((table, t) =>
    entriesOf(table).forEach((entry) => {
      if (entry.count !== null) return;
      unknownIds.set(`${t}:${keyId(entry.key)}`, unknowns.length);
      unknowns.push([t, entry.key]);
    }),
  );
  const rows: SparseRow[] = [];
  const addRow = (total: [number, Key], members: Array<[number, Key]>) => {
    const row: SparseRow = new Map();
    const add = ([t, key]: [number, Key], coefficient: bigint) => {
      const id = unknownIds.get(`${t}:${keyId(key)}`);
      if (id !== undefined) row.set(id, (row.get(id) ?? 0n) + coefficient);
    };
    add(total, 1n);
    for (const member of members) add(member, -1n);
    rows.push(row);
  };
  tables.forEach((table, t) => {
    for (const line of linesOf(table))
      addRow(
        [t, line.total.key],
        line.members.map((m) => [t, m.key]),
      );
  });
  for (const relation of relations) addRow(relation.total, relation.members);
  return findDeterminedUnknowns(rows).map((id) => unknowns[id]!);
}

/**
 * Checks a certificate against the records: moves `step` records around its cube, recomputes every entry
 * by group-by, and returns what is wrong (empty = the certificate proves its corners undetermined).
 */
export function certificateProblems(
  records: readonly string[][],
  table: PublishedTable,
  certificate: SuppressionCertificate,
  step: number,
): string[] {
  const problems: string[] = [];
  const d = table.dimensions.length;
  const original = referenceCounts(records, d);
  const moved = new Map(original);
  // Cells (corners without totals) change by sign·step; margins are recomputed from them.
  certificate.corners.forEach((corner, i) => {
    if (corner.includes(null)) return;
    const delta = certificate.signs[i]! * step;
    for (let mask = 0; mask < 1 << d; mask++) {
      const id = keyId(corner.map((value, j) => (mask & (1 << j) ? null : value)));
      moved.set(id, (moved.get(id) ?? 0) + delta);
    }
  });
  for (const entry of entriesOf(table)) {
    const id = keyId(entry.key);
    const value = moved.get(id) ?? 0;
    if (entry.count !== null && value !== entry.count) problems.push(`published ${id} changes to ${value}`);
    if (entry.count === null && value < 1) problems.push(`suppressed ${id} would be ${value} < 1`);
  }
  for (const corner of certificate.corners) {
    const id = keyId(corner);
    if ((moved.get(id) ?? 0) === (original.get(id) ?? 0)) problems.push(`corner ${id} does not change`);
  }
  return problems;
}
