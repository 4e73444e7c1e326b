import type { PublishedEntry, PublishedTable } from './suppression.js';

/**
 * Storage form of a protected master (table `indicator_releases`): its value lists and one integer per
 * entry in row-major order over (values…, total) per dimension — the count, or a negative code for a
 * suppressed entry. The suppression reason is kept (internal, never published: suppression.ts).
 */
export interface StoredMaster {
  domains: string[][];
  entries: number[];
}

const PRIMARY = -1;
const SECONDARY = -2;

/** Every key of a table with these domains, in storage order (the total of a dimension after its values). */
function keysInOrder(domains: readonly (readonly string[])[]): Array<Array<string | null>> {
  let keys: Array<Array<string | null>> = [[]];
  for (const domain of domains) {
    const coordinates = [...domain, null];
    keys = keys.flatMap((prefix) => coordinates.map((value) => [...prefix, value]));
  }
  return keys;
}

export function encodeMaster(table: PublishedTable): StoredMaster {
  const byKey = new Map(
    [...table.cells, ...table.margins].map((entry) => [JSON.stringify(entry.key), entry] as const),
  );
  const entries = keysInOrder(table.domains).map((key) => {
    const entry = byKey.get(JSON.stringify(key));
    if (!entry) throw new RangeError(`master has no entry ${JSON.stringify(key)}`);
    if (entry.suppression === 'primary') return PRIMARY;
    if (entry.suppression === 'secondary') return SECONDARY;
    return entry.count!;
  });
  return { domains: table.domains, entries };
}

export function decodeMaster(dimensions: string[], k: number, stored: StoredMaster): PublishedTable {
  const keys = keysInOrder(stored.domains);
  if (keys.length !== stored.entries.length || dimensions.length !== stored.domains.length) {
    throw new RangeError('stored master does not match its dimensions');
  }
  const cells: PublishedEntry[] = [];
  const margins: PublishedEntry[] = [];
  keys.forEach((key, i) => {
    const code = stored.entries[i]!;
    const entry: PublishedEntry = {
      key,
      count: code >= 0 ? code : null,
      suppression: code === PRIMARY ? 'primary' : code === SECONDARY ? 'secondary' : null,
    };
    (key.includes(null) ? margins : cells).push(entry);
  });
  return { dimensions, domains: stored.domains, k, cells, margins };
}
