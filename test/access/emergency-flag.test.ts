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
