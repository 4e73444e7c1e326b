import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { seedWorld, type World } from './helpers/world.js';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

describe('identity', () => {
  it('GET /v1/me answers from the database, not the token', async () => {
    const r = await t.as(w.a.staff.coordinator.subject, { method: 'GET', url: '/v1/me', headers: {} });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ role: 'coordinator', organisation: { id: w.a.id }, teams: [{ id: w.a.teams.minori }] });
    expect(r.json().permissions).toContain('assignment:write');
  });

  it('an unknown subject gets 401, a missing token 401, both problem+json', async () => {
    const unknown = await t.as('nobody', { method: 'GET', url: '/v1/me' });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    const none = await t.as(null, { method: 'GET', url: '/v1/me' });
    expect(none.statusCode).toBe(401);
  });

  it('a platform admin creates an organisation and its first admin, who then manages it', async () => {
    const created = await t.as(w.platformAdmin.subject, {
      method: 'POST',
      url: '/v1/organisations',
      payload: { name: 'Comune di Bergamo', belfioreCode: 'A794', istatCode: '016024' },
    });
    expect(created.statusCode).toBe(201);
    const orgId = created.json().id;
    const admin = await t.as(w.platformAdmin.subject, {
      method: 'POST',
      url: '/v1/staff',
      payload: { subject: 'bergamo-admin', givenName: 'Anna', familyName: 'Bianchi', role: 'admin', profile: 'administrative', contract: 'permanent', organisationId: orgId },
    });
    expect(admin.statusCode).toBe(201);
    const team = await t.as('bergamo-admin', { method: 'POST', url: '/v1/teams', payload: { name: 'Anziani', area: 'anziani' } });
    expect(team.statusCode).toBe(201);
    expect(team.json().organisationId).toBe(orgId);
  });

  it('an organisation admin cannot read another organisation (404)', async () => {
    const r = await t.as(w.a.staff.admin.subject, { method: 'GET', url: `/v1/organisations/${w.b.id}` });
    expect(r.statusCode).toBe(404);
  });

  it('deactivation takes effect at once', async () => {
    const subject = w.a.staff.socialWorker2.subject;
    expect((await t.as(subject, { method: 'GET', url: '/v1/me' })).statusCode).toBe(200);
    const current = await t.as(w.a.staff.admin.subject, { method: 'GET', url: `/v1/staff/${w.a.staff.socialWorker2.id}` });
    const patched = await t.as(w.a.staff.admin.subject, {
      method: 'PATCH',
      url: `/v1/staff/${w.a.staff.socialWorker2.id}`,
      headers: { 'if-match': current.headers.etag as string },
      payload: { active: false },
    });
    expect(patched.statusCode).toBe(200);
    expect((await t.as(subject, { method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  });

  it('updates need If-Match (428) and a current one (412)', async () => {
    const url = `/v1/teams/${w.a.teams.anziani}`;
    const missing = await t.as(w.a.staff.admin.subject, { method: 'PATCH', url, payload: { name: 'Anziani e fragilità' } });
    expect(missing.statusCode).toBe(428);
    const stale = await t.as(w.a.staff.admin.subject, { method: 'PATCH', url, headers: { 'if-match': '"999"' }, payload: { name: 'X' } });
    expect(stale.statusCode).toBe(412);
    const ok = await t.as(w.a.staff.admin.subject, { method: 'PATCH', url, headers: { 'if-match': '"1"' }, payload: { name: 'Anziani e fragilità' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
  });

  it('a retried POST with the same Idempotency-Key creates one team; another body is refused', async () => {
    const request = { method: 'POST' as const, url: '/v1/teams', headers: { 'idempotency-key': 'team-key-0001' }, payload: { name: 'Disabilità', area: 'disabilità' } };
    const first = await t.as(w.a.staff.admin.subject, request);
    const second = await t.as(w.a.staff.admin.subject, request);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const other = await t.as(w.a.staff.admin.subject, { ...request, payload: { name: 'Altro', area: 'x' } });
    expect(other.statusCode).toBe(422);
  });

  it('staff reads are audited with the actor', async () => {
    await t.as(w.a.staff.admin.subject, { method: 'GET', url: `/v1/staff/${w.a.staff.educator.id}` });
    const { rows } = await t.app.pool.query(`select action, outcome, actor_id, resource_id from audit_events where action = 'staff.read' order by seq desc limit 1`);
    expect(rows[0]).toMatchObject({ outcome: 'success', actor_id: w.a.staff.admin.id, resource_id: w.a.staff.educator.id });
  });
});
