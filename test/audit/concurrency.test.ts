import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { verifyAuditChain } from '../../src/modules/audit/audit.verification.js';
import { createPool } from '../../src/platform/database.js';
import { buildTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { newRequestId } from './support.js';

/**
 * SPEC §7: the chain holds across several service instances writing at once — one chain, one order, no
 * gaps. Two apps, each with its own pool and its own group-commit writer, take hundreds of concurrent
 * requests against one database.
 */
let first: TestApp;
let second: FastifyInstance;
let secondPool: ReturnType<typeof createPool>;
let w: World;

beforeAll(async () => {
  first = await buildTestApp();
  secondPool = createPool({ url: first.databaseUrl, size: 5, statementTimeoutMs: 30_000 });
  second = await buildApp(testConfig(first.databaseUrl), { pool: secondPool });
  await second.ready();
  w = await seedWorld(first.app.db);
});
afterAll(async () => {
  await second?.close();
  await secondPool?.end();
  await first?.close();
});

describe('two instances writing at once', () => {
  it('produce one unbroken chain: verification valid, seq 1..N without gaps, one event per request', async () => {
    const admin = w.a.staff.admin;
    const token = first.token(admin.subject);
    const requests = Array.from({ length: 400 }, (_, i) => {
      const app = i % 2 === 0 ? first.app : second;
      const requestId = newRequestId();
      const headers = { authorization: `Bearer ${token}`, 'request-id': requestId };
      const request =
        i % 8 === 0
          ? app.inject({ method: 'POST', url: '/v1/staff', headers, payload: { subject: `concurrent-${i}`, givenName: 'C', familyName: `W${i}`, role: 'educator', profile: 'educator', contract: 'permanent' } })
          : i % 8 === 1
            ? app.inject({ method: 'GET', url: '/v1/staff?limit=5', headers })
            : app.inject({ method: 'GET', url: `/v1/staff/${w.a.staff[i % 3 === 0 ? 'educator' : 'director'].id}`, headers });
      return request.then((response) => ({ requestId, status: response.statusCode, code: response.statusCode >= 300 ? response.json().code : undefined }));
    });
    const results = await Promise.all(requests);
    expect(results.filter((r) => r.status >= 300)).toEqual([]);

    const { rows } = await first.app.pool.query<{ first: number; last: number; n: number; requests: number }>(
      `SELECT min(seq)::float8 AS first, max(seq)::float8 AS last, count(*)::float8 AS n,
              count(*) FILTER (WHERE request_id = ANY($1))::float8 AS requests
       FROM audit_events`,
      [results.map((r) => r.requestId)],
    );
    expect(rows[0]).toEqual({ first: 1, last: rows[0]!.n, n: rows[0]!.n, requests: 400 });
    const { rows: perRequest } = await first.app.pool.query(
      'SELECT request_id FROM audit_events WHERE request_id = ANY($1) GROUP BY request_id HAVING count(*) <> 1',
      [results.map((r) => r.requestId)],
    );
    expect(perRequest).toEqual([]);
    expect(await verifyAuditChain(first.app.pool)).toEqual({ valid: true, checked: rows[0]!.n, firstBrokenSequence: null });
    const { rows: staff } = await first.app.pool.query(`SELECT count(*)::int AS n FROM staff WHERE subject LIKE 'concurrent-%'`);
    expect(staff[0].n).toBe(50);
  }, 60_000);
});
