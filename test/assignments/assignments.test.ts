import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { insertCase, insertStaffMember } from './fixtures.js';

/**
 * Assignments through HTTP on a real PostgreSQL: who may be assigned, one case manager at a time, the
 * handover in one transaction, absence covers that end by themselves, ending rows without rewriting history.
 */
let t: TestApp;
let w: World;
let coordinator: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  coordinator = w.a.staff.coordinator.subject;
});
afterAll(async () => t?.close());

const assign = (caseId: string, body: object, subject = coordinator, headers: Record<string, string> = {}) =>
  t.as(subject, { method: 'POST', url: `/v1/cases/${caseId}/assignments`, payload: body, headers });
const end = (id: string, version: number | null, body: object, subject = coordinator) =>
  t.as(subject, {
    method: 'PATCH',
    url: `/v1/assignments/${id}`,
    payload: body,
    headers: version === null ? {} : { 'if-match': `"${version}"` },
  });
const list = (caseId: string, subject = coordinator) =>
  t.as(subject, { method: 'GET', url: `/v1/cases/${caseId}/assignments?limit=100` });

/** Every assignment row of a case as the database holds it. */
async function rowsOf(caseId: string) {
  const { rows } = await t.app.pool.query(
    `select id, staff_id, role, valid_from, valid_to, end_reason, version from assignments where case_id = $1 order by created_at, id`,
    [caseId],
  );
  return rows;
}
async function activeCaseManagers(caseId: string) {
  const { rows } = await t.app.pool.query<{ staff_id: string }>(
    `select staff_id from assignments where case_id = $1 and role = 'case_manager' and valid_from <= now() and (valid_to is null or valid_to > now())`,
    [caseId],
  );
  return rows.map((r) => r.staff_id);
}
const invalidNames = (r: { json(): { invalidParams?: { name: string }[] } }) =>
  r.json().invalidParams?.map((p) => p.name);
const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();

describe('assigning workers', () => {
  it('a coordinator of the team assigns a co-worker, who can then see the case', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    expect((await list(caseId, w.a.staff.socialWorker2.subject)).statusCode).toBe(404);
    const r = await assign(caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'co_worker',
      reason: 'supporto al case manager',
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    expect(r.json()).toMatchObject({
      caseId,
      staffId: w.a.staff.socialWorker2.id,
      role: 'co_worker',
      validTo: null,
      active: true,
      reason: 'supporto al case manager',
      endReason: null,
      createdBy: w.a.staff.coordinator.id,
      version: 1,
    });
    const seen = await list(caseId, w.a.staff.socialWorker2.subject);
    expect(seen.statusCode).toBe(200);
    expect(
      seen
        .json()
        .items.map((a: { role: string }) => a.role)
        .sort(),
    ).toEqual(['case_manager', 'co_worker']);
  });

  it('the role must fit the worker, who must be active and of the organisation; nothing is written otherwise', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const inactive = await insertStaffMember(t.app.db, w.a, 'social_worker', { active: false });
    const before = await rowsOf(caseId);
    const refusals: [object, string][] = [
      [{ staffId: w.a.staff.educator.id, role: 'case_manager', replaceCurrent: true }, 'body/role'],
      [{ staffId: w.a.staff.educator.id, role: 'co_worker' }, 'body/role'],
      [{ staffId: w.a.staff.socialWorker2.id, role: 'educator' }, 'body/role'],
      [{ staffId: w.a.staff.director.id, role: 'co_worker' }, 'body/role'],
      [{ staffId: w.a.staff.admin.id, role: 'educator' }, 'body/role'],
      [{ staffId: inactive.id, role: 'co_worker' }, 'body/staffId'],
      [{ staffId: w.b.staff.socialWorker.id, role: 'co_worker' }, 'body/staffId'],
      [{ staffId: randomUUID(), role: 'co_worker' }, 'body/staffId'],
      [
        { staffId: w.a.staff.socialWorker2.id, role: 'co_worker', replaceCurrent: true },
        'body/replaceCurrent',
      ],
      [{ staffId: w.a.staff.socialWorker.id, role: 'case_manager', replaceCurrent: true }, 'body/staffId'],
      [{ staffId: w.a.staff.socialWorker2.id, role: 'co_worker', validFrom: inHours(-1) }, 'body/validFrom'],
      [{ staffId: w.a.staff.socialWorker2.id, role: 'co_worker', validTo: inHours(-1) }, 'body/validTo'],
      [
        {
          staffId: w.a.staff.socialWorker2.id,
          role: 'co_worker',
          validFrom: inHours(5),
          validTo: inHours(4),
        },
        'body/validTo',
      ],
    ];
    for (const [body, field] of refusals) {
      const r = await assign(caseId, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(invalidNames(r)).toEqual([field]);
    }
    expect(await rowsOf(caseId)).toEqual(before);
  });

  it('an educator is assigned as educator; a coordinator can be a co-worker', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    expect((await assign(caseId, { staffId: w.a.staff.educator.id, role: 'educator' })).statusCode).toBe(201);
    expect(
      (await assign(caseId, { staffId: w.a.staff.coordinatorOther.id, role: 'co_worker' })).statusCode,
    ).toBe(201);
  });

  it('a second case manager is refused with a clear 409 and nothing changes', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const before = await rowsOf(caseId);
    const r = await assign(caseId, { staffId: w.a.staff.socialWorker2.id, role: 'case_manager' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'conflict', status: 409 });
    expect(r.json().detail).toMatch(/already has a case manager.*replaceCurrent/);
    expect(await rowsOf(caseId)).toEqual(before);
    expect(await activeCaseManagers(caseId)).toEqual([w.a.staff.socialWorker.id]);
    // A planned second case manager overlapping the current one is refused the same way.
    const planned = await assign(caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'case_manager',
      validFrom: inHours(24),
    });
    expect(planned.statusCode).toBe(409);
    expect(await rowsOf(caseId)).toEqual(before);
  });

  it('a worker holds one assignment on a case at a time (409)', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const r = await assign(caseId, { staffId: w.a.staff.socialWorker.id, role: 'co_worker' });
    expect(r.statusCode).toBe(409);
    expect(r.json().detail).toMatch(/already holds an assignment/);
  });

  it('reassignment ends the current case manager and starts the new one at the same instant, in one transaction', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const [previous] = await rowsOf(caseId);
    const r = await assign(caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'case_manager',
      replaceCurrent: true,
      reason: 'riorganizzazione',
    });
    expect(r.statusCode).toBe(201);
    expect(await activeCaseManagers(caseId)).toEqual([w.a.staff.socialWorker2.id]);
    const rows = await rowsOf(caseId);
    expect(rows).toHaveLength(2);
    const [ended, started] = rows;
    expect(ended.id).toBe(previous.id);
    expect(ended.valid_to.getTime()).toBe(started.valid_from.getTime());
    expect(ended.end_reason).toBe('riorganizzazione');
    expect(ended.version).toBe(2);
    // The history keeps both rows; the previous case manager no longer has the case.
    const history = (await list(caseId)).json().items as { id: string; active: boolean }[];
    expect(history.find((a) => a.id === previous.id)?.active).toBe(false);
    expect((await list(caseId, w.a.staff.socialWorker.subject)).statusCode).toBe(404);
    const { rows: audit } = await t.app.pool.query(
      `select details from audit_events where action = 'assignment.create' and resource_id = $1`,
      [r.json().id],
    );
    expect(audit[0].details).toMatchObject({
      endedIds: [previous.id],
      staffId: w.a.staff.socialWorker2.id,
      role: 'case_manager',
    });
  });

  it('when the new row cannot be added, the current case manager is not ended either (one transaction)', async () => {
    const { caseId } = await insertCase(t.app.db, w.a, {
      others: [{ staffId: w.a.staff.socialWorker2.id, role: 'co_worker' }],
    });
    const before = await rowsOf(caseId);
    // socialWorker2 already works on the case as co-worker: the insert fails after the update ran.
    const r = await assign(caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'case_manager',
      replaceCurrent: true,
    });
    expect(r.statusCode).toBe(409);
    expect(await rowsOf(caseId)).toEqual(before);
    expect(await activeCaseManagers(caseId)).toEqual([w.a.staff.socialWorker.id]);
  });

  it('concurrent handovers keep exactly one case manager', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const other = await insertStaffMember(t.app.db, w.a, 'social_worker');
    const results = await Promise.all([
      assign(caseId, { staffId: w.a.staff.socialWorker2.id, role: 'case_manager', replaceCurrent: true }),
      assign(caseId, { staffId: other.id, role: 'case_manager', replaceCurrent: true }),
    ]);
    expect(results.map((r) => r.statusCode)).toContain(201);
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    expect(await activeCaseManagers(caseId)).toHaveLength(1);
  });

  it('a planned handover: the current case manager ends when the successor starts', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const from = inHours(48);
    const r = await assign(caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'case_manager',
      replaceCurrent: true,
      validFrom: from,
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ validFrom: from, active: false });
    const [current, next] = await rowsOf(caseId);
    expect(current.valid_to.toISOString()).toBe(from);
    expect(next.valid_from.toISOString()).toBe(from);
    expect(await activeCaseManagers(caseId)).toEqual([w.a.staff.socialWorker.id]);
    // Bringing the current manager's end forward would open a gap before the successor starts.
    const gap = await end(current.id, 2, { endReason: 'trasferimento' });
    expect(gap.statusCode).toBe(409);
    expect(gap.json().detail).toMatch(/without a case manager/);
  });

  it('an in_charge case is never scheduled to run out of case manager; a case not yet in charge may', async () => {
    const inCharge = await insertCase(t.app.db, w.a);
    const before = await rowsOf(inCharge.caseId);
    const temporary = await assign(inCharge.caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'case_manager',
      replaceCurrent: true,
      validTo: inHours(24),
    });
    expect(temporary.statusCode).toBe(409);
    expect(await rowsOf(inCharge.caseId)).toEqual(before);
    const endManager = await end(before[0].id, 1, { endReason: 'trasferimento' });
    expect(endManager.statusCode).toBe(409);
    expect(await rowsOf(inCharge.caseId)).toEqual(before);

    const open = await insertCase(t.app.db, w.a, { status: 'open' });
    const [manager] = await rowsOf(open.caseId);
    const ended = await end(manager.id, 1, { endReason: 'trasferimento' });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().active).toBe(false);
  });

  it('assignments on a closed case are refused (409)', async () => {
    const { caseId } = await insertCase(t.app.db, w.a, { status: 'closed' });
    const r = await assign(caseId, { staffId: w.a.staff.socialWorker2.id, role: 'co_worker' });
    expect(r.statusCode).toBe(409);
  });

  it('only a coordinator of the case’s team assigns, even when assigned to the case (403)', async () => {
    // A case of team anziani on which the minori coordinator works as co-worker: visible, but not theirs to staff.
    const { caseId } = await insertCase(t.app.db, w.a, {
      team: 'anziani',
      others: [{ staffId: w.a.staff.coordinator.id, role: 'co_worker' }],
    });
    const r = await assign(caseId, { staffId: w.a.staff.socialWorker2.id, role: 'co_worker' });
    expect(r.statusCode).toBe(403);
    const { rows } = await t.app.pool.query(
      `select outcome, case_id from audit_events where action = 'assignment.create' and actor_id = $1 order by seq desc limit 1`,
      [w.a.staff.coordinator.id],
    );
    expect(rows[0]).toEqual({ outcome: 'denied', case_id: caseId });
    expect(
      (
        await assign(
          caseId,
          { staffId: w.a.staff.socialWorker2.id, role: 'co_worker' },
          w.a.staff.coordinatorOther.subject,
        )
      ).statusCode,
    ).toBe(201);
  });

  it('a retried POST with the same Idempotency-Key assigns once; another body with that key is refused', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const headers = { 'idempotency-key': `assignment-${randomUUID()}` };
    const body = { staffId: w.a.staff.educator.id, role: 'educator' };
    const first = await assign(caseId, body, coordinator, headers);
    const second = await assign(caseId, body, coordinator, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.json().id).toBe(first.json().id);
    expect((await rowsOf(caseId)).filter((r) => r.role === 'educator')).toHaveLength(1);
    expect((await assign(caseId, { ...body, reason: 'altro' }, coordinator, headers)).statusCode).toBe(422);
  });
});

describe('absence cover', () => {
  it('an assignment whose validTo has passed no longer grants access (404), and stays in the history', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const cover = await assign(caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'co_worker',
      validTo: inHours(2),
      reason: 'sostituzione per ferie',
    });
    expect(cover.statusCode).toBe(201);
    expect(cover.json().active).toBe(true);
    expect((await list(caseId, w.a.staff.socialWorker2.subject)).statusCode).toBe(200);
    expect(
      (await t.as(w.a.staff.socialWorker2.subject, { method: 'GET', url: `/v1/cases/${caseId}/notes` }))
        .statusCode,
    ).toBe(200);

    // Time passes: the cover's period is moved into the past directly in the database.
    await t.app.pool.query(
      `update assignments set valid_from = now() - interval '10 days', valid_to = now() - interval '1 second' where id = $1`,
      [cover.json().id],
    );

    expect((await list(caseId, w.a.staff.socialWorker2.subject)).statusCode).toBe(404);
    expect(
      (await t.as(w.a.staff.socialWorker2.subject, { method: 'GET', url: `/v1/cases/${caseId}/notes` }))
        .statusCode,
    ).toBe(404);
    const history = (await list(caseId)).json().items as { id: string; active: boolean; reason: string }[];
    expect(history.find((a) => a.id === cover.json().id)).toMatchObject({
      active: false,
      reason: 'sostituzione per ferie',
    });
  });

  it('a cover that starts in the future grants nothing yet', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const cover = await assign(caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'co_worker',
      validFrom: inHours(24),
      validTo: inHours(48),
    });
    expect(cover.statusCode).toBe(201);
    expect(cover.json().active).toBe(false);
    expect((await list(caseId, w.a.staff.socialWorker2.subject)).statusCode).toBe(404);
  });
});

describe('ending assignments', () => {
  async function coWorker(validTo?: string) {
    const { caseId } = await insertCase(t.app.db, w.a);
    const r = await assign(caseId, {
      staffId: w.a.staff.socialWorker2.id,
      role: 'co_worker',
      ...(validTo ? { validTo } : {}),
    });
    return { caseId, id: r.json().id as string };
  }

  it('needs If-Match (428) and the current version (412)', async () => {
    const { id } = await coWorker();
    expect((await end(id, null, { endReason: 'fine progetto' })).statusCode).toBe(428);
    expect((await end(id, 7, { endReason: 'fine progetto' })).statusCode).toBe(412);
  });

  it('ends now: the row stays, inactive, with its end reason; access ends with it', async () => {
    const { caseId, id } = await coWorker();
    const r = await end(id, 1, { endReason: 'fine progetto' });
    expect(r.statusCode).toBe(200);
    expect(r.headers.etag).toBe('"2"');
    expect(r.json()).toMatchObject({ id, active: false, endReason: 'fine progetto', version: 2 });
    expect(Math.abs(new Date(r.json().validTo).getTime() - Date.now())).toBeLessThan(60_000);
    expect((await rowsOf(caseId)).map((row) => row.id)).toContain(id);
    expect((await list(caseId, w.a.staff.socialWorker2.subject)).statusCode).toBe(404);
  });

  it('brings a planned end forward, but never extends, rewrites the past or reopens an ended row', async () => {
    const { caseId, id } = await coWorker(inHours(10));
    const before = await rowsOf(caseId);
    expect(invalidNames(await end(id, 1, { validTo: inHours(11), endReason: 'proroga' }))).toEqual([
      'body/validTo',
    ]);
    expect(invalidNames(await end(id, 1, { validTo: inHours(-2), endReason: 'retrodatata' }))).toEqual([
      'body/validTo',
    ]);
    expect(await rowsOf(caseId)).toEqual(before);
    const earlier = inHours(5);
    const r = await end(id, 1, { validTo: earlier, endReason: 'rientro anticipato' });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ validTo: earlier, active: true });

    const { id: endedId } = await coWorker();
    await end(endedId, 1, { endReason: 'fine' });
    const again = await end(endedId, 2, { endReason: 'ancora' });
    expect(again.statusCode).toBe(409);
  });

  it('two concurrent PATCHes with the same ETag: one 200, one 412', async () => {
    const { id } = await coWorker(inHours(10));
    const results = await Promise.all([
      end(id, 1, { validTo: inHours(5), endReason: 'a' }),
      end(id, 1, { validTo: inHours(4), endReason: 'b' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 412]);
    const { rows } = await t.app.pool.query(`select version from assignments where id = $1`, [id]);
    expect(rows[0].version).toBe(2);
  });

  it('an unknown assignment and another organisation’s are 404', async () => {
    expect((await end(randomUUID(), 1, { endReason: 'x' })).statusCode).toBe(404);
    const { id } = await coWorker();
    expect((await end(id, 1, { endReason: 'x' }, w.b.staff.coordinator.subject)).statusCode).toBe(404);
  });
});

describe('assignment history', () => {
  it('lists active and ended rows with cursor pagination and records the ids read', async () => {
    const { caseId, citizenId } = await insertCase(t.app.db, w.a);
    await assign(caseId, { staffId: w.a.staff.educator.id, role: 'educator' });
    const cover = await assign(caseId, { staffId: w.a.staff.socialWorker2.id, role: 'co_worker' });
    await end(cover.json().id, 1, { endReason: 'fine' });
    const first = await t.as(w.a.staff.director.subject, {
      method: 'GET',
      url: `/v1/cases/${caseId}/assignments?limit=2`,
    });
    expect(first.statusCode).toBe(200);
    expect(first.json().items).toHaveLength(2);
    expect(first.json().nextCursor).toEqual(expect.any(String));
    const second = await t.as(w.a.staff.director.subject, {
      method: 'GET',
      url: `/v1/cases/${caseId}/assignments?limit=2&cursor=${first.json().nextCursor}`,
    });
    expect(second.json().items).toHaveLength(1);
    expect(second.json().nextCursor).toBeNull();
    const all = [...first.json().items, ...second.json().items] as {
      id: string;
      active: boolean;
      role: string;
    }[];
    expect(all.map((a) => [a.role, a.active])).toEqual([
      ['co_worker', false],
      ['educator', true],
      ['case_manager', true],
    ]);
    const { rows } = await t.app.pool.query(
      `select case_id, citizen_id, outcome, details from audit_events where action = 'assignment.list' and actor_id = $1 order by seq desc limit 1`,
      [w.a.staff.director.id],
    );
    expect(rows[0]).toMatchObject({ case_id: caseId, citizen_id: citizenId, outcome: 'success' });
    expect(rows[0].details.returnedIds).toEqual(second.json().items.map((a: { id: string }) => a.id));
  });
});

/**
 * Assignments carry their case's created_at, the key of "my cases" newest first (migration 0012). The
 * database copies it: whatever a writer sends, or a later UPDATE sets, the row holds the case's own value.
 */
const caseCreatedAt = async (assignmentId: string) => {
  const { rows } = await t.app.pool.query<{ copied: Date; actual: Date }>(
    `select a.case_created_at as copied, c.created_at as actual from assignments a join cases c on c.id = a.case_id where a.id = $1`,
    [assignmentId],
  );
  return rows[0]!;
};

describe("an assignment's copy of its case's created_at", () => {
  it('is the case’s own, whatever the insert and later updates say', async () => {
    const educator = await insertStaffMember(t.app.db, w.a, 'educator');
    const { rows } = await t.app.pool.query<{ id: string }>(
      `insert into assignments (organisation_id, case_id, staff_id, role, created_by, case_created_at)
       values ($1, $2, $3, 'educator', $4, '2001-01-01') returning id`,
      [w.a.id, w.caseId, educator.id, w.a.staff.coordinator.id],
    );
    const id = rows[0]!.id;
    const inserted = await caseCreatedAt(id);
    expect(inserted.copied).toEqual(inserted.actual);
    await t.app.pool.query(`update assignments set case_created_at = '2001-01-01' where id = $1`, [id]);
    const updated = await caseCreatedAt(id);
    expect(updated.copied).toEqual(updated.actual);
  });

  it('an assignment to a case that does not exist is still refused by the foreign key', async () => {
    const educator = await insertStaffMember(t.app.db, w.a, 'educator');
    await expect(
      t.app.pool.query(
        `insert into assignments (organisation_id, case_id, staff_id, role, created_by) values ($1, gen_random_uuid(), $2, 'educator', $3)`,
        [w.a.id, educator.id, w.a.staff.coordinator.id],
      ),
    ).rejects.toMatchObject({ code: '23503' });
  });
});
