import { Column, is, SQL, Subquery } from 'drizzle-orm';
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
  if (query === undefined) queries.set(key, (query = withFlatRowMapper(build())));
  return query;
}

/** What drizzle keeps on a prepared select: its selection, flattened, and the mapper it may use instead. */
interface PreparedSelect {
  fields?: { path: string[]; field: unknown }[];
  customResultMapper?: (rows: unknown[][]) => unknown[];
}

interface Decoder {
  mapFromDriverValue(value: unknown): unknown;
}

/**
 * Drizzle maps every row by walking the selection again — class checks and a path per field, for each
 * field of each row: ~2.5 µs a row of a case page (V8 profile, issue 10). A query built once can resolve
 * each field's decoder once. Only for flat selections (every field at the top level), where drizzle's
 * mapping reduces to `value === null ? null : decoder(value)`: the same answer, decoded the same way
 * (test/database/prepared-queries.test.ts compares both).
 */
function withFlatRowMapper<Q>(query: Q): Q {
  const prepared = query as PreparedSelect;
  const fields = prepared.fields;
  if (!fields || prepared.customResultMapper || fields.some((f) => f.path.length !== 1)) return query;
  const keys = fields.map((f) => f.path[0]!);
  const decoders = fields.map(({ field }) => decoderOf(field));
  prepared.customResultMapper = (rows) =>
    rows.map((row) => {
      const result: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) {
        const value = row[i];
        result[keys[i]!] = value === null ? null : decoders[i]!.mapFromDriverValue(value);
      }
      return result;
    });
  return query;
}

/** The decoder drizzle's own mapResultRow picks for a field (`decoder` is internal to drizzle's SQL). */
function decoderOf(field: unknown): Decoder {
  if (is(field, Column)) return field;
  const sqlOf = is(field, SQL) ? field : is(field, Subquery) ? (field as unknown as { _: { sql: SQL } })._.sql : (field as SQL.Aliased).sql;
  return (sqlOf as unknown as { decoder: Decoder }).decoder;
}
