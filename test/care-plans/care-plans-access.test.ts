import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { everyone, matrixMismatches, type Expectations, caseReadExpectations } from '../catalogue/access-matrix.js';
import { sina } from './fixtures.js';

/**
 * Who may use the assessment and plan endpoints, on the world's case (team minori; socialWorker is its case
 * manager, educator is assigned; socialWorker2 is in the team but unassigned; coordinatorOther coordinates
 * another team). Roles without the permission get 403; holders of it outside the case's scope, and everyone
 * of organisation B, get 404.
 */
let t: TestApp;
let w: World;
let planId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  const { rows } = await t.app.pool.query<{ id: string }>(
    `insert into plans (organisation_id, case_id, goals, start_date, review_due_date, responsible_staff_id, status, created_by)
     values ($1, $2, '["autonomia"]', '2025-01-15', '2025-06-15', $3, 'active', $3) returning id`,
    [w.a.id, w.caseId, w.a.staff.socialWorker.id],
  );
  planId = rows[0]!.id;
});
afterAll(async () => t?.close());

type MatrixRequest = Parameters<typeof matrixMismatches>[3];
type Writer = 'socialWorker' | 'educator' | 'coordinator';

const read = caseReadExpectations;
/** Writers with the permission: `ok` in scope; outside the case's scope 404. */
const write = (writers: readonly Writer[], ok: number): Expectations => ({
  a: everyone(403, {
    socialWorker2: 404,
    coordinatorOther: 404,
    ...Object.fromEntries(writers.map((k) => [k, ok])),
  }),
  b: everyone(
    403,
    Object.fromEntries([...writers, 'socialWorker2', 'coordinatorOther'].map((k) => [k, 404])),
  ),
  platformAdmin: 403,
  anonymous: 401,
});
/** The overdue list has no case in its path: every holder of plan:read gets 200, scoped to their own cases. */
const list: Expectations = {
  a: everyone(403, {
    socialWorker: 200,
    socialWorker2: 200,
    educator: 200,
    coordinator: 200,
    coordinatorOther: 200,
    director: 200,
  }),
  b: everyone(403, {
    socialWorker: 200,
    socialWorker2: 200,
    educator: 200,
    coordinator: 200,
    coordinatorOther: 200,
    director: 200,
  }),
  platformAdmin: 403,
  anonymous: 401,
};

const versionOf = async () =>
  (await t.app.pool.query<{ version: number }>(`select version from plans where id = $1`, [planId])).rows[0]!
    .version;

describe('assessments and plans: allow/deny matrix', () => {
  const cases: [string, Expectations, MatrixRequest][] = [
    [
      'POST /v1/cases/{caseId}/assessments',
      write(['socialWorker', 'educator', 'coordinator'], 201),
      () => ({
        method: 'POST',
        url: `/v1/cases/${w.caseId}/assessments`,
        payload: { assessedOn: '2026-02-01', instrument: 'SVAMA', source: 'UVM', sina },
      }),
    ],
    [
      'GET /v1/cases/{caseId}/assessments',
      read(200),
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/assessments` }),
    ],
    [
      'POST /v1/cases/{caseId}/plans',
      write(['socialWorker', 'coordinator'], 201),
      () => ({
        method: 'POST',
        url: `/v1/cases/${w.caseId}/plans`,
        payload: {
          goals: ['Inserimento lavorativo'],
          startDate: '2026-02-01',
          reviewDueDate: '2030-08-01',
          responsibleStaffId: w.a.staff.socialWorker.id,
        },
      }),
    ],
    [
      'GET /v1/cases/{caseId}/plans',
      read(200),
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/plans` }),
    ],
    ['GET /v1/plans/{planId}', read(200), () => ({ method: 'GET', url: `/v1/plans/${planId}` })],
    [
      'PATCH /v1/plans/{planId}',
      write(['socialWorker', 'coordinator'], 200),
      async () => ({
        method: 'PATCH',
        url: `/v1/plans/${planId}`,
        headers: { 'if-match': `"${await versionOf()}"` },
        payload: { goals: ['autonomia', 'lavoro'] },
      }),
    ],
    ['GET /v1/plans/overdue-reviews', list, () => ({ method: 'GET', url: '/v1/plans/overdue-reviews' })],
  ];

  it.each(cases)('%s', async (_name, expectations, request) => {
    expect(await matrixMismatches(t, w, expectations, request)).toEqual([]);
  });

  it('the matrix wrote only what the allowed callers asked for', async () => {
    const { rows: assessments } = await t.app.pool.query(
      `select author_id from assessments order by author_id`,
    );
    expect(assessments.map((r) => r.author_id)).toEqual(
      [w.a.staff.socialWorker.id, w.a.staff.educator.id, w.a.staff.coordinator.id].sort(),
    );
    const { rows: plans } = await t.app.pool.query(
      `select created_by from plans where id <> $1 order by created_by`,
      [planId],
    );
    expect(plans.map((r) => r.created_by)).toEqual(
      [w.a.staff.socialWorker.id, w.a.staff.coordinator.id].sort(),
    );
    expect(await versionOf()).toBe(3);
  });

  it('the overdue list shows organisation A’s plan to A’s callers on the case, and to nobody else', async () => {
    const seen = async (subject: string) =>
      (await t.as(subject, { method: 'GET', url: '/v1/plans/overdue-reviews' }))
        .json()
        .items.map((p: { id: string }) => p.id);
    expect(await seen(w.a.staff.socialWorker.subject)).toEqual([planId]);
    expect(await seen(w.a.staff.educator.subject)).toEqual([planId]);
    expect(await seen(w.a.staff.director.subject)).toEqual([planId]);
    expect(await seen(w.a.staff.socialWorker2.subject)).toEqual([]);
    expect(await seen(w.a.staff.coordinatorOther.subject)).toEqual([]);
    expect(await seen(w.b.staff.director.subject)).toEqual([]);
  });
});
