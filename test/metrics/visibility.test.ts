import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedMetricsFixture, type MetricsFixture } from './fixture.js';

/**
 * Who sees which figures (SPEC §8, METRICS.md §Visibility), for every role, an unassigned worker and
 * another organisation. 403 when the role lacks the permission (or the figure is beyond its scope by
 * definition); never another organisation's numbers.
 */
let t: TestApp;
let f: MetricsFixture;
beforeAll(async () => {
  t = await buildTestApp();
  f = await seedMetricsFixture(t.app.db);
});
afterAll(async () => t?.close());

const get = (subject: string | null, url: string) => t.as(subject, { method: 'GET', url });
const ids = (body: { workers?: { staffId: string }[] }) => (body.workers ?? []).map((w) => w.staffId).sort();
const march = '/v1/metrics/flow?from=2026-03-01&to=2026-03-31';
const endpoints = ['/v1/metrics/caseload?groupBy=worker', '/v1/metrics/caseload?groupBy=team', '/v1/metrics/caseload?groupBy=area', march, '/v1/metrics/staffing?year=2026'];

describe('roles without metrics:read', () => {
  it('admin, auditor, platform admin and API clients get 403 on every endpoint; no token 401', async () => {
    const a = f.w.a;
    for (const subject of [a.staff.admin.subject, a.staff.auditor.subject, f.w.platformAdmin.subject, a.clients.regional.subject, a.clients.siuss.subject]) {
      for (const url of endpoints) expect([subject, url, (await get(subject, url)).statusCode]).toEqual([subject, url, 403]);
    }
    for (const url of endpoints) expect((await get(null, url)).statusCode).toBe(401);
  });
});

describe('social workers and educators: their own figures', () => {
  it('groupBy=worker returns only themselves, and the summary covers only the cases they hold', async () => {
    const s = f.w.a.staff;
    const sw1 = (await get(s.socialWorker.subject, '/v1/metrics/caseload?groupBy=worker')).json();
    expect(sw1).toMatchObject({ scope: 'self', summary: { activeCases: 4, inCharge: 4, weightedCaseload: 6.5, judicialMeasures: 1, workers: 1, workersAboveThreshold: 1 } });
    expect(ids(sw1)).toEqual([s.socialWorker.id]);
    const sw2 = (await get(s.socialWorker2.subject, '/v1/metrics/caseload?groupBy=worker')).json();
    expect(ids(sw2)).toEqual([s.socialWorker2.id]);
    expect(sw2.summary).toMatchObject({ activeCases: 3, open: 1, weightedCaseload: 4.5 });
    const educator = (await get(s.educator.subject, '/v1/metrics/caseload?groupBy=worker')).json();
    expect(ids(educator)).toEqual([s.educator.id]);
    expect(educator.summary).toMatchObject({ activeCases: 1, weightedCaseload: 1.5 });
  });

  it('grouped by team or area, still only their own cases', async () => {
    const s = f.w.a.staff;
    const teams = (await get(s.socialWorker.subject, '/v1/metrics/caseload?groupBy=team')).json();
    expect(teams.teams).toEqual([expect.objectContaining({ teamId: f.w.a.teams.minori, activeCases: 4, weightedCaseload: 6.5, workers: 1 })]);
    const areas = (await get(s.educator.subject, '/v1/metrics/caseload?groupBy=area')).json();
    expect(areas.areas.filter((x: { activeCases: number }) => x.activeCases > 0)).toEqual([expect.objectContaining({ userArea: 'family_minors', activeCases: 1 })]);
  });

  it('an unassigned worker sees zeros, not a colleague’s figures', async () => {
    const idle = f.w.b.staff.socialWorker2;
    const body = (await get(idle.subject, '/v1/metrics/caseload?groupBy=worker')).json();
    expect(ids(body)).toEqual([idle.id]);
    expect(body.summary).toMatchObject({ activeCases: 0, weightedCaseload: 0 });
    expect(body.workers[0]).toMatchObject({ activeCases: 0, weightedPerFte: 0, aboveThreshold: false });
  });

  it('flow over their cases (held now or before); staffing is organisation-wide: 403', async () => {
    const s = f.w.a.staff;
    expect((await get(s.socialWorker.subject, march)).json()).toMatchObject({
      scope: 'self', opened: 1, takenInCharge: 2, reopened: 1, closed: 2, referralToInCharge: { cases: 2, medianDays: 23, p90Days: 30.2 }, plansOverdue: 2,
    });
    expect((await get(s.educator.subject, march)).json()).toMatchObject({ opened: 0, takenInCharge: 0, referralToInCharge: { cases: 0, medianDays: null, p90Days: null }, plansOverdue: 0 });
    for (const subject of [s.socialWorker.subject, s.socialWorker2.subject, s.educator.subject]) expect((await get(subject, '/v1/metrics/staffing')).statusCode).toBe(403);
  });
});

describe('coordinators: their teams and their teams’ workers', () => {
  it('the coordinator of minori sees that team’s cases and workers, not anziani', async () => {
    const s = f.w.a.staff;
    const workers = (await get(s.coordinator.subject, '/v1/metrics/caseload?groupBy=worker')).json();
    expect(workers).toMatchObject({ scope: 'teams', summary: { activeCases: 5, weightedCaseload: 7.5, workers: 3 } });
    expect(ids(workers)).toEqual([s.socialWorker.id, s.socialWorker2.id, s.educator.id].sort());
    const teams = (await get(s.coordinator.subject, '/v1/metrics/caseload?groupBy=team')).json();
    expect(teams.teams.map((x: { teamId: string }) => x.teamId)).toEqual([f.w.a.teams.minori]);
    expect((await get(s.coordinator.subject, march)).json()).toMatchObject({ opened: 1, takenInCharge: 2, reopened: 1, closed: 2, referralToInCharge: { medianDays: 23 }, plansOverdue: 2 });
  });

  it('the coordinator of anziani sees only anziani', async () => {
    const s = f.w.a.staff;
    const workers = (await get(s.coordinatorOther.subject, '/v1/metrics/caseload?groupBy=worker')).json();
    expect(ids(workers)).toEqual([s.coordinatorOther.id]);
    expect(workers.summary).toMatchObject({ activeCases: 1, weightedCaseload: 1.5 });
    expect((await get(s.coordinatorOther.subject, march)).json()).toMatchObject({ opened: 0, takenInCharge: 1, reopened: 0, closed: 0, referralToInCharge: { medianDays: 18, p90Days: 18 }, plansOverdue: 0 });
    expect((await get(s.coordinatorOther.subject, '/v1/metrics/staffing')).statusCode).toBe(403);
  });
});

describe('directors and elected officials: the organisation', () => {
  it('the director sees every figure, the flow of the whole organisation and the staffing level', async () => {
    const s = f.w.a.staff;
    expect(ids((await get(s.director.subject, '/v1/metrics/caseload?groupBy=worker')).json())).toHaveLength(4);
    expect((await get(s.director.subject, march)).json()).toEqual({
      from: '2026-03-01',
      to: '2026-03-31',
      scope: 'organisation',
      computedAt: expect.any(String),
      opened: 1,
      takenInCharge: 3,
      reopened: 1,
      closed: 2,
      referralToInCharge: { cases: 3, medianDays: 18, p90Days: 29.2 },
      plansOverdue: 2,
    });
    expect((await get(s.director.subject, '/v1/metrics/staffing?year=2026')).json()).toEqual({
      year: 2026,
      residents: 30_000,
      socialWorkers: { permanentHeadcount: 4, permanentFte: 3.5, allContractsFte: 4.5 },
      residentsPerFte: 8571.43,
      levels: [
        { residentsPerSocialWorker: 5000, met: false, requiredFte: 6, missingFte: 2.5 },
        { residentsPerSocialWorker: 4000, met: false, requiredFte: 7.5, missingFte: 4 },
      ],
    });
  });

  it('an elected official gets aggregates only: no per-worker rows, no spread of a group under three', async () => {
    const e = f.w.a.staff.electedOfficial.subject;
    expect((await get(e, '/v1/metrics/caseload?groupBy=worker')).statusCode).toBe(403);
    const teams = (await get(e, '/v1/metrics/caseload?groupBy=team')).json();
    expect(JSON.stringify(teams)).not.toMatch(/staffId|givenName|familyName/);
    const minori = teams.teams.find((x: { teamId: string }) => x.teamId === f.w.a.teams.minori);
    const anziani = teams.teams.find((x: { teamId: string }) => x.teamId === f.w.a.teams.anziani);
    expect(minori).toMatchObject({ workers: 3, workersAboveThreshold: 2, distribution: { activeCases: { median: 3 } } });
    expect(anziani).toMatchObject({ activeCases: 1, workers: 1, distribution: null, workersAboveThreshold: null });
    expect(teams.summary).toMatchObject({ activeCases: 6, workers: 4, workersAboveThreshold: 2 });
    expect((await get(e, '/v1/metrics/caseload?groupBy=area')).statusCode).toBe(200);
    expect((await get(e, march)).json()).toMatchObject({ takenInCharge: 3, referralToInCharge: { medianDays: 18 } });
    expect((await get(e, '/v1/metrics/staffing?year=2025')).json()).toMatchObject({
      residents: 29_000,
      residentsPerFte: 8285.71,
      levels: [
        { residentsPerSocialWorker: 5000, met: false, requiredFte: 5.8, missingFte: 2.3 },
        { residentsPerSocialWorker: 4000, met: false, requiredFte: 7.25, missingFte: 3.75 },
      ],
    });
  });

  it('a year without a population gives no ratio rather than a wrong one', async () => {
    const body = (await get(f.w.a.staff.director.subject, '/v1/metrics/staffing?year=2019')).json();
    expect(body).toMatchObject({ year: 2019, residents: null, residentsPerFte: null, socialWorkers: { permanentFte: 3.5 } });
    expect(body.levels.every((l: { met: unknown }) => l.met === null)).toBe(true);
  });

  it('the default year is the current year in Italy', async () => {
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Europe/Rome', year: 'numeric' }).format(new Date()));
    expect((await get(f.w.a.staff.director.subject, '/v1/metrics/staffing')).json().year).toBe(year);
  });
});

describe('another organisation', () => {
  it('sees its own figures and none of A’s', async () => {
    const b = f.w.b;
    const aIds = [...Object.values(f.w.a.staff).map((s) => s.id), ...Object.values(f.w.a.teams), f.w.a.id];
    for (const url of endpoints) {
      const r = await get(b.staff.director.subject, url);
      expect(r.statusCode).toBe(200);
      for (const id of aIds) expect(r.body).not.toContain(id);
    }
    const workers = (await get(b.staff.director.subject, '/v1/metrics/caseload?groupBy=worker')).json();
    expect(workers.summary).toMatchObject({ activeCases: 1, weightedCaseload: 2.5, judicialMeasures: 1 });
    expect(ids(workers)).toEqual([b.staff.socialWorker.id, b.staff.socialWorker2.id, b.staff.educator.id].sort());
    expect((await get(b.staff.director.subject, march)).json()).toMatchObject({ opened: 1, takenInCharge: 1, reopened: 0, closed: 0, referralToInCharge: { medianDays: 18 }, plansOverdue: 1 });
    expect((await get(b.staff.director.subject, '/v1/metrics/staffing?year=2026')).json()).toMatchObject({
      residents: 10_000,
      socialWorkers: { permanentFte: 7 },
      residentsPerFte: 1428.57,
      levels: [{ met: true, missingFte: 0 }, { met: true, missingFte: 0 }],
    });
    expect((await get(b.staff.coordinator.subject, '/v1/metrics/caseload?groupBy=team')).json().summary).toMatchObject({ activeCases: 1 });
  });
});
