import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments } from '../../src/db/schema/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { insertCase, seedMetricsFixture, type MetricsFixture } from './fixture.js';

/**
 * The caseload is summed from counts kept by triggers (migrations/0009) and corrected at read time for the
 * assignments whose dates are still ahead (METRICS.md §Live, and fast). These tests check what that design
 * must not get wrong: time passing with no write, case changes moving their assignments, concurrent writers,
 * and the counts against a recount from the record.
 */
let t: TestApp;
let f: MetricsFixture;
beforeAll(async () => {
  t = await buildTestApp();
  f = await seedMetricsFixture(t.app.db);
});
afterAll(async () => t?.close());

const caseload = async (groupBy: 'worker' | 'team') => (await t.as(f.w.a.staff.director.subject, { method: 'GET', url: `/v1/metrics/caseload?groupBy=${groupBy}` })).json();
const workerOf = async (staffId: string) => (await caseload('worker')).workers.find((w: { staffId: string }) => w.staffId === staffId);
const sleepUntil = (instant: Date) => new Promise((resolve) => setTimeout(resolve, instant.getTime() - Date.now() + 50));

const newCase = (overrides: { complexity?: number; status?: 'open' | 'in_charge' } = {}) =>
  insertCase(t.app.db, {
    organisationId: f.w.a.id,
    citizenId: f.w.citizenId,
    teamId: f.w.a.teams.minori,
    userArea: 'disability',
    complexity: overrides.complexity ?? 1,
    judicialMeasure: false,
    status: overrides.status ?? 'open',
    referralDate: '2026-05-01',
    createdAt: new Date(),
    createdBy: f.w.a.staff.coordinator.id,
    assignments: [],
  });

describe('caseload counts and the passing of time', () => {
  it('an absence cover stops counting when its valid_to passes, and a planned start begins counting, with no write in between', async () => {
    const s = f.w.a.staff;
    const coverCase = await newCase({ complexity: 3 });
    const plannedCase = await newCase({ complexity: 2 });
    const boundary = new Date(Date.now() + 1500);
    await t.app.db.insert(assignments).values([
      { organisationId: f.w.a.id, caseId: coverCase, staffId: s.educator.id, role: 'co_worker', validFrom: new Date(Date.now() - 1000), validTo: boundary, createdBy: s.coordinator.id },
      { organisationId: f.w.a.id, caseId: plannedCase, staffId: s.educator.id, role: 'co_worker', validFrom: boundary, createdBy: s.coordinator.id },
    ]);
    const before = await workerOf(s.educator.id);
    expect(before).toMatchObject({ coWorker: 1, activeCases: 2, weightedCaseload: 1.5 + 2 });
    expect(before.byUserArea).toContainEqual({ userArea: 'disability', activeCases: 1, weightedCaseload: 2 });

    await sleepUntil(boundary);
    const after = await workerOf(s.educator.id);
    expect(after).toMatchObject({ coWorker: 1, activeCases: 2, weightedCaseload: 1.5 + 1.5 });
    expect(after.byUserArea).toContainEqual({ userArea: 'disability', activeCases: 1, weightedCaseload: 1.5 });
  });

  it('changing a case’s area, complexity, team or status moves its figures at once', async () => {
    const s = f.w.a.staff;
    const before = await workerOf(s.socialWorker2.id);
    const teamBefore = (await caseload('team')).teams.find((x: { teamId: string }) => x.teamId === f.w.a.teams.anziani);
    // C2: SW2's open case, minori, family_minors, complexity 1.
    await t.app.db.execute(sql`update cases set user_area = 'elderly', complexity = 3, team_id = ${f.w.a.teams.anziani} where id = ${f.cases.c2}`);
    const moved = await workerOf(s.socialWorker2.id);
    expect(moved.activeCases).toBe(before.activeCases);
    expect(moved.weightedCaseload).toBe(before.weightedCaseload - 1 + 2);
    expect(moved.byUserArea).toContainEqual({ userArea: 'elderly', activeCases: 1, weightedCaseload: 2 });
    const teamAfter = (await caseload('team')).teams.find((x: { teamId: string }) => x.teamId === f.w.a.teams.anziani);
    expect(teamAfter).toMatchObject({ activeCases: teamBefore.activeCases + 1, open: teamBefore.open + 1, weightedCaseload: teamBefore.weightedCaseload + 2 });

    await t.app.db.execute(sql`update cases set status = 'closed', closure_reason = 'goals_achieved' where id = ${f.cases.c2}`);
    expect((await workerOf(s.socialWorker2.id)).activeCases).toBe(before.activeCases - 1);
    await t.app.db.execute(sql`update cases set status = 'open', closure_reason = null where id = ${f.cases.c2}`);
    expect((await workerOf(s.socialWorker2.id)).activeCases).toBe(before.activeCases);
  });
});

describe('caseload counts under concurrent writers', () => {
  it('two transactions changing the same worker’s counts do not wait for each other, and both count', async () => {
    const s = f.w.a.staff;
    const [earlier, first, second] = [await newCase(), await newCase(), await newCase()];
    const assign = (caseId: string) => [caseId, f.w.a.id, s.socialWorker.id, s.coordinator.id];
    const insert = `insert into assignments (case_id, organisation_id, staff_id, role, created_by) values ($1, $2, $3, 'co_worker', $4)`;
    await t.app.pool.query(insert, assign(earlier));
    const before = await workerOf(s.socialWorker.id);
    const held = await t.app.pool.connect();
    const other = await t.app.pool.connect();
    try {
      await held.query('begin');
      await held.query(insert, assign(first));
      // The first transaction now holds the key's counter row: the second adds a row of its own instead of waiting.
      await other.query('begin');
      await other.query("set local lock_timeout = '1s'");
      await other.query(insert, assign(second));
      await other.query('commit');
      await held.query('commit');
    } finally {
      held.release();
      other.release();
    }
    expect((await workerOf(s.socialWorker.id)).coWorker).toBe(before.coWorker + 2);
    const { rows } = await t.app.pool.query(`select count(*)::int as n from caseload_worker_counts where staff_id = $1 and role = 'co_worker' and user_area = 'disability'`, [s.socialWorker.id]);
    expect(rows[0].n).toBe(2);
  });
});

describe('caseload counts against the record', () => {
  it('the counts kept by the triggers equal a recount', async () => {
    const read = async () =>
      (
        await t.app.pool.query(`
          select 'worker' as kind, organisation_id, staff_id::text as key, role::text, user_area::text, null as status,
            sum(complexity_1)::int as c1, sum(complexity_2)::int as c2, sum(complexity_3)::int as c3, sum(judicial)::int as j
          from caseload_worker_counts group by 2, 3, 4, 5
          union all
          select 'case', organisation_id, team_id::text, null, user_area::text, status::text,
            sum(complexity_1)::int, sum(complexity_2)::int, sum(complexity_3)::int, sum(judicial)::int
          from caseload_case_counts group by 2, 3, 5, 6`)
      ).rows
        .filter((row) => row.c1 + row.c2 + row.c3 + row.j !== 0)
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const kept = await read();
    expect(kept.length).toBeGreaterThan(5);
    await t.app.pool.query('select cartella_rebuild_caseload_counts()');
    expect(await read()).toEqual(kept);
  });
});
