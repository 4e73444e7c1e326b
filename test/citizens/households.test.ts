import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { countRows, createCitizen, lastAudit, openCase } from '../cases/fixtures.js';

let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

const createHousehold = async (subject: string, name?: string) => {
  const r = await t.as(subject, { method: 'POST', url: '/v1/households', payload: name ? { name } : {} });
  expect(r.statusCode, r.body).toBe(201);
  return r.json() as { id: string; version: number };
};
const addMember = (subject: string, householdId: string, payload: object) =>
  t.as(subject, { method: 'POST', url: `/v1/households/${householdId}/members`, payload });
const read = (subject: string, householdId: string) =>
  t.as(subject, { method: 'GET', url: `/v1/households/${householdId}` });

describe('households', () => {
  it('are created empty and gain members with relation and validity dates', async () => {
    const sw = w.a.staff.socialWorker.subject;
    const household = await createHousehold(sw, 'Famiglia Verdi');
    expect(household).toMatchObject({ name: 'Famiglia Verdi', members: [], version: 1 });
    const mother = await createCitizen(t, sw);
    const child = await createCitizen(t, sw, { givenName: 'Luca', sex: 'M', birthDate: '2015-05-05' });
    const added = await addMember(sw, household.id, {
      citizenId: mother,
      relation: 'head',
      validFrom: '2015-01-01',
    });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.headers.etag).toBe('"2"');
    await addMember(sw, household.id, {
      citizenId: child,
      relation: 'child',
      validFrom: '2015-05-05',
      validTo: '2030-12-31',
    });
    const r = await read(w.a.staff.director.subject, household.id);
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBe('"3"');
    expect(r.json().members.map((m: object) => ({ ...m, id: undefined, createdAt: undefined }))).toEqual([
      { citizenId: mother, relation: 'head', validFrom: '2015-01-01', validTo: null },
      { citizenId: child, relation: 'child', validFrom: '2015-05-05', validTo: '2030-12-31' },
    ]);
    // Only ids: a household never shows members' names.
    expect(r.body).not.toContain('Giulia');
    const event = await lastAudit(t, 'household.read');
    expect(event).toMatchObject({ resource_id: household.id, details: { returnedIds: [mother, child] } });
  });

  it('refuses a citizen of another organisation (400), an overlapping membership (409), validTo before validFrom (400)', async () => {
    const sw = w.a.staff.socialWorker.subject;
    const household = await createHousehold(sw);
    const citizen = await createCitizen(t, sw);
    const foreign = await createCitizen(t, w.b.staff.socialWorker.subject);
    const before = await countRows(t, 'household_members');
    const other = await addMember(sw, household.id, {
      citizenId: foreign,
      relation: 'head',
      validFrom: '2020-01-01',
    });
    expect(other.statusCode).toBe(400);
    expect(other.json().invalidParams[0].name).toBe('body/citizenId');
    const backwards = await addMember(sw, household.id, {
      citizenId: citizen,
      relation: 'head',
      validFrom: '2020-01-01',
      validTo: '2019-01-01',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().invalidParams[0].name).toBe('body/validTo');
    const badRelation = await addMember(sw, household.id, {
      citizenId: citizen,
      relation: 'boss',
      validFrom: '2020-01-01',
    });
    expect(badRelation.json().invalidParams[0].name).toBe('body/relation');
    expect(await countRows(t, 'household_members')).toBe(before);

    expect(
      (
        await addMember(sw, household.id, {
          citizenId: citizen,
          relation: 'head',
          validFrom: '2020-01-01',
          validTo: '2021-12-31',
        })
      ).statusCode,
    ).toBe(201);
    const overlap = await addMember(sw, household.id, {
      citizenId: citizen,
      relation: 'other',
      validFrom: '2021-06-01',
    });
    expect(overlap.statusCode).toBe(409);
    // The same person may come back after the first period ended.
    expect(
      (await addMember(sw, household.id, { citizenId: citizen, relation: 'head', validFrom: '2022-01-01' }))
        .statusCode,
    ).toBe(201);
  });

  it('visibility: registry readers of the organisation; an educator only through a member’s case; never another organisation', async () => {
    const sw = w.a.staff.socialWorker.subject;
    const household = await createHousehold(sw);
    const member = await createCitizen(t, sw);
    await addMember(sw, household.id, { citizenId: member, relation: 'head', validFrom: '2020-01-01' });
    for (const key of [
      'socialWorker',
      'socialWorker2',
      'coordinator',
      'coordinatorOther',
      'director',
    ] as const) {
      expect((await read(w.a.staff[key].subject, household.id)).statusCode, key).toBe(200);
    }
    expect((await read(w.a.staff.educator.subject, household.id)).statusCode).toBe(404);
    expect((await read(w.b.staff.socialWorker.subject, household.id)).statusCode).toBe(404);
    expect(
      (
        await addMember(w.b.staff.socialWorker.subject, household.id, {
          citizenId: member,
          relation: 'head',
          validFrom: '2030-01-01',
        })
      ).statusCode,
    ).toBe(404);
    // The world's citizen, whose case the educator works on, joins: now the educator sees the household.
    await addMember(sw, household.id, { citizenId: w.citizenId, relation: 'child', validFrom: '2020-01-01' });
    expect((await read(w.a.staff.educator.subject, household.id)).statusCode).toBe(200);
  });

  it('an educator also sees the household named as a case’s beneficiary', async () => {
    const sw = w.a.staff.socialWorker.subject;
    const household = await createHousehold(sw);
    const citizen = await createCitizen(t, sw);
    const opened = await openCase(t, w.a, citizen, { householdId: household.id });
    expect((await read(w.a.staff.educator.subject, household.id)).statusCode).toBe(404);
    await t.app.pool.query(
      `insert into assignments (organisation_id, case_id, staff_id, role, created_by) values ($1, $2, $3, 'educator', $4)`,
      [w.a.id, opened.id, w.a.staff.educator.id, w.a.staff.coordinator.id],
    );
    expect((await read(w.a.staff.educator.subject, household.id)).statusCode).toBe(200);
  });

  it('a retried POST with the same Idempotency-Key adds one member', async () => {
    const sw = w.a.staff.socialWorker.subject;
    const household = await createHousehold(sw);
    const citizen = await createCitizen(t, sw);
    const request = {
      method: 'POST' as const,
      url: `/v1/households/${household.id}/members`,
      headers: { 'idempotency-key': `member-${household.id}` },
      payload: { citizenId: citizen, relation: 'head', validFrom: '2020-01-01' },
    };
    expect((await t.as(sw, request)).statusCode).toBe(201);
    expect((await t.as(sw, request)).statusCode).toBe(201);
    const { rows } = await t.app.pool.query(
      'select count(*)::int as n from household_members where household_id = $1',
      [household.id],
    );
    expect(rows[0].n).toBe(1);
  });
});
