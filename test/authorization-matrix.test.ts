import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleHas, type Permission } from '../src/access/permissions.js';
import type { Role } from '../src/shared/domain.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { seedResources, type ResourceIds } from './helpers/resources.js';
import { fillPath, listOperations, validBody, type Operation } from './helpers/routes.js';
import { seedWorld, staffKeys, type World } from './helpers/world.js';

/**
 * The authorization matrix (issue 3): every operation of the OpenAPI document × every role × (in scope,
 * unassigned worker, other organisation), with the exact status each combination must give. It walks the
 * generated document, so a new route is covered — and a route without a declared permission cannot exist
 * (the app refuses to start). Bodies are generated from the request schemas so that checks behind input
 * validation are reached.
 */
let t: TestApp;
let w: World;
let ids: ResourceIds;
let operations: Operation[];

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  ids = await seedResources(t.app.db, w);
  // Break-the-glass grants really open the case to their holder: walk them last, so that the grant an
  // unassigned worker obtains does not turn the other routes' expected 404 into 200.
  const all = listOperations(t.app);
  operations = [...all.filter((op) => !openToUnassigned(op)), ...all.filter(openToUnassigned)];
});
afterAll(async () => t?.close());

interface Caller {
  label: string;
  subject: string;
  role: Role;
}

function callersOf(org: World['a']): Caller[] {
  const roleOf = (key: (typeof staffKeys)[number]): Role =>
    ({ socialWorker: 'social_worker', socialWorker2: 'social_worker', educator: 'educator', coordinator: 'coordinator', coordinatorOther: 'coordinator', director: 'director', admin: 'admin', auditor: 'auditor', electedOfficial: 'elected_official' })[key] as Role;
  return [
    ...staffKeys.map((key) => ({ label: key, subject: org.staff[key].subject, role: roleOf(key) })),
    { label: 'regional', subject: org.clients.regional.subject, role: 'regional' as Role },
    { label: 'siuss', subject: org.clients.siuss.subject, role: 'siuss' as Role },
  ];
}

/** Paths whose ids point into the world's case: outside that case's scope they must not exist. */
const caseBoundParams = new Set(['caseId', 'noteId', 'planId', 'interventionId', 'assignmentId', 'assessmentId']);
/** Break-the-glass is, by design, for workers of the organisation who are not on the case. */
const openToUnassigned = (op: Operation) => op.method === 'POST' && op.path.endsWith('/emergency-grants');

/**
 * Generated bodies satisfy the JSON schema but now and then not a zod refinement the document cannot
 * express (trimmed strings…): a 400 from input validation is retried with a fresh body, so that the checks
 * behind validation are what the matrix sees.
 */
async function request(op: Operation, subject: string | null) {
  for (let attempt = 0; ; attempt++) {
    const body = validBody(op);
    const response = await t.as(subject, {
      method: op.method,
      url: fillPath(op, ids),
      headers: { 'if-match': '"1"', 'if-none-match': '"none"' },
      ...(body !== undefined ? { payload: body as object } : {}),
    });
    if (response.statusCode !== 400 || body === undefined || attempt >= 8) return response;
  }
}

describe('authorization matrix', () => {
  it('covers the API (the document lists the operations)', () => {
    expect(operations.length).toBeGreaterThan(10);
  });

  it('every operation: exact status per role, unassigned worker and other organisation', async () => {
    const failures: string[] = [];
    const check = (op: Operation, who: string, status: number, ok: (s: number) => boolean, want: string) => {
      if (!ok(status)) failures.push(`${op.method} ${op.path} as ${who}: got ${status}, want ${want}`);
    };
    for (const op of operations) {
      if (op.access === 'public') {
        const response = await request(op, null);
        check(op, 'anonymous', response.statusCode, (s) => s < 500 && s !== 401 && s !== 403, 'no authentication needed');
        continue;
      }
      check(op, 'anonymous', (await request(op, null)).statusCode, (s) => s === 401, '401');
      const permission = op.access === 'authenticated' ? undefined : (op.access as Permission);
      const allowed = (role: Role) => !permission || roleHas(role, permission);

      for (const caller of [...callersOf(w.a), { label: 'platformAdmin', subject: w.platformAdmin.subject, role: 'platform_admin' as Role }]) {
        const response = await request(op, caller.subject);
        // A role's own rule (e.g. an educator may not write restricted notes) may also answer 403; only a
        // 403 naming the route's permission means the gate refused the role.
        const status = response.statusCode;
        const refusedByGate = status === 403 && (!permission || response.body.includes(`'${permission}'`));
        if (!allowed(caller.role)) check(op, caller.label, status, () => refusedByGate, '403 naming the permission');
        else if (caller.label === 'socialWorker2' && op.params.some((p) => caseBoundParams.has(p)) && !openToUnassigned(op)) {
          check(op, caller.label, status, (s) => s === 404, '404 (unassigned worker: outside scope)');
        } else check(op, caller.label, status, (s) => s < 500 && s !== 401 && !refusedByGate, 'allowed (not 401, not refused by the gate, not 5xx)');
      }

      // Organisation B looking at A's resources by id: they do not exist for it.
      if (op.params.length > 0 && !op.params.includes('belfioreCode')) {
        for (const caller of callersOf(w.b).filter((c) => allowed(c.role))) {
          const status = (await request(op, caller.subject)).statusCode;
          check(op, `other organisation's ${caller.label}`, status, (s) => s === 404, '404 (other organisation)');
        }
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);
});
