import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { PreparingClient } from './database/statement-names.js';

export type Database = NodePgDatabase & { $client: pg.Pool };
/** A database handle or an open transaction: repositories accept either, services decide which. */
export type DbHandle = NodePgDatabase | Parameters<Parameters<Database['transaction']>[0]>[0];

export const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');

// Dates stay 'YYYY-MM-DD' strings (SPEC §5) instead of becoming local-midnight Date objects.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export interface PoolOptions {
  url: string;
  size: number;
  statementTimeoutMs: number;
  applicationName?: string;
}

export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: options.url,
    max: options.size,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: options.statementTimeoutMs,
    application_name: options.applicationName ?? 'cartella',
  });
  // An idle client losing its server (database restart) must not crash the process: the next query
  // gets a fresh connection, and queries in flight fail with an error mapped to 503.
  pool.on('error', () => {});
  // A connection that breaks while checked out (between two queries of a transaction) emits 'error' on its
  // client, where the pool listens only while the client is idle: unheard, it would crash the process. The
  // caller's next query fails (→ 503) and the pool discards the broken client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

/** The pool's connection settings, for a connection of its own outside the pool's budget. */
export function connectionSettingsOf(pool: pg.Pool): pg.PoolConfig {
  const options = pool.options;
  // The password (and an ssl key) are non-enumerable on pg's options: name them, or a copy loses them.
  return { ...options, password: options.password, ssl: options.ssl };
}

/**
 * Without drizzle's relational query API (the service does not use it): given the schema, drizzle would
 * build a query builder per table again for every transaction.
 */
export function createDatabase(pool: pg.Pool): Database {
  return drizzle(pool, { casing: 'snake_case' }) as Database;
}

/** Serialised by an advisory lock so that several instances starting together migrate once. */
export async function runMigrations(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', ['cartella:migrations']);
    await migrate(drizzle(client), { migrationsFolder });
  } finally {
    await client.query('select pg_advisory_unlock(hashtext($1))', ['cartella:migrations']).catch(() => {});
    client.release();
  }
}

const connectionErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** True when an error means "the database cannot be reached right now" rather than "this query is wrong". */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, message } = e as { code?: string; message?: string };
    if (code && (connectionErrorCodes.has(code) || code.startsWith('08') || code === '57P01' || code === '57P03')) return true;
    if (message && /Connection terminated|timeout exceeded when trying to connect|is not queryable|the database system is (starting|shutting) up/i.test(message)) {
      return true;
    }
  }
  return false;
}
