import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedMetricsFixture, type MetricsFixture } from './fixture.js';

/** Every figure below is worked out by hand from the table in fixture.ts (METRICS.md §Worked example). */
let t: TestApp;
let f: MetricsFixture;
beforeAll(async () => {
  t = await buildTestApp();
  f = await seedMetricsFixture(t.app.db);
});
afterAll(async () => t?.close());

const caseload = (subject: string, groupBy: string) => t.as(subject, { method: 'GET', url: `/v1/metrics/caseload?groupBy=${groupBy}` });

describe('caseload of the organisation (director)', () => {
  it('per worker: counts by role, weighted caseload, per FTE, threshold and user areas', async () => {
    const r = await caseload(f.w.a.staff.director.subject, 'worker');
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ groupBy: 'worker', scope: 'organisation', threshold: 3, weights: { complexity: { '1': 1, '2': 1.5, '3': 2 }, judicialMeasure: 0.5 } });
    const s = f.w.a.staff;
    const byId = Object.fromEntries(body.workers.map((w: { staffId: string }) => [w.staffId, w]));
    expect(Object.keys(byId).sort()).toEqual([s.socialWorker.id, s.socialWorker2.id, s.educator.id, s.coordinatorOther.id].sort());
    expect(byId[s.socialWorker.id]).toEqual({
      staffId: s.socialWorker.id,
      givenName: 'Test',
      familyName: 'socialWorker',
      role: 'social_worker',
      fte: 1,
      teamIds: [f.w.a.teams.minori],
      caseManager: 3,
      coWorker: 1,
      educator: 0,
      activeCases: 4,
      weightedCaseload: 6.5,
      weightedPerFte: 6.5,
      aboveThreshold: true,
      byUserArea: [
        { userArea: 'family_minors', activeCases: 3, weightedCaseload: 5 },
        { userArea: 'poverty_adults', activeCases: 1, weightedCaseload: 1.5 },
      ],
    });
    expect(byId[s.socialWorker2.id]).toMatchObject({ fte: 0.5, caseManager: 2, coWorker: 1, activeCases: 3, weightedCaseload: 4.5, weightedPerFte: 9, aboveThreshold: true });
    expect(byId[s.educator.id]).toMatchObject({ caseManager: 0, coWorker: 0, educator: 1, activeCases: 1, weightedCaseload: 1.5, weightedPerFte: 1.5, aboveThreshold: false });
    expect(byId[s.coordinatorOther.id]).toMatchObject({ role: 'coordinator', caseManager: 1, weightedCaseload: 1.5, teamIds: [f.w.a.teams.anziani] });
  });

  it('summary: totals of active cases, and the distribution across the four workers', async () => {
    const body = (await caseload(f.w.a.staff.director.subject, 'area')).json();
    expect(body.summary).toEqual({
      activeCases: 6,
      open: 1,
      inCharge: 5,
      weightedCaseload: 9,
      judicialMeasures: 1,
      workers: 4,
      distribution: {
        activeCases: { min: 1, median: 2, p90: 3.7, max: 4 },
        weightedPerFte: { min: 1.5, median: 4, p90: 8.25, max: 9 },
      },
      workersAboveThreshold: 2,
    });
  });

  it('per team: the team’s cases, and the distribution across the team’s workers', async () => {
    const body = (await caseload(f.w.a.staff.director.subject, 'team')).json();
    const minori = body.teams.find((x: { teamId: string }) => x.teamId === f.w.a.teams.minori);
    const anziani = body.teams.find((x: { teamId: string }) => x.teamId === f.w.a.teams.anziani);
    expect(body.teams).toHaveLength(2);
    expect(minori).toEqual({
      teamId: f.w.a.teams.minori,
      name: 'Minori e famiglia',
      activeCases: 5,
      open: 1,
      inCharge: 4,
      weightedCaseload: 7.5,
      judicialMeasures: 1,
      workers: 3,
      distribution: { activeCases: { min: 1, median: 3, p90: 3.8, max: 4 }, weightedPerFte: { min: 1.5, median: 6.5, p90: 8.5, max: 9 } },
      workersAboveThreshold: 2,
    });
    expect(anziani).toMatchObject({ activeCases: 1, inCharge: 1, weightedCaseload: 1.5, workers: 1, workersAboveThreshold: 0 });
    expect(anziani.distribution.activeCases).toEqual({ min: 1, median: 1, p90: 1, max: 1 });
  });

  it('per user area: every area listed, zero where there is nothing', async () => {
    const body = (await caseload(f.w.a.staff.director.subject, 'area')).json();
    const area = (name: string) => body.areas.find((x: { userArea: string }) => x.userArea === name);
    expect(body.areas).toHaveLength(7);
    expect(area('family_minors')).toEqual({ userArea: 'family_minors', activeCases: 4, open: 1, inCharge: 3, weightedCaseload: 6, judicialMeasures: 1 });
    expect(area('elderly')).toMatchObject({ activeCases: 1, weightedCaseload: 1.5 });
    expect(area('poverty_adults')).toMatchObject({ activeCases: 1, weightedCaseload: 1.5 });
    expect(area('disability')).toEqual({ userArea: 'disability', activeCases: 0, open: 0, inCharge: 0, weightedCaseload: 0, judicialMeasures: 0 });
  });

  it('the weights and threshold are the organisation’s, changed through PATCH /v1/organisations/{id}', async () => {
    const admin = f.w.a.staff.admin.subject;
    const current = await t.as(admin, { method: 'GET', url: `/v1/organisations/${f.w.a.id}` });
    const patched = await t.as(admin, {
      method: 'PATCH',
      url: `/v1/organisations/${f.w.a.id}`,
      headers: { 'if-match': current.headers.etag as string },
      payload: { caseloadWeights: { complexity: { '1': 1, '2': 2, '3': 3 }, judicialMeasure: 1 }, caseloadThreshold: 8 },
    });
    expect(patched.statusCode).toBe(200);
    const body = (await caseload(f.w.a.staff.director.subject, 'worker')).json();
    const sw1 = body.workers.find((w: { staffId: string }) => w.staffId === f.w.a.staff.socialWorker.id);
    const sw2 = body.workers.find((w: { staffId: string }) => w.staffId === f.w.a.staff.socialWorker2.id);
    // SW1: C0 2 + C1 (3 + 1) + C5 2 + C7 1 = 9; SW2: C1 4 + C2 1 + C7 1 = 6, per 0.5 FTE = 12.
    expect(sw1).toMatchObject({ weightedCaseload: 9, weightedPerFte: 9, aboveThreshold: true });
    expect(sw2).toMatchObject({ weightedCaseload: 6, weightedPerFte: 12, aboveThreshold: true });
    expect(body).toMatchObject({ threshold: 8, summary: { weightedCaseload: 12, workersAboveThreshold: 2 } });
    const restored = await t.as(admin, {
      method: 'PATCH',
      url: `/v1/organisations/${f.w.a.id}`,
      headers: { 'if-match': patched.headers.etag as string },
      payload: { caseloadWeights: { complexity: { '1': 1, '2': 1.5, '3': 2 }, judicialMeasure: 0.5 }, caseloadThreshold: 3 },
    });
    expect(restored.statusCode).toBe(200);
  });

  it('per-worker reads are audited with the staff ids returned; team and area reads without ids', async () => {
    await caseload(f.w.a.staff.director.subject, 'worker');
    const { rows } = await t.app.pool.query(
      `select outcome, actor_id, resource_type, details from audit_events where action = 'metrics.caseload' and actor_id = $1 order by seq desc limit 1`,
      [f.w.a.staff.director.id],
    );
    expect(rows[0]).toMatchObject({ outcome: 'success', actor_id: f.w.a.staff.director.id, resource_type: 'caseload' });
    expect(rows[0].details.groupBy).toBe('worker');
    expect([...rows[0].details.returnedIds].sort()).toEqual([f.w.a.staff.socialWorker.id, f.w.a.staff.socialWorker2.id, f.w.a.staff.educator.id, f.w.a.staff.coordinatorOther.id].sort());
    await caseload(f.w.a.staff.director.subject, 'team');
    const team = await t.app.pool.query(`select details from audit_events where action = 'metrics.caseload' order by seq desc limit 1`);
    expect(team.rows[0].details).toEqual({ groupBy: 'team' });
  });
});
