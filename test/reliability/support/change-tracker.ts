import type pg from 'pg';

/**
 * Detects whether any request changed data, per request and without transactions of its own: row-level
 * triggers on every table of the test's database (except the audit trail and the Idempotency-Key answers,
 * which refused requests legitimately write) append to `fuzz_changes` inside the writer's transaction, so
 * a change rolled back leaves no mark and a committed one always does. TRUNCATE is caught per statement.
 * Test instrumentation only: installed in the test's own database clone.
 */
const untracked = new Set(['audit_events', 'idempotency_keys', 'fuzz_changes']);

export interface ChangeTracker {
  tables: string[];
  /** Committed changes since the previous call, as "table:operation" labels. */
  changesSinceLastCheck(): Promise<string[]>;
}

export async function installChangeTracker(pool: pg.Pool): Promise<ChangeTracker> {
  const { rows } = await pool.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const tables = rows.map((r) => r.table_name).filter((t) => !untracked.has(t));
  await pool.query(`
    create table fuzz_changes (id bigserial primary key, table_name text not null, operation text not null);
    create function fuzz_track() returns trigger language plpgsql as $$
    begin
      insert into fuzz_changes (table_name, operation) values (TG_TABLE_NAME, TG_OP);
      return null;
    end $$;`);
  for (const table of tables) {
    await pool.query(`create trigger fuzz_track_rows after insert or update or delete on "${table}" for each row execute function fuzz_track()`);
    await pool.query(`create trigger fuzz_track_truncate after truncate on "${table}" for each statement execute function fuzz_track()`);
  }
  // Counted rather than "ids above the last seen": a sequence value drawn early may commit late.
  let seen = 0;
  return {
    tables,
    async changesSinceLastCheck() {
      const { rows: counted } = await pool.query<{ n: number }>('select count(*)::int as n from fuzz_changes');
      const count = counted[0]!.n;
      if (count === seen) return [];
      const { rows: changes } = await pool.query<{ label: string }>(
        `select table_name || ':' || operation as label from fuzz_changes order by id desc limit $1`,
        [count - seen],
      );
      seen = count;
      return [...new Set(changes.map((c) => c.label))];
    },
  };
}
