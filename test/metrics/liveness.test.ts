import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, caseStatusChanges, plans } from '../../src/db/schema/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { insertCase, seedMetricsFixture, type MetricsFixture } from './fixture.js';

/** SPEC §8: a metric read right after a committed write reflects it — no cache, no periodic refresh. */
let t: TestApp;
let f: MetricsFixture;
beforeAll(async () => {
  t = await buildTestApp();
  f = await seedMetricsFixture(t.app.db);
});
afterAll(async () => t?.close());

const worker = async (staffId: string) => {
  const body = (await t.as(f.w.a.staff.director.subject, { method: 'GET', url: '/v1/metrics/caseload?groupBy=worker' })).json();
  return { summary: body.summary, me: body.workers.find((w: { staffId: string }) => w.staffId === staffId) };
};

describe('metrics are live', () => {
  it('a new case with an assignment counts at once; ending the assignment or closing the case takes it out at once', async () => {
    const s = f.w.a.staff;
    const before = await worker(s.socialWorker.id);
    expect(before.me).toMatchObject({ activeCases: 4, caseManager: 3, weightedCaseload: 6.5 });

    const added = await insertCase(t.app.db, {
      organisationId: f.w.a.id,
      citizenId: f.w.citizenId,
      teamId: f.w.a.teams.minori,
      userArea: 'disability',
      complexity: 3,
      judicialMeasure: false,
      status: 'in_charge',
      referralDate: '2026-05-01',
      createdAt: new Date(),
      createdBy: s.coordinator.id,
      assignments: [{ staffId: s.socialWorker.id, role: 'case_manager', from: new Date(Date.now() - 1000) }],
    });
    const withCase = await worker(s.socialWorker.id);
    expect(withCase.me).toMatchObject({ activeCases: 5, caseManager: 4, weightedCaseload: 8.5 });
    expect(withCase.me.byUserArea).toContainEqual({ userArea: 'disability', activeCases: 1, weightedCaseload: 2 });
    expect(withCase.summary).toMatchObject({ activeCases: 7, weightedCaseload: 11 });

    // C5's case manager hands over to socialWorker2 (an ordinary reassignment, in one transaction).
    const handover = new Date();
    await t.app.db.transaction(async (tx) => {
      await tx.update(assignments).set({ validTo: handover }).where(sql`${assignments.caseId} = ${f.cases.c5} and ${assignments.staffId} = ${s.socialWorker.id}`);
      await tx.insert(assignments).values({ organisationId: f.w.a.id, caseId: f.cases.c5, staffId: s.socialWorker2.id, role: 'case_manager', validFrom: handover, createdBy: s.coordinator.id });
    });
    const handedOver = await worker(s.socialWorker.id);
    expect(handedOver.me).toMatchObject({ activeCases: 4, caseManager: 3, weightedCaseload: 7 });
    expect((await worker(s.socialWorker2.id)).me).toMatchObject({ activeCases: 4, caseManager: 3, weightedCaseload: 6 });

    await t.app.db.execute(sql`update cases set status = 'closed', closure_reason = 'goals_achieved' where id = ${added}`);
    expect((await worker(s.socialWorker.id)).me).toMatchObject({ activeCases: 3, weightedCaseload: 5 });
  });

  it('deactivating a worker takes them out of the figures at once', async () => {
    const s = f.w.a.staff;
    const current = await t.as(s.admin.subject, { method: 'GET', url: `/v1/staff/${s.educator.id}` });
    const patched = await t.as(s.admin.subject, { method: 'PATCH', url: `/v1/staff/${s.educator.id}`, headers: { 'if-match': current.headers.etag as string }, payload: { active: false } });
    expect(patched.statusCode).toBe(200);
    expect((await worker(s.educator.id)).me).toBeUndefined();
  });

  it('the flow of today counts a case created, taken in charge and a plan gone overdue just now', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
    const url = `/v1/metrics/flow?from=${today}&to=${today}`;
    const before = (await t.as(f.w.a.staff.director.subject, { method: 'GET', url })).json();
    const s = f.w.a.staff;
    const caseId = await insertCase(t.app.db, {
      organisationId: f.w.a.id,
      citizenId: f.w.citizenId,
      teamId: f.w.a.teams.anziani,
      userArea: 'elderly',
      complexity: 1,
      judicialMeasure: false,
      status: 'in_charge',
      referralDate: '2026-01-01',
      createdAt: new Date(),
      createdBy: s.coordinatorOther.id,
      assignments: [{ staffId: s.coordinatorOther.id, role: 'case_manager', from: new Date(Date.now() - 1000) }],
    });
    await t.app.db.insert(caseStatusChanges).values({ caseId, fromStatus: 'open', toStatus: 'in_charge', changedBy: s.coordinatorOther.id });
    await t.app.db.insert(plans).values({ organisationId: f.w.a.id, caseId, goals: ['x'], startDate: '2025-01-01', reviewDueDate: '2025-07-01', responsibleStaffId: s.coordinatorOther.id, status: 'active', createdBy: s.coordinatorOther.id });
    const after = (await t.as(f.w.a.staff.director.subject, { method: 'GET', url })).json();
    expect(after.opened).toBe(before.opened + 1);
    expect(after.takenInCharge).toBe(before.takenInCharge + 1);
    expect(after.plansOverdue).toBe(before.plansOverdue + 1);
  });
});

describe('flow counters', () => {
  it('the counters kept by the triggers equal a recount from the record', async () => {
    const read = async () =>
      (await t.app.pool.query(`select organisation_id, team_id, day::text, opened, taken_in_charge, reopened, closed from case_flow_events order by 1, 2, 3`)).rows
        .concat((await t.app.pool.query(`select organisation_id, team_id, day::text, days, cases from case_flow_intake_days order by 1, 2, 3, 4`)).rows);
    const kept = await read();
    expect(kept.length).toBeGreaterThan(10);
    await t.app.pool.query('select cartella_rebuild_case_flow()');
    expect(await read()).toEqual(kept);
  });
});
