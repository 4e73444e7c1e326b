import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { grantEmergency, insertCase, insertStaffMember } from '../assignments/fixtures.js';

/** Individual plans through HTTP: creation, changes under If-Match, the status lifecycle, overdue reviews. */
let t: TestApp;
let w: World;
let worker: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  worker = w.a.staff.socialWorker.subject;
});
afterAll(async () => t?.close());

const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
const dayOffset = (days: number) => {
  const d = new Date(`${today()}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

const create = (caseId: string, body: object = {}, subject = worker, headers: Record<string, string> = {}) =>
  t.as(subject, {
    method: 'POST',
    url: `/v1/cases/${caseId}/plans`,
    headers,
    payload: {
      goals: ['Frequenza scolastica regolare', 'Sostegno alla genitorialità'],
      startDate: dayOffset(-30),
      reviewDueDate: dayOffset(150),
      responsibleStaffId: w.a.staff.socialWorker.id,
      ...body,
    },
  });
const patch = (id: string, version: number | null, body: object, subject = worker) =>
  t.as(subject, {
    method: 'PATCH',
    url: `/v1/plans/${id}`,
    headers: version === null ? {} : { 'if-match': `"${version}"` },
    payload: body,
  });
const overdue = async (subject: string) => {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await t.as(subject, {
      method: 'GET',
      url: `/v1/plans/overdue-reviews?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
    });
    expect(page.statusCode).toBe(200);
    ids.push(...page.json().items.map((p: { id: string }) => p.id));
    cursor = page.json().nextCursor;
  } while (cursor);
  return ids;
};
const invalidNames = (r: { json(): { invalidParams?: { name: string }[] } }) =>
  r.json().invalidParams?.map((p) => p.name);
const countPlans = async () => (await t.app.pool.query(`select count(*)::int as n from plans`)).rows[0].n;

describe('creating and reading plans', () => {
  it('creates a draft plan with an ETag; reads it by id and in the case’s list', async () => {
    const { caseId } = await insertCase(t.app.db, w.a, {
      others: [{ staffId: w.a.staff.educator.id, role: 'educator' }],
    });
    const r = await create(caseId, { responsibleStaffId: w.a.staff.educator.id });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    expect(r.json()).toMatchObject({
      caseId,
      goals: ['Frequenza scolastica regolare', 'Sostegno alla genitorialità'],
      startDate: dayOffset(-30),
      reviewDueDate: dayOffset(150),
      responsibleStaffId: w.a.staff.educator.id,
      status: 'draft',
      createdBy: w.a.staff.socialWorker.id,
      version: 1,
    });
    const one = await t.as(w.a.staff.educator.subject, { method: 'GET', url: `/v1/plans/${r.json().id}` });
    expect(one.statusCode).toBe(200);
    expect(one.headers.etag).toBe('"1"');
    expect(one.json()).toEqual(r.json());
    const listed = await t.as(w.a.staff.director.subject, {
      method: 'GET',
      url: `/v1/cases/${caseId}/plans`,
    });
    expect(listed.json().items).toEqual([r.json()]);
  });

  it('refuses a review before the start, an unfit responsible worker, a closed case; nothing is written', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const inactive = await insertStaffMember(t.app.db, w.a, 'social_worker', { active: false });
    const before = await countPlans();
    expect(
      invalidNames(await create(caseId, { startDate: '2026-03-01', reviewDueDate: '2026-02-28' })),
    ).toEqual(['body/reviewDueDate']);
    for (const staffId of [
      inactive.id,
      w.a.staff.admin.id,
      w.a.staff.director.id,
      w.b.staff.socialWorker.id,
      randomUUID(),
    ]) {
      expect(invalidNames(await create(caseId, { responsibleStaffId: staffId }))).toEqual([
        'body/responsibleStaffId',
      ]);
    }
    expect(invalidNames(await create(caseId, { status: 'completed' }))).toEqual(['body/status']);
    const closed = await insertCase(t.app.db, w.a, { status: 'closed' });
    expect((await create(closed.caseId)).statusCode).toBe(409);
    expect(await countPlans()).toBe(before);
  });

  it('a retried POST with the same Idempotency-Key creates one plan', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const headers = { 'idempotency-key': `plan-${randomUUID()}` };
    const first = await create(caseId, {}, worker, headers);
    const second = await create(caseId, {}, worker, headers);
    expect(second.json().id).toBe(first.json().id);
    const { rows } = await t.app.pool.query(`select count(*)::int as n from plans where case_id = $1`, [
      caseId,
    ]);
    expect(rows[0].n).toBe(1);
  });
});

describe('changing plans', () => {
  it('needs If-Match (428) and the current version (412)', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const id = (await create(caseId)).json().id;
    expect((await patch(id, null, { status: 'active' })).statusCode).toBe(428);
    expect((await patch(id, 4, { status: 'active' })).statusCode).toBe(412);
    const ok = await patch(id, 1, { status: 'active', goals: ['Autonomia abitativa'] });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(ok.json()).toMatchObject({ status: 'active', goals: ['Autonomia abitativa'], version: 2 });
  });

  it('follows the lifecycle draft → active → completed; a closed plan is kept as it was', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const id = (await create(caseId)).json().id;
    expect((await patch(id, 1, { status: 'completed' })).json()).toMatchObject({
      status: 409,
      code: 'invalid_transition',
    });
    expect((await patch(id, 1, { status: 'active' })).statusCode).toBe(200);
    expect((await patch(id, 2, { status: 'draft' })).json().code).toBe('invalid_transition');
    expect((await patch(id, 2, { status: 'completed' })).statusCode).toBe(200);
    const frozen = await patch(id, 3, { goals: ['altro'] });
    expect(frozen.statusCode).toBe(409);
    const { rows } = await t.app.pool.query(`select status, version, goals from plans where id = $1`, [id]);
    expect(rows[0]).toMatchObject({ status: 'completed', version: 3 });
  });

  it('checks the dates as they would be after the change', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const id = (await create(caseId, { startDate: '2026-01-15', reviewDueDate: '2026-02-15' })).json().id;
    expect(invalidNames(await patch(id, 1, { startDate: '2026-03-01' }))).toEqual(['body/startDate']);
    expect(invalidNames(await patch(id, 1, { reviewDueDate: '2026-01-14' }))).toEqual(['body/reviewDueDate']);
    expect(invalidNames(await patch(id, 1, {}))).toEqual(['body']);
    expect((await patch(id, 1, { startDate: '2026-03-01', reviewDueDate: '2026-09-01' })).statusCode).toBe(
      200,
    );
  });

  it('two concurrent PATCHes with the same ETag: one 200, one 412', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const id = (await create(caseId)).json().id;
    const results = await Promise.all([
      patch(id, 1, { goals: ['prima'] }),
      patch(id, 1, { goals: ['seconda'] }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    const winner = results.find((r) => r.statusCode === 200)!.json().goals;
    const { rows } = await t.app.pool.query(`select goals, version from plans where id = $1`, [id]);
    expect(rows[0]).toEqual({ goals: winner, version: 2 });
  });
});

describe('overdue reviews', () => {
  let mine: string;
  let coordinated: string;
  let elsewhere: string;

  beforeAll(async () => {
    const a = await insertCase(t.app.db, w.a);
    const b = await insertCase(t.app.db, w.a, { team: 'anziani', caseManager: w.a.staff.socialWorker2.id });
    const activeOverdue = (caseId: string, subject: string) =>
      create(
        caseId,
        { status: 'active', startDate: dayOffset(-200), reviewDueDate: dayOffset(-1) },
        subject,
      ).then((r) => r.json().id as string);
    mine = await activeOverdue(a.caseId, worker);
    // Not overdue: due today, a draft, a completed plan.
    await create(a.caseId, { status: 'active', startDate: dayOffset(-10), reviewDueDate: today() });
    await create(a.caseId, { status: 'draft', startDate: dayOffset(-200), reviewDueDate: dayOffset(-30) });
    const done = (
      await create(a.caseId, { status: 'active', startDate: dayOffset(-200), reviewDueDate: dayOffset(-30) })
    ).json();
    await patch(done.id, 1, { status: 'completed' });
    coordinated = await activeOverdue(b.caseId, w.a.staff.socialWorker2.subject);
    elsewhere = (
      await t.app.pool.query<{ id: string }>(
        `insert into plans (organisation_id, case_id, goals, start_date, review_due_date, responsible_staff_id, status, created_by)
         values ($1, $2, '["x"]', '2025-01-01', '2025-06-01', $3, 'active', $3) returning id`,
        [w.a.id, w.caseId, w.a.staff.socialWorker.id],
      )
    ).rows[0]!.id;
  });

  it('lists active plans past their review day, on the caller’s own cases only', async () => {
    expect((await overdue(worker)).sort()).toEqual([mine, elsewhere].sort());
    expect(await overdue(w.a.staff.socialWorker2.subject)).toEqual([coordinated]);
    expect((await overdue(w.a.staff.coordinator.subject)).sort()).toEqual([mine, elsewhere].sort());
    expect(await overdue(w.a.staff.coordinatorOther.subject)).toEqual([coordinated]);
    expect((await overdue(w.a.staff.director.subject)).sort()).toEqual([mine, coordinated, elsewhere].sort());
    expect(await overdue(w.a.staff.educator.subject)).toEqual([elsewhere]);
    expect(await overdue(w.b.staff.director.subject)).toEqual([]);
  });

  it('cases seen only through an emergency grant are not on the list', async () => {
    const worker2 = await insertStaffMember(t.app.db, w.a, 'social_worker');
    const { rows } = await t.app.pool.query<{ case_id: string }>(`select case_id from plans where id = $1`, [
      mine,
    ]);
    await grantEmergency(t.app.db, w.a, rows[0]!.case_id, worker2.id);
    expect((await t.as(worker2.subject, { method: 'GET', url: `/v1/plans/${mine}` })).statusCode).toBe(200);
    expect(await overdue(worker2.subject)).toEqual([]);
  });

  it('the list is audited with the plan and case ids', async () => {
    await overdue(w.a.staff.socialWorker2.subject);
    const { rows } = await t.app.pool.query(
      `select details from audit_events where action = 'plan.overdue.list' and actor_id = $1 order by seq desc limit 1`,
      [w.a.staff.socialWorker2.id],
    );
    const { rows: plan } = await t.app.pool.query(`select case_id from plans where id = $1`, [coordinated]);
    expect(rows[0].details).toEqual({ returnedIds: [coordinated], caseIds: [plan[0].case_id] });
  });
});
