import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { roleHas, type Permission } from '../../src/access/permissions.js';
import { verifyAuditChain } from '../../src/modules/audit/audit.verification.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedResources, type ResourceIds } from '../helpers/resources.js';
import { listOperations, validBody } from '../helpers/routes.js';
import { seedWorld, type World } from '../helpers/world.js';
import { apiRoutes, type RouteDeclaration } from './route-registry.js';
import { appendEvents } from './support.js';

vi.mock('fastify', async (original) => (await import('./route-registry.js')).recordingFastify(await original()));

/**
 * Issue 6, durability: no access without a trace. With the audit table refusing inserts (a trigger, in
 * this file's own database), reads answer 503 problem+json without their data, and writes leave nothing
 * written. When storage comes back, so does the service, with an unbroken chain.
 */
let t: TestApp;
let w: World;
let ids: ResourceIds;
// What the fixture's personal data looks like: none of it may appear in a withheld answer.
const personalData = ['Mario', 'Rossi', 'RSSMRA80A01F205X', 'Via Roma', 'family_minors', 'Colloquio', 'Famiglia'];

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  ids = await seedResources(t.app.db, w);
  // Events before the outage, so that the chain must continue across it — enough of them that an export
  // cannot fit in the stream buffers and has to keep its cursor open.
  await t.as(w.a.staff.admin.subject, { method: 'GET', url: `/v1/staff/${w.a.staff.educator.id}` });
  await appendEvents(t.app, Array.from({ length: 3000 }, () => ({ organisationId: w.a.id, actorId: w.a.staff.director.id, actorRole: 'director' })));
  await t.app.pool.query(`
    CREATE FUNCTION test_audit_storage_down() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit storage is down (test)'; END $$;
    CREATE TRIGGER test_audit_storage_down BEFORE INSERT ON audit_events
      FOR EACH STATEMENT EXECUTE FUNCTION test_audit_storage_down();`);
});
afterAll(async () => t?.close());

const staffRoles = { socialWorker: 'social_worker', coordinator: 'coordinator', educator: 'educator', director: 'director', admin: 'admin', auditor: 'auditor', electedOfficial: 'elected_official' } as const;

function allowedCaller(route: RouteDeclaration): string | null {
  if (route.access === 'public') return null;
  const key = (Object.keys(staffRoles) as (keyof typeof staffRoles)[]).find(
    (k) => route.access === 'authenticated' || roleHas(staffRoles[k], route.access as Permission),
  );
  if (key) return w.a.staff[key].subject;
  if (roleHas('regional', route.access as Permission)) return w.a.clients.regional.subject;
  if (roleHas('siuss', route.access as Permission)) return w.a.clients.siuss.subject;
  return w.platformAdmin.subject;
}

const fill = (url: string) => url.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? '00000000-0000-4000-8000-000000000000');

function expectWithheld(label: string, response: { statusCode: number; headers: Record<string, unknown>; body: string }) {
  expect(response.statusCode, label).toBe(503);
  expect(response.headers['content-type'], label).toMatch(/^application\/problem\+json/);
  expect(response.headers.etag, label).toBeUndefined();
  const problem = JSON.parse(response.body) as Record<string, unknown>;
  expect(Object.keys(problem).sort(), label).toEqual(['code', 'detail', 'instance', 'status', 'title', 'type']);
  expect(problem.code, label).toBe('audit_unavailable');
  for (const text of personalData) expect(response.body, label).not.toContain(text);
}

async function rowCounts(): Promise<Record<string, number>> {
  const { rows: tables } = await t.app.pool.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) counts[name] = (await t.app.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${name}"`)).rows[0]!.n;
  return counts;
}

describe('when the audit trail cannot be stored', () => {
  it('a case read answers 503 problem+json without the case', async () => {
    const response = await t.as(w.a.staff.socialWorker.subject, { method: 'GET', url: `/v1/cases/${w.caseId}` });
    expectWithheld('GET /v1/cases/:caseId', response);
  });

  it('every audited read answers 503 without its data', async () => {
    const reads = apiRoutes().filter((r) => r.audit && r.method === 'GET');
    expect(reads.length).toBeGreaterThan(10);
    for (const route of reads) {
      const subject = allowedCaller(route);
      const response = await t.as(subject, { method: 'GET', url: fill(route.url) });
      // A read the fixture cannot reach (e.g. a 404) must still be withheld: its denial is not recorded either.
      expectWithheld(`${route.method} ${route.url}`, response);
    }
  });

  it('creating a staff member answers 503 and writes nothing', async () => {
    const before = await rowCounts();
    const response = await t.as(w.a.staff.admin.subject, {
      method: 'POST',
      url: '/v1/staff',
      headers: { 'idempotency-key': 'durability-test-0001' },
      payload: { subject: 'never-created', givenName: 'Anna', familyName: 'Bianchi', role: 'educator', profile: 'educator', contract: 'permanent' },
    });
    expectWithheld('POST /v1/staff', response);
    expect(response.body).not.toContain('Bianchi');
    expect(await rowCounts()).toEqual(before);
    expect((await t.app.pool.query(`SELECT 1 FROM staff WHERE subject = 'never-created'`)).rowCount).toBe(0);
  });

  it('no audited write leaves anything written', async () => {
    const operations = new Map(listOperations(t.app).map((op) => [`${op.method} ${op.path}`, op]));
    const before = await rowCounts();
    for (const route of apiRoutes().filter((r) => r.audit && r.method !== 'GET')) {
      const operation = operations.get(`${route.method} ${route.url.replace(/:(\w+)/g, '{$1}')}`);
      const body = operation ? validBody(operation) : undefined;
      const response = await t.as(allowedCaller(route), {
        method: route.method as 'POST',
        url: fill(route.url),
        headers: { 'if-match': '"1"' },
        ...(body !== undefined ? { payload: body as object } : {}),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).toBe(503);
    }
    expect(await rowCounts()).toEqual(before);
  });

  it('an export is withheld, and its database cursor is closed', async () => {
    const response = await t.as(w.a.staff.auditor.subject, { method: 'GET', url: '/v1/audit-events', headers: { accept: 'text/csv' } });
    expectWithheld('GET /v1/audit-events (CSV)', response);
    await vi.waitFor(() => expect(t.app.pool.totalCount - t.app.pool.idleCount).toBe(0));
    const { rows } = await t.app.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%FROM "audit_events"%' AND pid <> pg_backend_pid()`);
    expect(rows[0].n).toBe(0);
  });
});

describe('when storage comes back', () => {
  it('requests succeed again and the chain is unbroken', async () => {
    await t.app.pool.query('DROP TRIGGER test_audit_storage_down ON audit_events; DROP FUNCTION test_audit_storage_down()');
    const response = await t.as(w.a.staff.socialWorker.subject, { method: 'GET', url: `/v1/staff/${w.a.staff.educator.id}` });
    expect(response.statusCode).toBe(200);
    const result = await verifyAuditChain(t.app.pool);
    expect(result).toMatchObject({ valid: true, firstBrokenSequence: null });
    expect(result.checked).toBeGreaterThanOrEqual(2);
  });
});
