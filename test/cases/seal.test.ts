import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { caseVersion, createCitizen, lastAudit, openCase } from './fixtures.js';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

const seal = (subject: string, caseId: string, payload: object) =>
  t.as(subject, { method: 'PUT', url: `/v1/cases/${caseId}/seal`, payload });
const readCase = async (subject: string, caseId: string) =>
  (await t.as(subject, { method: 'GET', url: `/v1/cases/${caseId}` })).statusCode;
const listed = async (subject: string, caseId: string, filter = '') =>
  (await t.as(subject, { method: 'GET', url: `/v1/cases?limit=100${filter}` }))
    .json()
    .items.some((c: { id: string }) => c.id === caseId);

describe('sealed cases', () => {
  it('only the listed staff see a sealed case: not its case manager, coordinator or director unless listed', async () => {
    const citizen = await createCitizen(t, w.a.staff.socialWorker.subject);
    const opened = await openCase(t, w.a, citizen);
    const r = await seal(w.a.staff.director.subject, opened.id, {
      sealed: true,
      staffIds: [w.a.staff.socialWorker2.id, w.a.staff.socialWorker2.id],
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ caseId: opened.id, sealed: true, staffIds: [w.a.staff.socialWorker2.id] });
    expect(await lastAudit(t, 'case.seal')).toMatchObject({
      case_id: opened.id,
      citizen_id: citizen,
      details: { sealed: true, staffIds: [w.a.staff.socialWorker2.id] },
    });

    for (const key of ['socialWorker', 'coordinator', 'director', 'educator', 'coordinatorOther'] as const) {
      expect(await readCase(w.a.staff[key].subject, opened.id), key).toBe(404);
      expect(await listed(w.a.staff[key].subject, opened.id), key).toBe(false);
    }
    // Not even among its case manager's own cases ("my cases").
    expect(await listed(w.a.staff.socialWorker.subject, opened.id, '&assignedToMe=true')).toBe(false);
    expect(await readCase(w.a.staff.socialWorker2.subject, opened.id)).toBe(200);
    expect(await listed(w.a.staff.socialWorker2.subject, opened.id)).toBe(true);
    // The list gives sight, not the right to write: that still needs an assignment or the team.
    const patch = await t.as(w.a.staff.socialWorker2.subject, {
      method: 'PATCH',
      url: `/v1/cases/${opened.id}`,
      headers: { 'if-match': `"${await caseVersion(t, opened.id)}"` },
      payload: { complexity: 1 },
    });
    expect(patch.statusCode).toBe(404);
    // The citizen's record and searches do not reveal it either.
    const record = await t.as(w.a.staff.socialWorker.subject, {
      method: 'GET',
      url: `/v1/citizens/${citizen}`,
    });
    expect(record.json().cases).toEqual([]);
    const found = await t.as(w.a.staff.director.subject, {
      method: 'POST',
      url: '/v1/citizens/search',
      payload: { familyName: 'Verdi', givenName: 'Giulia' },
    });
    expect(found.body).not.toContain(opened.id);
    // Nor can one break the glass on it.
    const grant = await t.as(w.a.staff.coordinator.subject, {
      method: 'POST',
      url: `/v1/cases/${opened.id}/emergency-grants`,
      payload: { reason: 'Urgent call from the hospital about the child' },
    });
    expect(grant.statusCode).toBe(404);

    // The director who is listed sees it; unsealing restores the ordinary rules.
    await seal(w.a.staff.director.subject, opened.id, {
      sealed: true,
      staffIds: [w.a.staff.socialWorker2.id, w.a.staff.director.id],
    });
    expect(await readCase(w.a.staff.director.subject, opened.id)).toBe(200);
    const unsealed = await seal(w.a.staff.director.subject, opened.id, { sealed: false, staffIds: [] });
    expect(unsealed.json()).toEqual({ caseId: opened.id, sealed: false, staffIds: [] });
    expect(await readCase(w.a.staff.socialWorker.subject, opened.id)).toBe(200);
    expect(await readCase(w.a.staff.socialWorker2.subject, opened.id)).toBe(404);
    const { rows } = await t.app.pool.query(
      'select count(*)::int as n from case_seal_members where case_id = $1',
      [opened.id],
    );
    expect(rows[0].n).toBe(0);
  });

  it('an assigned worker on the list keeps writing; an emergency grant held before the seal stops working', async () => {
    const citizen = await createCitizen(t, w.a.staff.socialWorker.subject);
    const opened = await openCase(t, w.a, citizen);
    const grant = await t.as(w.a.staff.socialWorker2.subject, {
      method: 'POST',
      url: `/v1/cases/${opened.id}/emergency-grants`,
      payload: { reason: 'Night call from the police about the family' },
    });
    expect(grant.statusCode, grant.body).toBe(201);
    expect(await readCase(w.a.staff.socialWorker2.subject, opened.id)).toBe(200);
    await seal(w.a.staff.director.subject, opened.id, {
      sealed: true,
      staffIds: [w.a.staff.socialWorker.id],
    });
    expect(await readCase(w.a.staff.socialWorker2.subject, opened.id)).toBe(404);
    const patch = await t.as(w.a.staff.socialWorker.subject, {
      method: 'PATCH',
      url: `/v1/cases/${opened.id}`,
      headers: { 'if-match': `"${await caseVersion(t, opened.id)}"` },
      payload: { complexity: 3 },
    });
    expect(patch.statusCode, patch.body).toBe(200);
  });

  it('the list names staff of the organisation; a sealed case names someone; an unsealed one no one (400, nothing changes)', async () => {
    const citizen = await createCitizen(t, w.a.staff.socialWorker.subject);
    const opened = await openCase(t, w.a, citizen);
    const before = await caseVersion(t, opened.id);
    const bad: [object, string][] = [
      [{ sealed: true, staffIds: [w.b.staff.socialWorker.id] }, 'body/staffIds'],
      [{ sealed: true, staffIds: [] }, 'body/staffIds'],
      [{ sealed: false, staffIds: [w.a.staff.socialWorker.id] }, 'body/staffIds'],
      [{ sealed: 'yes', staffIds: [] }, 'body/sealed'],
      [{ sealed: true, staffIds: ['nobody'] }, 'body/staffIds/0'],
    ];
    for (const [payload, field] of bad) {
      const r = await seal(w.a.staff.director.subject, opened.id, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().invalidParams.map((p: { name: string }) => p.name)).toEqual([field]);
    }
    expect(await caseVersion(t, opened.id)).toBe(before);
    expect(await readCase(w.a.staff.socialWorker.subject, opened.id)).toBe(200);
  });

  it('only a director seals (403 for other roles), only in its organisation (404), and may correct a seal it is not on', async () => {
    const citizen = await createCitizen(t, w.a.staff.socialWorker.subject);
    const opened = await openCase(t, w.a, citizen);
    const payload = { sealed: true, staffIds: [w.a.staff.socialWorker.id] };
    for (const key of [
      'socialWorker',
      'coordinator',
      'educator',
      'admin',
      'auditor',
      'electedOfficial',
    ] as const) {
      expect((await seal(w.a.staff[key].subject, opened.id, payload)).statusCode, key).toBe(403);
    }
    expect((await seal(w.b.staff.director.subject, opened.id, payload)).statusCode).toBe(404);
    expect((await seal(w.a.staff.director.subject, opened.id, payload)).statusCode).toBe(200);
    expect(await readCase(w.a.staff.director.subject, opened.id)).toBe(404);
    const corrected = await seal(w.a.staff.director.subject, opened.id, {
      sealed: true,
      staffIds: [w.a.staff.socialWorker.id, w.a.staff.coordinator.id],
    });
    expect(corrected.statusCode).toBe(200);
    expect(await readCase(w.a.staff.coordinator.subject, opened.id)).toBe(200);
  });
});
