import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseStatuses, type CaseStatus } from '../../src/shared/domain.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { caseVersion, changeStatus, createCitizen, lastAudit, openCase } from './fixtures.js';

let t: TestApp;
let w: World;
let citizenId: string;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  citizenId = await createCitizen(t, w.a.staff.socialWorker.subject);
});
afterAll(async () => t?.close());

const sw = () => w.a.staff.socialWorker.subject;
const history = (subject: string, caseId: string) =>
  t.as(subject, { method: 'GET', url: `/v1/cases/${caseId}/status-changes` });

/** Puts a case straight into a status (with what that status requires), bypassing the API. */
async function forceStatus(caseId: string, status: CaseStatus) {
  await t.app.pool.query(
    `update cases set status = $2::case_status, closure_reason = case when $2::case_status = 'closed' then 'withdrawn'::closure_reason end, version = version + 1 where id = $1`,
    [caseId, status],
  );
}

async function snapshot(caseId: string) {
  const { rows } = await t.app.pool.query(
    `select status, closure_reason, version, (select count(*)::int from case_status_changes where case_id = $1) as changes from cases where id = $1`,
    [caseId],
  );
  return rows[0];
}

const allowed: Record<CaseStatus, CaseStatus[]> = {
  referred: ['open', 'in_charge', 'closed'],
  open: ['in_charge', 'closed'],
  in_charge: ['closed'],
  closed: ['in_charge'],
};

describe('case status changes', () => {
  it('walks referred → open → in_charge → closed → in_charge, keeping who and when', async () => {
    const opened = await openCase(t, w.a, citizenId);
    const toOpen = await changeStatus(t, sw(), opened.id, {
      status: 'open',
      note: 'Primo colloquio fissato',
    });
    expect(toOpen.statusCode, toOpen.body).toBe(201);
    expect(toOpen.headers.etag).toBe('"2"');
    expect(toOpen.json()).toMatchObject({ status: 'open', takenInChargeAt: null, version: 2 });

    const inCharge = await changeStatus(t, w.a.staff.coordinator.subject, opened.id, { status: 'in_charge' });
    expect(inCharge.statusCode, inCharge.body).toBe(201);
    const takenInChargeAt = inCharge.json().takenInChargeAt as string;
    expect(Date.parse(takenInChargeAt)).toBeGreaterThan(Date.now() - 60_000);

    const closed = await changeStatus(t, sw(), opened.id, {
      status: 'closed',
      closureReason: 'goals_achieved',
    });
    expect(closed.statusCode, closed.body).toBe(201);
    expect(closed.json()).toMatchObject({
      status: 'closed',
      closureReason: 'goals_achieved',
      takenInChargeAt,
    });
    expect(closed.json().closedAt).not.toBeNull();

    const reopened = await changeStatus(t, sw(), opened.id, {
      status: 'in_charge',
      note: 'Nuova segnalazione',
    });
    expect(reopened.statusCode, reopened.body).toBe(201);
    // Reopening clears the closure but keeps the first taking-in-charge date and the whole history.
    expect(reopened.json()).toMatchObject({
      status: 'in_charge',
      closureReason: null,
      closedAt: null,
      takenInChargeAt,
      version: 5,
    });

    const r = await history(w.a.staff.educator.subject, w.caseId);
    expect(r.statusCode).toBe(200);
    const steps = await history(sw(), opened.id);
    expect(steps.statusCode).toBe(200);
    expect(
      steps
        .json()
        .items.map((s: Record<string, unknown>) => [
          s.fromStatus,
          s.toStatus,
          s.closureReason,
          s.note,
          s.changedBy,
        ]),
    ).toEqual([
      [null, 'referred', null, null, w.a.staff.socialWorker.id],
      ['referred', 'open', null, 'Primo colloquio fissato', w.a.staff.socialWorker.id],
      ['open', 'in_charge', null, null, w.a.staff.coordinator.id],
      ['in_charge', 'closed', 'goals_achieved', null, w.a.staff.socialWorker.id],
      ['closed', 'in_charge', null, 'Nuova segnalazione', w.a.staff.socialWorker.id],
    ]);
    for (const step of steps.json().items)
      expect(step.changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    const event = await lastAudit(t, 'case.status_history');
    expect(event).toMatchObject({ case_id: opened.id, citizen_id: citizenId });
    expect((event!.details!.returnedIds as string[]).length).toBe(5);
    const changeEvent = await lastAudit(t, 'case.change_status');
    expect(changeEvent).toMatchObject({
      outcome: 'success',
      case_id: opened.id,
      details: { fromStatus: 'closed', toStatus: 'in_charge' },
    });
    expect(JSON.stringify(changeEvent)).not.toContain('Nuova segnalazione');
  });

  it('every transition outside the allowed ones is refused with 409 and changes nothing', async () => {
    const opened = await openCase(t, w.a, citizenId);
    for (const from of caseStatuses) {
      for (const to of caseStatuses) {
        await forceStatus(opened.id, from);
        const before = await snapshot(opened.id);
        const r = await changeStatus(
          t,
          sw(),
          opened.id,
          to === 'closed' ? { status: to, closureReason: 'moved_away' } : { status: to },
        );
        if (allowed[from].includes(to)) {
          expect(r.statusCode, `${from} → ${to}: ${r.body}`).toBe(201);
          expect(await snapshot(opened.id)).toMatchObject({
            status: to,
            version: before.version + 1,
            changes: before.changes + 1,
          });
        } else {
          expect(r.statusCode, `${from} → ${to}`).toBe(409);
          expect(r.json().code).toBe('invalid_transition');
          expect(await snapshot(opened.id)).toEqual(before);
        }
      }
    }
  });

  it('taking in charge without an active case manager is refused (409 invalid_transition) and nothing changes', async () => {
    const opened = await openCase(t, w.a, citizenId);
    await t.app.pool.query(
      `update assignments set valid_to = now(), end_reason = 'test' where case_id = $1 and role = 'case_manager'`,
      [opened.id],
    );
    // The coordinator of the team still reaches the case; the rule is about the case manager, not access.
    const before = await snapshot(opened.id);
    const r = await changeStatus(t, w.a.staff.coordinator.subject, opened.id, { status: 'in_charge' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({
      code: 'invalid_transition',
      detail: 'A case can be taken in charge only with an active case manager.',
    });
    expect(await snapshot(opened.id)).toEqual(before);
    expect(await lastAudit(t, 'case.change_status')).toMatchObject({
      outcome: 'rejected',
      case_id: opened.id,
    });
    // Other transitions are still possible without one.
    expect(
      (await changeStatus(t, w.a.staff.coordinator.subject, opened.id, { status: 'open' })).statusCode,
    ).toBe(201);
  });

  it('closing needs a coded closure reason, and only closing takes one (400 naming the field, nothing written)', async () => {
    const opened = await openCase(t, w.a, citizenId);
    const before = await snapshot(opened.id);
    for (const payload of [
      { status: 'closed' },
      { status: 'closed', closureReason: 'bored' },
      { status: 'open', closureReason: 'withdrawn' },
      { status: 'archived' },
    ]) {
      const r = await changeStatus(t, sw(), opened.id, payload);
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
      expect(r.json().invalidParams.map((p: { name: string }) => p.name)).toEqual([
        payload.status === 'archived' ? 'body/status' : 'body/closureReason',
      ]);
    }
    expect(await snapshot(opened.id)).toEqual(before);
  });

  it('needs If-Match (428) and the current version (412)', async () => {
    const opened = await openCase(t, w.a, citizenId);
    const url = `/v1/cases/${opened.id}/status-changes`;
    expect((await t.as(sw(), { method: 'POST', url, payload: { status: 'open' } })).statusCode).toBe(428);
    expect(
      (await t.as(sw(), { method: 'POST', url, headers: { 'if-match': '"9"' }, payload: { status: 'open' } }))
        .statusCode,
    ).toBe(412);
    const [one, two] = await Promise.all([
      t.as(sw(), { method: 'POST', url, headers: { 'if-match': '"1"' }, payload: { status: 'open' } }),
      t.as(w.a.staff.coordinator.subject, {
        method: 'POST',
        url,
        headers: { 'if-match': '"1"' },
        payload: { status: 'closed', closureReason: 'withdrawn' },
      }),
    ]);
    expect([one.statusCode, two.statusCode].sort()).toEqual([201, 412]);
    expect((await snapshot(opened.id)).changes).toBe(2);
  });

  it('a retried status change with the same Idempotency-Key is applied once', async () => {
    const opened = await openCase(t, w.a, citizenId);
    const request = {
      method: 'POST' as const,
      url: `/v1/cases/${opened.id}/status-changes`,
      headers: { 'if-match': '"1"', 'idempotency-key': `status-${opened.id}` },
      payload: { status: 'open' },
    };
    const first = await t.as(sw(), request);
    const second = await t.as(sw(), request);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(await snapshot(opened.id)).toMatchObject({ status: 'open', version: 2, changes: 2 });
  });

  it('scope: only writers of the case change it; readers of the history are the case’s readers', async () => {
    const opened = await openCase(t, w.a, citizenId);
    const version = await caseVersion(t, opened.id);
    const attempt = (subject: string) =>
      t.as(subject, {
        method: 'POST',
        url: `/v1/cases/${opened.id}/status-changes`,
        headers: { 'if-match': `"${version}"` },
        payload: { status: 'open' },
      });
    expect((await attempt(w.a.staff.socialWorker2.subject)).statusCode).toBe(404);
    expect((await attempt(w.a.staff.coordinatorOther.subject)).statusCode).toBe(404);
    expect((await attempt(w.b.staff.socialWorker.subject)).statusCode).toBe(404);
    expect((await attempt(w.a.staff.director.subject)).statusCode).toBe(403);
    expect((await attempt(w.a.staff.educator.subject)).statusCode).toBe(403);
    expect((await history(w.a.staff.director.subject, opened.id)).statusCode).toBe(200);
    expect((await history(w.a.staff.socialWorker2.subject, opened.id)).statusCode).toBe(404);
    expect((await history(w.a.staff.educator.subject, opened.id)).statusCode).toBe(404);
    expect((await history(w.b.staff.director.subject, opened.id)).statusCode).toBe(404);
    expect(await caseVersion(t, opened.id)).toBe(version);
  });
});
