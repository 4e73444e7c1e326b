import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { everyone, matrixMismatches, type Expectations, caseReadExpectations } from '../catalogue/access-matrix.js';
import { insertStaffMember } from './fixtures.js';

/**
 * Who may use the assignment endpoints, on the world's case (team minori; socialWorker is its case manager,
 * educator is assigned; socialWorker2 is in the team but unassigned; coordinatorOther coordinates another
 * team). Roles without the permission get 403; holders of it outside the case's scope, and everyone of
 * organisation B, get 404.
 */
let t: TestApp;
let w: World;
let newcomer: string;
let endable: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  newcomer = (await insertStaffMember(t.app.db, w.a, 'social_worker')).id;
  const leaving = await insertStaffMember(t.app.db, w.a, 'educator');
  const { rows } = await t.app.pool.query<{ id: string }>(
    `insert into assignments (organisation_id, case_id, staff_id, role, created_by) values ($1, $2, $3, 'educator', $4) returning id`,
    [w.a.id, w.caseId, leaving.id, w.a.staff.coordinator.id],
  );
  endable = rows[0]!.id;
});
afterAll(async () => t?.close());

type MatrixRequest = Parameters<typeof matrixMismatches>[3];

const read = caseReadExpectations;
/** assignment:write is the coordinators'; a coordinator of another team is outside the case's scope. */
const write = (ok: number): Expectations => ({
  a: everyone(403, { coordinator: ok, coordinatorOther: 404 }),
  b: everyone(403, { coordinator: 404, coordinatorOther: 404 }),
  platformAdmin: 403,
  anonymous: 401,
});

const versionOf = async (id: string) =>
  (await t.app.pool.query<{ version: number }>(`select version from assignments where id = $1`, [id]))
    .rows[0]!.version;

describe('assignments: allow/deny matrix', () => {
  const cases: [string, Expectations, MatrixRequest][] = [
    [
      'POST /v1/cases/{caseId}/assignments',
      write(201),
      () => ({
        method: 'POST',
        url: `/v1/cases/${w.caseId}/assignments`,
        payload: { staffId: newcomer, role: 'co_worker' },
      }),
    ],
    [
      'GET /v1/cases/{caseId}/assignments',
      read(200),
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/assignments` }),
    ],
    [
      'PATCH /v1/assignments/{assignmentId}',
      write(200),
      async () => ({
        method: 'PATCH',
        url: `/v1/assignments/${endable}`,
        headers: { 'if-match': `"${await versionOf(endable)}"` },
        payload: { endReason: 'fine incarico' },
      }),
    ],
  ];

  it.each(cases)('%s', async (_name, expectations, request) => {
    expect(await matrixMismatches(t, w, expectations, request)).toEqual([]);
  });

  it('the matrix changed only what the allowed caller asked for', async () => {
    const { rows } = await t.app.pool.query(`select created_by from assignments where staff_id = $1`, [
      newcomer,
    ]);
    expect(rows.map((r) => r.created_by)).toEqual([w.a.staff.coordinator.id]);
    expect(await versionOf(endable)).toBe(2);
  });

  it('refusals are in the audit trail as denied, 403 and 404 alike', async () => {
    const { rows } = await t.app.pool.query(
      `select outcome, count(*)::int as n from audit_events where action = 'assignment.list' and organisation_id = $1 group by outcome`,
      [w.b.id],
    );
    expect(rows).toEqual([{ outcome: 'denied', n: 11 }]);
  });
});
