import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { everyone, matrixMismatches, type Expectations, caseReadExpectations } from '../catalogue/access-matrix.js';
import { insertService } from '../catalogue/fixtures.js';

/**
 * Who may use the intervention endpoints, on the world's case (team minori; socialWorker is its case
 * manager, educator is assigned; socialWorker2 is in the team but unassigned; coordinatorOther coordinates
 * another team). Roles without the permission get 403; callers with it but outside the case's scope, and
 * everyone in organisation B, get 404.
 */
let t: TestApp;
let w: World;
let interventionId: string;
let serviceId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  serviceId = (await insertService(t.app.db, w.a.id)).id;
  const created = await t.as(w.a.staff.socialWorker.subject, {
    method: 'POST',
    url: `/v1/cases/${w.caseId}/interventions`,
    payload: { serviceId, status: 'requested', plannedStart: '2026-03-01' },
  });
  interventionId = created.json().id;
});
afterAll(async () => t?.close());

type MatrixRequest = Parameters<typeof matrixMismatches>[3];

/** Permission holders outside the scope get 404, everyone else without the permission 403. */
const read = caseReadExpectations;
const write = (ok: number): Expectations => ({
  a: everyone(403, { socialWorker: ok, socialWorker2: 404, coordinator: ok, coordinatorOther: 404 }),
  b: everyone(403, { socialWorker: 404, socialWorker2: 404, coordinator: 404, coordinatorOther: 404 }),
  platformAdmin: 403,
  anonymous: 401,
});

const currentVersion = async () =>
  (
    await t.app.pool.query<{ version: number }>(`select version from interventions where id = $1`, [
      interventionId,
    ])
  ).rows[0]!.version;

describe('interventions: allow/deny matrix', () => {
  const cases: [string, Expectations, MatrixRequest][] = [
    [
      'POST /v1/cases/{caseId}/interventions',
      write(201),
      () => ({
        method: 'POST',
        url: `/v1/cases/${w.caseId}/interventions`,
        payload: { serviceId, status: 'waitlisted', plannedStart: '2026-04-01' },
      }),
    ],
    [
      'GET /v1/cases/{caseId}/interventions',
      read(200),
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/interventions` }),
    ],
    [
      'GET /v1/interventions/{interventionId}',
      read(200),
      () => ({ method: 'GET', url: `/v1/interventions/${interventionId}` }),
    ],
    [
      'PATCH /v1/interventions/{interventionId}',
      write(200),
      async () => ({
        method: 'PATCH',
        url: `/v1/interventions/${interventionId}`,
        headers: { 'if-match': `"${await currentVersion()}"` },
        payload: { provider: 'Cooperativa Il Sole' },
      }),
    ],
    [
      'GET /v1/interventions/{interventionId}/status-changes',
      read(200),
      () => ({ method: 'GET', url: `/v1/interventions/${interventionId}/status-changes` }),
    ],
  ];

  it.each(cases)('%s', async (_name, expectations, request) => {
    expect(await matrixMismatches(t, w, expectations, request)).toEqual([]);
  });

  it('the matrix wrote only what the allowed callers asked for', async () => {
    const { rows } = await t.app.pool.query(
      `select created_by from interventions where status = 'waitlisted' order by created_by`,
    );
    expect(rows.map((r) => r.created_by).sort()).toEqual(
      [w.a.staff.socialWorker.id, w.a.staff.coordinator.id].sort(),
    );
    expect(await currentVersion()).toBe(3);
  });

  it('every refusal of organisation B is in the audit trail as denied (403 and 404 alike)', async () => {
    const { rows } = await t.app.pool.query(
      `select outcome, count(*)::int as n from audit_events where action = 'intervention.read' and organisation_id = $1 group by outcome`,
      [w.b.id],
    );
    // Nine staff members and two API clients of B.
    expect(rows).toEqual([{ outcome: 'denied', n: 11 }]);
  });
});
