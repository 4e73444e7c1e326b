import { findDeterminedUnknowns, type SparseRow } from './rational-rank-audit.js';
import { lineThrough, type Lattice } from './suppression.lattice.js';

/**
 * Second, independent check of a suppression pattern: the linear system "members of every line sum to its
 * total", with published entries moved to the right-hand side and the suppressed entries as unknowns,
 * solved exactly (rational-rank-audit.ts). A suppressed entry whose value is fixed by the published numbers
 * is a disclosure.
 *
 * The system splits into independent blocks (unknowns linked through shared lines); each block up to
 * `RANK_AUDIT_MAX_UNKNOWNS` unknowns is audited (≈ 0.2 s for 650 unknowns, 3 s for 3 000: the cost grows
 * faster than linearly). Larger blocks are counted as skipped: the protection does
 * not rest on this audit but on the cube certificates (suppression.hypercube.ts), which are stronger (they
 * hold over the integers and with the bound "suppressed ⇒ ≥ 1") and exist at any size.
 */
export const RANK_AUDIT_MAX_UNKNOWNS = 1000;

export interface RankAuditResult {
  /** Entry indices of suppressed entries fixed by the published numbers (empty when the pattern is sound). */
  determined: number[];
  auditedUnknowns: number;
  skippedUnknowns: number;
}

export function auditSuppressionPattern(
  lattice: Lattice,
  suppressed: Uint8Array,
  maxUnknowns = RANK_AUDIT_MAX_UNKNOWNS,
): RankAuditResult {
  const unknownEntries: number[] = [];
  const unknownOf = new Map<number, number>();
  suppressed.forEach((flag, entry) => {
    if (flag) {
      unknownOf.set(entry, unknownEntries.length);
      unknownEntries.push(entry);
    }
  });
  const equations = lineEquations(lattice, unknownEntries, unknownOf);
  const blocks = groupIntoBlocks(unknownEntries.length, equations);
  const result: RankAuditResult = { determined: [], auditedUnknowns: 0, skippedUnknowns: 0 };
  for (const block of blocks) {
    if (block.unknowns > maxUnknowns) {
      result.skippedUnknowns += block.unknowns;
      continue;
    }
    result.auditedUnknowns += block.unknowns;
    for (const unknown of findDeterminedUnknowns(block.equations))
      result.determined.push(unknownEntries[unknown]!);
  }
  result.determined.sort((a, b) => a - b);
  return result;
}

/** One equation per line that contains at least one suppressed entry (total − Σ members = 0). */
function lineEquations(
  lattice: Lattice,
  unknownEntries: number[],
  unknownOf: Map<number, number>,
): SparseRow[] {
  const seen = new Set<number>();
  const equations: SparseRow[] = [];
  const d = lattice.sizes.length;
  for (const entry of unknownEntries) {
    for (let j = 0; j < d; j++) {
      const line = lineThrough(lattice, entry, j);
      const id = line.total * d + j;
      if (seen.has(id)) continue;
      seen.add(id);
      const row: SparseRow = new Map();
      const totalUnknown = unknownOf.get(line.total);
      if (totalUnknown !== undefined) row.set(totalUnknown, 1n);
      for (const member of line.members) {
        const memberUnknown = unknownOf.get(member);
        if (memberUnknown !== undefined) row.set(memberUnknown, -1n);
      }
      equations.push(row);
    }
  }
  return equations;
}

interface Block {
  unknowns: number;
  equations: SparseRow[];
}

/** Connected components of the unknowns, two unknowns being linked when an equation contains both. */
function groupIntoBlocks(unknownCount: number, equations: SparseRow[]): Block[] {
  const parent = Array.from({ length: unknownCount }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  for (const row of equations) {
    const [first, ...rest] = [...row.keys()];
    for (const other of rest) parent[find(other)] = find(first!);
  }
  const blocks = new Map<number, Block>();
  for (let i = 0; i < unknownCount; i++) {
    const root = find(i);
    const block = blocks.get(root) ?? { unknowns: 0, equations: [] };
    block.unknowns++;
    blocks.set(root, block);
  }
  for (const row of equations) {
    const first = row.keys().next();
    if (!first.done) blocks.get(find(first.value))!.equations.push(row);
  }
  return [...blocks.values()];
}
