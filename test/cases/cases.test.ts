import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import {
  addStaff,
  caseBody,
  caseVersion,
  countRows,
  createCitizen,
  lastAudit,
  openCase,
} from './fixtures.js';

let t: TestApp;
let w: World;
let citizenId: string;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  citizenId = await createCitizen(t, w.a.staff.socialWorker.subject);
});
afterAll(async () => t?.close());

const post = (subject: string, payload: object, headers: Record<string, string> = {}) =>
  t.as(subject, { method: 'POST', url: '/v1/cases', payload, headers });
const invalidNames = (r: { json(): { invalidParams?: { name: string }[] } }) =>
  r.json().invalidParams?.map((p) => p.name);

describe('opening a case', () => {
  it('a social worker opens a referred case in their team and becomes its case manager', async () => {
    const r = await post(
      w.a.staff.socialWorker.subject,
      caseBody(w.a, citizenId, { judicialMeasure: true, complexity: 3 }),
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    const created = r.json();
    expect(created).toMatchObject({
      citizenId,
      householdId: null,
      teamId: w.a.teams.minori,
      userArea: 'family_minors',
      siussArea: 1,
      referralSource: 'school',
      referralDate: '2026-01-15',
      complexity: 3,
      judicialMeasure: true,
      status: 'referred',
      closureReason: null,
      takenInChargeAt: null,
      closedAt: null,
      sealed: false,
      caseManagerId: w.a.staff.socialWorker.id,
      createdBy: w.a.staff.socialWorker.id,
      version: 1,
    });
    const { rows: assignments } = await t.app.pool.query(
      'select staff_id, role, valid_to from assignments where case_id = $1',
      [created.id],
    );
    expect(assignments).toEqual([
      { staff_id: w.a.staff.socialWorker.id, role: 'case_manager', valid_to: null },
    ]);
    const { rows: history } = await t.app.pool.query(
      'select from_status, to_status, changed_by from case_status_changes where case_id = $1',
      [created.id],
    );
    expect(history).toEqual([
      { from_status: null, to_status: 'referred', changed_by: w.a.staff.socialWorker.id },
    ]);
    expect(await lastAudit(t, 'case.create')).toMatchObject({
      outcome: 'success',
      case_id: created.id,
      citizen_id: citizenId,
      resource_id: created.id,
    });
  });

  it('a social worker cannot open a case outside their teams nor name another case manager (400, nothing written)', async () => {
    const before = await countRows(t, 'cases');
    const otherTeam = await post(
      w.a.staff.socialWorker.subject,
      caseBody(w.a, citizenId, { teamId: w.a.teams.anziani }),
    );
    expect(otherTeam.statusCode).toBe(400);
    expect(invalidNames(otherTeam)).toEqual(['body/teamId']);
    const otherManager = await post(
      w.a.staff.socialWorker.subject,
      caseBody(w.a, citizenId, { caseManagerId: w.a.staff.socialWorker2.id }),
    );
    expect(invalidNames(otherManager)).toEqual(['body/caseManagerId']);
    expect(await countRows(t, 'cases')).toBe(before);
    expect(await countRows(t, 'assignments')).toBe(2 + before - 1);
  });

  it('a coordinator names the case manager: an active social worker of the organisation, in a team it coordinates', async () => {
    const coordinator = w.a.staff.coordinator.subject;
    const before = await countRows(t, 'cases');
    expect(invalidNames(await post(coordinator, caseBody(w.a, citizenId)))).toEqual(['body/caseManagerId']);
    expect(
      invalidNames(
        await post(coordinator, caseBody(w.a, citizenId, { caseManagerId: w.a.staff.educator.id })),
      ),
    ).toEqual(['body/caseManagerId']);
    expect(
      invalidNames(
        await post(coordinator, caseBody(w.a, citizenId, { caseManagerId: w.b.staff.socialWorker.id })),
      ),
    ).toEqual(['body/caseManagerId']);
    expect(
      invalidNames(
        await post(
          coordinator,
          caseBody(w.a, citizenId, { caseManagerId: w.a.staff.socialWorker2.id, teamId: w.a.teams.anziani }),
        ),
      ),
    ).toEqual(['body/teamId']);
    expect(await countRows(t, 'cases')).toBe(before);

    const r = await post(
      coordinator,
      caseBody(w.a, citizenId, { caseManagerId: w.a.staff.socialWorker2.id }),
    );
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({
      caseManagerId: w.a.staff.socialWorker2.id,
      createdBy: w.a.staff.coordinator.id,
    });
    expect(
      (await t.as(w.a.staff.socialWorker2.subject, { method: 'GET', url: `/v1/cases/${r.json().id}` }))
        .statusCode,
    ).toBe(200);
    expect(
      (await t.as(w.a.staff.socialWorker.subject, { method: 'GET', url: `/v1/cases/${r.json().id}` }))
        .statusCode,
    ).toBe(404);
  });

  it('an inactive social worker cannot be named case manager', async () => {
    const { rows } = await t.app.pool.query(
      `insert into staff (organisation_id, subject, given_name, family_name, role, profile, contract, active)
       values ($1, 'inactive-sw', 'Ex', 'Worker', 'social_worker', 'social_worker', 'permanent', false) returning id`,
      [w.a.id],
    );
    const r = await post(
      w.a.staff.coordinator.subject,
      caseBody(w.a, citizenId, { caseManagerId: rows[0].id }),
    );
    expect(invalidNames(r)).toEqual(['body/caseManagerId']);
  });

  it('the citizen and household must be of the organisation', async () => {
    const foreignCitizen = await createCitizen(t, w.b.staff.socialWorker.subject);
    expect(invalidNames(await post(w.a.staff.socialWorker.subject, caseBody(w.a, foreignCitizen)))).toEqual([
      'body/citizenId',
    ]);
    const foreignHousehold = await t.as(w.b.staff.socialWorker.subject, {
      method: 'POST',
      url: '/v1/households',
      payload: {},
    });
    const r = await post(
      w.a.staff.socialWorker.subject,
      caseBody(w.a, citizenId, { householdId: foreignHousehold.json().id }),
    );
    expect(invalidNames(r)).toEqual(['body/householdId']);
  });

  it('validates the classification (400 naming each field)', async () => {
    const bad: [Record<string, unknown>, string][] = [
      [{ userArea: 'children' }, 'body/userArea'],
      [{ siussArea: 4 }, 'body/siussArea'],
      [{ complexity: 0 }, 'body/complexity'],
      [{ complexity: 2.5 }, 'body/complexity'],
      [{ referralDate: '2026-02-30' }, 'body/referralDate'],
      [{ referralDate: '2999-01-01' }, 'body/referralDate'],
      [{ referralSource: '   ' }, 'body/referralSource'],
      [{ judicialMeasure: 'yes' }, 'body/judicialMeasure'],
      [{ teamId: 'not-a-uuid' }, 'body/teamId'],
    ];
    const before = await countRows(t, 'cases');
    for (const [overrides, field] of bad) {
      const r = await post(w.a.staff.socialWorker.subject, caseBody(w.a, citizenId, overrides));
      expect(r.statusCode, JSON.stringify(overrides)).toBe(400);
      expect(invalidNames(r)).toContain(field);
    }
    expect(await countRows(t, 'cases')).toBe(before);
  });

  it('a retried POST with the same Idempotency-Key creates one case; another body with it is refused', async () => {
    const citizen = await createCitizen(t, w.a.staff.socialWorker.subject);
    const headers = { 'idempotency-key': 'open-case-retry-0001' };
    const first = await post(w.a.staff.socialWorker.subject, caseBody(w.a, citizen), headers);
    const second = await post(w.a.staff.socialWorker.subject, caseBody(w.a, citizen), headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    const { rows } = await t.app.pool.query('select count(*)::int as n from cases where citizen_id = $1', [
      citizen,
    ]);
    expect(rows[0].n).toBe(1);
    const other = await post(
      w.a.staff.socialWorker.subject,
      caseBody(w.a, citizen, { complexity: 1 }),
      headers,
    );
    expect(other.statusCode).toBe(422);
  });

  it('two concurrent retries with the same Idempotency-Key still create one case', async () => {
    const citizen = await createCitizen(t, w.a.staff.socialWorker.subject);
    const headers = { 'idempotency-key': 'open-case-race-0001' };
    const [a, b] = await Promise.all([
      post(w.a.staff.socialWorker.subject, caseBody(w.a, citizen), headers),
      post(w.a.staff.socialWorker.subject, caseBody(w.a, citizen), headers),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().id).toBe(b.json().id);
    const { rows } = await t.app.pool.query('select count(*)::int as n from cases where citizen_id = $1', [
      citizen,
    ]);
    expect(rows[0].n).toBe(1);
  });
});

describe('reading and listing cases', () => {
  it('GET answers the case with its ETag to those in scope and 404 to everyone else', async () => {
    const url = `/v1/cases/${w.caseId}`;
    for (const key of ['socialWorker', 'educator', 'coordinator', 'director'] as const) {
      const r = await t.as(w.a.staff[key].subject, { method: 'GET', url });
      expect(r.statusCode, key).toBe(200);
      expect(r.headers.etag).toBe(`"${await caseVersion(t, w.caseId)}"`);
      expect(r.json()).toMatchObject({
        id: w.caseId,
        status: 'in_charge',
        caseManagerId: w.a.staff.socialWorker.id,
      });
    }
    for (const subject of [
      w.a.staff.socialWorker2.subject,
      w.a.staff.coordinatorOther.subject,
      w.b.staff.director.subject,
      w.b.staff.socialWorker.subject,
    ]) {
      const r = await t.as(subject, { method: 'GET', url });
      expect(r.statusCode).toBe(404);
      expect(r.body).not.toContain(w.citizenId);
    }
    expect(await lastAudit(t, 'case.read')).toMatchObject({ outcome: 'denied', case_id: null });
  });

  it('lists only cases in scope, with filters, newest first, in pages', async () => {
    const worker = await addStaff(t, w.a, 'social_worker', [w.a.teams.minori]);
    const citizen = await createCitizen(t, worker.subject);
    const mine = [];
    for (let i = 0; i < 3; i++)
      mine.push(
        (
          await openCase(
            t,
            w.a,
            citizen,
            { userArea: i === 0 ? 'disability' : 'family_minors' },
            worker.subject,
          )
        ).id,
      );
    const elderly = await openCase(
      t,
      w.a,
      citizen,
      { teamId: w.a.teams.anziani, userArea: 'elderly', caseManagerId: worker.id },
      w.a.staff.coordinatorOther.subject,
    );
    const idsFor = async (subject: string, query = '') => {
      const r = await t.as(subject, { method: 'GET', url: `/v1/cases?limit=100${query}` });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().items.map((c: { id: string }) => c.id) as string[];
    };
    const newestFirst = [...mine].reverse();
    expect(await idsFor(worker.subject)).toEqual([elderly.id, ...newestFirst]);
    expect(await idsFor(worker.subject, `&teamId=${w.a.teams.minori}`)).toEqual(newestFirst);
    expect(await idsFor(worker.subject, '&userArea=disability')).toEqual([mine[0]]);
    expect(await idsFor(worker.subject, '&status=in_charge')).toEqual([]);
    expect(await idsFor(w.a.staff.coordinatorOther.subject)).toEqual([elderly.id]);
    expect(await idsFor(w.a.staff.coordinatorOther.subject, '&assignedToMe=true')).toEqual([]);
    expect(await idsFor(w.a.staff.coordinator.subject, '&assignedToMe=false')).toContain(mine[0]);
    expect(await idsFor(w.a.staff.coordinator.subject)).not.toContain(elderly.id);
    expect(await idsFor(w.a.staff.educator.subject)).toEqual([w.caseId]);
    const director = await idsFor(w.a.staff.director.subject);
    expect(director).toEqual(expect.arrayContaining([...mine, elderly.id, w.caseId]));
    expect(await idsFor(w.b.staff.director.subject)).toEqual([]);
    // The world's case is not in the unassigned worker's list.
    expect(await idsFor(worker.subject)).not.toContain(w.caseId);

    const page1 = await t.as(worker.subject, { method: 'GET', url: '/v1/cases?limit=3' });
    const page2 = await t.as(worker.subject, {
      method: 'GET',
      url: `/v1/cases?limit=3&cursor=${page1.json().nextCursor}`,
    });
    expect([...page1.json().items, ...page2.json().items].map((c: { id: string }) => c.id)).toEqual([
      elderly.id,
      ...newestFirst,
    ]);
    expect(page2.json().nextCursor).toBeNull();
    // "My cases" (read through the assignments, migration 0012) keeps the same order from page to page.
    const myPage1 = await t.as(worker.subject, { method: 'GET', url: '/v1/cases?assignedToMe=true&limit=3' });
    const myPage2 = await t.as(worker.subject, {
      method: 'GET',
      url: `/v1/cases?assignedToMe=true&limit=3&cursor=${myPage1.json().nextCursor}`,
    });
    expect([...myPage1.json().items, ...myPage2.json().items].map((c: { id: string }) => c.id)).toEqual([
      elderly.id,
      ...newestFirst,
    ]);
    expect(myPage2.json().nextCursor).toBeNull();
    expect(await idsFor(worker.subject, '&assignedToMe=true&userArea=disability')).toEqual([mine[0]]);
    expect(await lastAudit(t, 'case.list')).toMatchObject({ details: { returnedIds: [mine[0]] } });
  });

  it('list filters are validated (400 naming the query field)', async () => {
    for (const [query, field] of [
      ['status=done', 'querystring/status'],
      ['teamId=x', 'querystring/teamId'],
      ['assignedToMe=yes', 'querystring/assignedToMe'],
      ['limit=0', 'querystring/limit'],
      ['cursor=abc', 'query/cursor'],
    ]) {
      const r = await t.as(w.a.staff.socialWorker.subject, { method: 'GET', url: `/v1/cases?${query}` });
      expect(r.statusCode, query).toBe(400);
      expect(invalidNames(r)).toEqual([field]);
    }
  });

  it('cases are never deleted: there is no DELETE route', async () => {
    const r = await t.as(w.a.staff.director.subject, { method: 'DELETE', url: `/v1/cases/${w.caseId}` });
    expect(r.statusCode).toBe(404);
    expect(await countRows(t, `cases where id = '${w.caseId}'`)).toBe(1);
  });
});

describe('changing a case', () => {
  it('needs If-Match (428) and a current one (412); changes the fields and the version', async () => {
    const opened = await openCase(t, w.a, citizenId);
    const url = `/v1/cases/${opened.id}`;
    const sw = w.a.staff.socialWorker.subject;
    expect((await t.as(sw, { method: 'PATCH', url, payload: { complexity: 1 } })).statusCode).toBe(428);
    expect(
      (await t.as(sw, { method: 'PATCH', url, headers: { 'if-match': '"5"' }, payload: { complexity: 1 } }))
        .statusCode,
    ).toBe(412);
    const household = await t.as(sw, { method: 'POST', url: '/v1/households', payload: {} });
    const ok = await t.as(sw, {
      method: 'PATCH',
      url,
      headers: { 'if-match': '"1"' },
      payload: {
        complexity: 1,
        judicialMeasure: true,
        userArea: 'poverty_adults',
        siussArea: 3,
        referralSource: 'hospital',
        referralDate: '2025-12-01',
        householdId: household.json().id,
      },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({
      complexity: 1,
      judicialMeasure: true,
      userArea: 'poverty_adults',
      siussArea: 3,
      referralSource: 'hospital',
      referralDate: '2025-12-01',
      householdId: household.json().id,
      version: 2,
    });
    const cleared = await t.as(sw, {
      method: 'PATCH',
      url,
      headers: { 'if-match': '"2"' },
      payload: { householdId: null },
    });
    expect(cleared.json().householdId).toBeNull();
  });

  it('two concurrent PATCHes with the same ETag: exactly one 200, the other 412, nothing lost', async () => {
    const opened = await openCase(t, w.a, citizenId);
    const patch = (subject: string, payload: object) =>
      t.as(subject, {
        method: 'PATCH',
        url: `/v1/cases/${opened.id}`,
        headers: { 'if-match': '"1"' },
        payload,
      });
    const [one, two] = await Promise.all([
      patch(w.a.staff.socialWorker.subject, { complexity: 3 }),
      patch(w.a.staff.coordinator.subject, { referralSource: 'police' }),
    ]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([200, 412]);
    const { rows } = await t.app.pool.query(
      'select complexity, referral_source, version from cases where id = $1',
      [opened.id],
    );
    expect(rows[0]).toEqual(
      one.statusCode === 200
        ? { complexity: 3, referral_source: 'school', version: 2 }
        : { complexity: 2, referral_source: 'police', version: 2 },
    );
    // The loser reads again and applies its change on top of the winner's: nothing is lost.
    const loser =
      one.statusCode === 200
        ? { subject: w.a.staff.coordinator.subject, payload: { referralSource: 'police' } }
        : { subject: w.a.staff.socialWorker.subject, payload: { complexity: 3 } };
    const retried = await t.as(loser.subject, {
      method: 'PATCH',
      url: `/v1/cases/${opened.id}`,
      headers: { 'if-match': '"2"' },
      payload: loser.payload,
    });
    expect(retried.json()).toMatchObject({ complexity: 3, referralSource: 'police', version: 3 });
  });

  it('a case moves only to a team of the person moving it; out of scope is 404, roles without the permission 403', async () => {
    const opened = await openCase(t, w.a, citizenId);
    const url = `/v1/cases/${opened.id}`;
    const moveToAnziani = await t.as(w.a.staff.coordinator.subject, {
      method: 'PATCH',
      url,
      headers: { 'if-match': '"1"' },
      payload: { teamId: w.a.teams.anziani },
    });
    expect(moveToAnziani.statusCode).toBe(400);
    expect(invalidNames(moveToAnziani)).toEqual(['body/teamId']);
    const statuses = async (subject: string) =>
      (
        await t.as(subject, {
          method: 'PATCH',
          url,
          headers: { 'if-match': '"1"' },
          payload: { complexity: 1 },
        })
      ).statusCode;
    expect(await statuses(w.a.staff.socialWorker2.subject)).toBe(404);
    expect(await statuses(w.a.staff.coordinatorOther.subject)).toBe(404);
    expect(await statuses(w.b.staff.coordinator.subject)).toBe(404);
    expect(await statuses(w.a.staff.educator.subject)).toBe(403);
    expect(await statuses(w.a.staff.director.subject)).toBe(403);
    expect(await caseVersion(t, opened.id)).toBe(1);
  });
});
