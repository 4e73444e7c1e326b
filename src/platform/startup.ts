import type pg from 'pg';
import { runMigrations } from './database.js';

/**
 * What must be true before the first request: the schema is current, and (SPEC §6) when
 * BOOTSTRAP_ADMIN_SUBJECT is set and no platform admin exists, one is created with that subject.
 */
export async function prepareDatabase(pool: pg.Pool, bootstrapAdminSubject: string | undefined): Promise<{ bootstrapped: boolean }> {
  await runMigrations(pool);
  if (!bootstrapAdminSubject) return { bootstrapped: false };
  return { bootstrapped: await bootstrapPlatformAdmin(pool, bootstrapAdminSubject) };
}

export async function bootstrapPlatformAdmin(pool: pg.Pool, subject: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    `INSERT INTO staff (subject, given_name, family_name, role, profile, contract, fte)
     SELECT $1, 'Platform', 'Administrator', 'platform_admin', 'administrative', 'other', 0
     WHERE NOT EXISTS (SELECT 1 FROM staff WHERE role = 'platform_admin')
     ON CONFLICT (subject) DO NOTHING`,
    [subject],
  );
  return (rowCount ?? 0) > 0;
}
