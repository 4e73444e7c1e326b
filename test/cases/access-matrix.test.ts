import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type OrgWorld, type StaffKey, type World } from '../helpers/world.js';
import {
  everyone,
  matrixMismatches,
  type Caller,
  type CallerKey,
  type Expectations,
} from '../catalogue/access-matrix.js';
import { caseBody, caseVersion, citizenBody, createCitizen } from './fixtures.js';

/**
 * The allow/deny matrix of the citizens, households, cases and emergency-access endpoints: every world role
 * of both organisations (A owns the records), the API clients, the platform admin and an anonymous caller,
 * each with its exact status. 403 means the role lacks the permission; 404 means the record is outside the
 * caller's scope (unassigned worker, other team, other organisation).
 */
let t: TestApp;
let w: World;
let householdId: string;
let citizenOfB: string;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  citizenOfB = await createCitizen(t, w.b.staff.socialWorker.subject);
  const household = await t.as(w.a.staff.socialWorker.subject, {
    method: 'POST',
    url: '/v1/households',
    payload: { name: 'Famiglia Rossi' },
  });
  householdId = household.json().id;
  await t.as(w.a.staff.socialWorker.subject, {
    method: 'POST',
    url: `/v1/households/${householdId}/members`,
    payload: { citizenId: w.citizenId, relation: 'head', validFrom: '2000-01-01', validTo: '2000-12-31' },
  });
});
afterAll(async () => t?.close());

const only = (status: number, keys: StaffKey[], otherwise = 403): Record<CallerKey, number> =>
  everyone(otherwise, Object.fromEntries(keys.map((k) => [k, status])));
const matrix = (a: Record<CallerKey, number>, b: Record<CallerKey, number>): Expectations => ({
  a,
  b,
  platformAdmin: 403,
  anonymous: 401,
});

const caseWorkers: StaffKey[] = ['socialWorker', 'socialWorker2', 'coordinator', 'coordinatorOther'];
const registryReaders: StaffKey[] = [...caseWorkers, 'director'];
const caseReaders: StaffKey[] = [...registryReaders, 'educator'];

const orgOf = (caller: Caller): OrgWorld => (caller.label.startsWith('b.') ? w.b : w.a);
const keyOf = (caller: Caller) => caller.label.split('.')[1] as CallerKey;

async function expectMatrix(
  expectations: Expectations,
  request: (caller: Caller) => Promise<InjectOptions> | InjectOptions,
) {
  expect(await matrixMismatches(t, w, expectations, request)).toEqual([]);
}

describe('access matrix: citizens', () => {
  it('POST /v1/citizens', async () => {
    const row = only(201, caseWorkers);
    await expectMatrix(matrix(row, row), () => ({
      method: 'POST',
      url: '/v1/citizens',
      payload: citizenBody(),
    }));
  });

  it('GET /v1/citizens/{citizenId}', async () => {
    await expectMatrix(matrix(only(200, caseReaders), only(404, caseReaders)), () => ({
      method: 'GET',
      url: `/v1/citizens/${w.citizenId}`,
    }));
  });

  it('PATCH /v1/citizens/{citizenId}', async () => {
    const writers: StaffKey[] = [...caseWorkers, 'educator'];
    await expectMatrix(matrix(only(200, writers), only(404, writers)), async () => {
      const { rows } = await t.app.pool.query('select version from citizens where id = $1', [w.citizenId]);
      return {
        method: 'PATCH',
        url: `/v1/citizens/${w.citizenId}`,
        headers: { 'if-match': `"${rows[0].version}"` },
        payload: { contacts: { phone: '+39 02 555 0101' } },
      };
    });
  });

  it('POST /v1/citizens/search', async () => {
    const row = only(200, registryReaders);
    await expectMatrix(matrix(row, row), () => ({
      method: 'POST',
      url: '/v1/citizens/search',
      payload: { fiscalCode: 'RSSMRA80A01F205X' },
    }));
  });
});

describe('access matrix: households', () => {
  it('POST /v1/households', async () => {
    const row = only(201, caseWorkers);
    await expectMatrix(matrix(row, row), () => ({ method: 'POST', url: '/v1/households', payload: {} }));
  });

  let year = 2001;
  it('POST /v1/households/{householdId}/members', async () => {
    await expectMatrix(matrix(only(201, caseWorkers), only(404, caseWorkers)), () => {
      year++;
      return {
        method: 'POST',
        url: `/v1/households/${householdId}/members`,
        payload: {
          citizenId: w.citizenId,
          relation: 'head',
          validFrom: `${year}-01-01`,
          validTo: `${year}-12-31`,
        },
      };
    });
  });

  it('GET /v1/households/{householdId}', async () => {
    await expectMatrix(matrix(only(200, caseReaders), only(404, caseReaders)), () => ({
      method: 'GET',
      url: `/v1/households/${householdId}`,
    }));
  });
});

describe('access matrix: cases', () => {
  it('POST /v1/cases', async () => {
    const row = only(201, caseWorkers);
    await expectMatrix(matrix(row, row), (caller) => {
      const org = orgOf(caller);
      const key = keyOf(caller);
      const coordinator = key === 'coordinator' || key === 'coordinatorOther';
      const overrides = {
        ...(coordinator ? { caseManagerId: org.staff.socialWorker.id } : {}),
        ...(key === 'coordinatorOther' ? { teamId: org.teams.anziani } : {}),
      };
      return {
        method: 'POST',
        url: '/v1/cases',
        payload: caseBody(org, org === w.a ? w.citizenId : citizenOfB, overrides),
      };
    });
  });

  it('GET /v1/cases', async () => {
    const row = only(200, caseReaders);
    await expectMatrix(matrix(row, row), () => ({ method: 'GET', url: '/v1/cases' }));
  });

  const inScope = only(200, ['socialWorker', 'educator', 'coordinator', 'director']);
  const outOfScope = { socialWorker2: 404, coordinatorOther: 404 };
  it('GET /v1/cases/{caseId}', async () => {
    await expectMatrix(matrix({ ...inScope, ...outOfScope }, only(404, caseReaders)), () => ({
      method: 'GET',
      url: `/v1/cases/${w.caseId}`,
    }));
  });

  it('GET /v1/cases/{caseId}/status-changes', async () => {
    await expectMatrix(matrix({ ...inScope, ...outOfScope }, only(404, caseReaders)), () => ({
      method: 'GET',
      url: `/v1/cases/${w.caseId}/status-changes`,
    }));
  });

  const writers = { ...only(200, ['socialWorker', 'coordinator']), ...outOfScope };
  it('PATCH /v1/cases/{caseId}', async () => {
    await expectMatrix(matrix(writers, only(404, caseWorkers)), async () => ({
      method: 'PATCH',
      url: `/v1/cases/${w.caseId}`,
      headers: { 'if-match': `"${await caseVersion(t, w.caseId)}"` },
      payload: { complexity: 3 },
    }));
  });

  it('POST /v1/cases/{caseId}/status-changes', async () => {
    const created = { ...only(201, ['socialWorker', 'coordinator']), ...outOfScope };
    await expectMatrix(matrix(created, only(404, caseWorkers)), async () => {
      const { rows } = await t.app.pool.query('select status, version from cases where id = $1', [w.caseId]);
      const payload =
        rows[0].status === 'closed'
          ? { status: 'in_charge' }
          : { status: 'closed', closureReason: 'goals_achieved' };
      return {
        method: 'POST',
        url: `/v1/cases/${w.caseId}/status-changes`,
        headers: { 'if-match': `"${rows[0].version}"` },
        payload,
      };
    });
  });

  it('PUT /v1/cases/{caseId}/seal', async () => {
    await expectMatrix(matrix(only(200, ['director']), only(404, ['director'])), () => ({
      method: 'PUT',
      url: `/v1/cases/${w.caseId}/seal`,
      payload: { sealed: false, staffIds: [] },
    }));
  });
});

describe('access matrix: emergency access', () => {
  it('POST /v1/cases/{caseId}/emergency-grants', async () => {
    // Those who already read the case need no grant (409); the others of the organisation may open one.
    const a = { ...only(201, ['socialWorker2', 'coordinatorOther']), socialWorker: 409, coordinator: 409 };
    await expectMatrix(matrix(a, only(404, caseWorkers)), () => ({
      method: 'POST',
      url: `/v1/cases/${w.caseId}/emergency-grants`,
      payload: { reason: 'Urgent safeguarding call from the police at night' },
    }));
  });

  it('GET /v1/emergency-grants', async () => {
    const row = only(200, ['coordinator', 'coordinatorOther', 'director']);
    await expectMatrix(matrix(row, row), () => ({ method: 'GET', url: '/v1/emergency-grants' }));
  });

  it('POST /v1/emergency-grants/{grantId}/review', async () => {
    const a = { ...only(200, ['coordinator', 'director']), coordinatorOther: 404 };
    await expectMatrix(matrix(a, only(404, ['coordinator', 'coordinatorOther', 'director'])), async () => {
      const { rows } = await t.app.pool.query(
        `insert into emergency_grants (organisation_id, case_id, staff_id, reason, expires_at)
         values ($1, $2, $3, 'Urgent safeguarding call from the police', now() + interval '1 hour') returning id`,
        [w.a.id, w.caseId, w.a.staff.socialWorker2.id],
      );
      return { method: 'POST', url: `/v1/emergency-grants/${rows[0].id}/review`, payload: { note: 'ok' } };
    });
  });
});
