import type { DbHandle } from '../database.js';

/**
 * Queries built once and kept per database handle, by a key naming their shape (e.g. the role whose scope
 * they carry, which filters are present). Their values are placeholders filled at each execution, so a hot
 * path pays neither for assembling the SQL again nor, with the pool's named statements
 * (statement-names.ts), for PostgreSQL planning it again. A transaction handle gets its own, short-lived set.
 */
const byHandle = new WeakMap<DbHandle, Map<string, unknown>>();

export function preparedOnce<Q>(db: DbHandle, key: string, build: () => Q): Q {
  let queries = byHandle.get(db);
  if (!queries) byHandle.set(db, (queries = new Map()));
  let query = queries.get(key) as Q | undefined;
  if (query === undefined) queries.set(key, (query = build()));
  return query;
}
