import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findActorBySubject } from '../../src/platform/authentication.js';
import { requireCaseAccess } from '../../src/access/case-scope.js';
import { emergencyGrants } from '../../src/db/schema/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';

/** requireCaseAccess flags a read as an emergency read exactly when only a grant opens the case. */
let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  const reason = 'Urgent call from the hospital about the child';
  const expiresAt = new Date(Date.now() + 3_600_000);
  await t.app.db.insert(emergencyGrants).values([
    { organisationId: w.a.id, caseId: w.caseId, staffId: w.a.staff.socialWorker2.id, reason, expiresAt },
    { organisationId: w.a.id, caseId: w.caseId, staffId: w.a.staff.socialWorker.id, reason, expiresAt },
  ]);
});
afterAll(async () => t?.close());

const access = async (subject: string) => requireCaseAccess(t.app.db, (await findActorBySubject(t.app.pool, subject))!, w.caseId, 'read');

describe('emergency flag of a case read', () => {
  it('is set for a worker who sees the case only through a grant', async () => {
    expect((await access(w.a.staff.socialWorker2.subject)).viaEmergency).toBe(true);
  });
  it('is not set for the assigned worker who also holds a grant', async () => {
    expect((await access(w.a.staff.socialWorker.subject)).viaEmergency).toBe(false);
  });
  it('is not set for the team coordinator', async () => {
    expect((await access(w.a.staff.coordinator.subject)).viaEmergency).toBe(false);
  });
});

/** The flag of the list's audit event: "my cases" skips the grant lookup, so it must still come out right. */
async function listFlag(subject: string, query: string) {
  const response = await t.as(subject, { method: 'GET', url: `/v1/cases${query}` });
  expect(response.statusCode).toBe(200);
  expect((response.json() as { items: { id: string }[] }).items.map((c) => c.id)).toContain(w.caseId);
  const { rows } = await t.app.pool.query<{ emergency: boolean }>(
    `select emergency from audit_events where action = 'case.list' and actor_id = $1 order by seq desc limit 1`,
    [(await findActorBySubject(t.app.pool, subject))!.id],
  );
  return rows[0]!.emergency;
}

describe('emergency flag of a case list', () => {
  it('is not set when the assigned worker who also holds a grant lists their cases, or all they see', async () => {
    expect(await listFlag(w.a.staff.socialWorker.subject, '?assignedToMe=true')).toBe(false);
    expect(await listFlag(w.a.staff.socialWorker.subject, '')).toBe(false);
  });
  it('is not set when the assigned educator lists their cases', async () => {
    expect(await listFlag(w.a.staff.educator.subject, '?assignedToMe=true')).toBe(false);
  });
  it('is set when a listed case is seen only through a grant', async () => {
    expect(await listFlag(w.a.staff.socialWorker2.subject, '')).toBe(true);
  });
});
