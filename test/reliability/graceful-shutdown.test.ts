import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, createPool } from '../../src/platform/database.js';
import { createTestDatabase } from '../helpers/database.js';
import { seedWorld, type World } from '../helpers/world.js';
import { api, startServer, type ServerProcess } from './support/server-process.js';

/**
 * Graceful shutdown (SPEC §10): on SIGTERM the server process stops accepting connections, finishes the
 * requests it has (held on a database lock so that they are surely in flight), closes its database pool
 * and exits 0. The metrics endpoint of the same process says how many requests are in flight.
 */
let database: { url: string; drop(): Promise<void> };
let w: World;
let server: ServerProcess | undefined;

beforeAll(async () => {
  database = await createTestDatabase();
  const pool = createPool({ url: database.url, size: 2, statementTimeoutMs: 30_000 });
  w = await seedWorld(createDatabase(pool));
  await pool.end();
});
afterAll(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  await database?.drop();
});

/** GET /status on a connection of its own (not a pooled keep-alive one): the status, or the error code. */
function newConnection(baseUrl: string): Promise<number | string> {
  return new Promise((resolve) => {
    http
      .get(`${baseUrl}/status`, { agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      })
      .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

async function inFlight(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return Number(/^cartella_http_requests_in_flight (\d+)/m.exec(text)?.[1] ?? NaN);
}

describe('graceful shutdown', () => {
  it('SIGTERM: stops accepting, completes in-flight requests with 2xx, closes the pool, exits 0', async () => {
    server = await startServer({ DATABASE_URL: database.url, DB_POOL_SIZE: '20', METRICS_PORT: '0' });
    const metricsUrl = server.output.map((line) => /Metrics listening at (\S+?)"/.exec(line)?.[1]).find(Boolean)!;
    expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const admin = w.a.staff.admin.subject;
    const { baseUrl } = server;
    expect((await api(baseUrl, admin, 'GET', '/v1/teams')).status).toBe(200);

    const locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE teams IN ACCESS EXCLUSIVE MODE');
    const slow = Array.from({ length: 12 }, () => api(baseUrl, admin, 'GET', '/v1/teams').then((r) => r.status, (e: Error) => e.message));
    for (let i = 0; i < 200 && (await inFlight(metricsUrl)) < 12; i++) await sleep(25);
    expect(await inFlight(metricsUrl)).toBe(12);

    server.child.kill('SIGTERM');
    // No new connection is accepted while the twelve are still held.
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = (await newConnection(baseUrl)) === 'ECONNREFUSED';
      if (!refused) await sleep(20);
    }
    expect(refused).toBe(true);
    expect(server.child.exitCode).toBeNull();

    await locker.query('ROLLBACK');
    const released = Date.now();
    await locker.end();
    expect(await Promise.all(slow)).toEqual(Array(12).fill(200));
    expect(await server.exited).toEqual({ code: 0, signal: null });
    // Promptly: not at the end of the grace period (REQUEST_TIMEOUT_MS, 30 s) with connections still open.
    expect(Date.now() - released).toBeLessThan(5000);

    // The pool was closed, not abandoned: no connection of the service remains.
    const check = new pg.Client({ connectionString: database.url });
    await check.connect();
    const { rows } = await check.query(`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'cartella'`);
    await check.end();
    expect(rows[0].n).toBe(0);
  }, 90_000);
});
