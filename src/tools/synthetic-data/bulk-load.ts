import type pg from 'pg';

/**
 * Loading millions of rows one index entry and one foreign-key check at a time is several times slower than
 * building each index once, sorted, at the end. So for the load, the seeded tables lose their keys, indexes
 * and foreign keys (and the foreign keys that point at them), and their rule triggers are disabled; then
 * everything is recreated from the catalogue's own definitions — same names, same SQL — which also checks
 * every key, uniqueness, exclusion and foreign key over the whole data set. Only for a database whose record
 * is empty and that nobody else is using while it runs.
 */
interface Definition {
  table: string;
  name: string;
  definition: string;
}

export interface DroppedSchema {
  constraints: Definition[];
  indexes: Definition[];
  foreignKeys: Definition[];
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

export async function dropForBulkLoad(client: pg.ClientBase, tables: readonly string[]): Promise<DroppedSchema> {
  const params = [tables.map((t) => `public.${t}`)];
  const { rows: foreignKeys } = await client.query<Definition>(
    `select conrelid::regclass::text as "table", conname as name, pg_get_constraintdef(oid) as definition
     from pg_constraint where contype = 'f' and (conrelid = any($1::regclass[]) or confrelid = any($1::regclass[])) order by oid`,
    params,
  );
  const { rows: constraints } = await client.query<Definition>(
    `select conrelid::regclass::text as "table", conname as name, pg_get_constraintdef(oid) as definition
     from pg_constraint where contype in ('p', 'u', 'x') and conrelid = any($1::regclass[]) order by oid`,
    params,
  );
  const { rows: indexes } = await client.query<Definition>(
    `select indrelid::regclass::text as "table", indexrelid::regclass::text as name, pg_get_indexdef(indexrelid) as definition
     from pg_index i where indrelid = any($1::regclass[])
       and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid and c.conrelid = i.indrelid) order by indexrelid`,
    params,
  );
  await client.query('begin');
  for (const fk of foreignKeys) await client.query(`alter table ${fk.table} drop constraint ${quote(fk.name)}`);
  for (const c of constraints) await client.query(`alter table ${c.table} drop constraint ${quote(c.name)}`);
  for (const index of indexes) await client.query(`drop index ${index.name}`);
  for (const table of tables) await client.query(`alter table ${table} disable trigger user`);
  await client.query('commit');
  return { constraints, indexes, foreignKeys };
}

/**
 * Recreates what `dropForBulkLoad` removed: keys and indexes on two connections — never two on the same table
 * at once, as adding a key locks its table — then the foreign keys.
 */
export async function restoreAfterBulkLoad(pool: pg.Pool, tables: readonly string[], dropped: DroppedSchema): Promise<void> {
  const pending = [
    ...dropped.constraints.map((c) => ({ table: c.table, statement: `alter table ${c.table} add constraint ${quote(c.name)} ${c.definition}` })),
    ...dropped.indexes.map((index) => ({ table: index.table, statement: index.definition })),
  ];
  const busy = new Set<string>();
  let wake = () => {};
  const worker = async (): Promise<void> => {
    while (pending.length > 0) {
      const next = pending.findIndex((p) => !busy.has(p.table));
      if (next < 0) {
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      const [{ table, statement }] = pending.splice(next, 1) as [{ table: string; statement: string }];
      busy.add(table);
      try {
        await pool.query(statement);
      } finally {
        busy.delete(table);
        wake();
      }
    }
  };
  await Promise.all([worker(), worker()]);
  for (const fk of dropped.foreignKeys) await pool.query(`alter table ${fk.table} add constraint ${quote(fk.name)} ${fk.definition}`);
  for (const table of tables) await pool.query(`alter table ${table} enable trigger user`);
}
