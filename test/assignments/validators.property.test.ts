import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { badText, expectRefused, malformedInstant, notOneOf, notUuid } from './validation-support.js';

/**
 * Property-based tests of the assignment validators through HTTP: whatever malformed id, role, time or
 * reason a coordinator sends, the answer is 400 problem+json naming exactly that field, and nothing is written.
 */
let t: TestApp;
let w: World;
let assignmentId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  const { rows } = await t.app.pool.query<{ id: string }>(
    `select id from assignments where case_id = $1 and role = 'educator'`,
    [w.caseId],
  );
  assignmentId = rows[0]!.id;
});
afterAll(async () => t?.close());

const snapshot = async () =>
  (
    await t.app.pool.query(
      `select count(*)::int as n, sum(version)::int as versions, max(updated_at) as updated from assignments`,
    )
  ).rows[0];

const post = (body: object) =>
  t.as(w.a.staff.coordinator.subject, {
    method: 'POST',
    url: `/v1/cases/${w.caseId}/assignments`,
    payload: { staffId: w.a.staff.socialWorker2.id, role: 'co_worker', ...body },
  });

describe('assignment validators', () => {
  it('a malformed field of a new assignment is 400 naming it; nothing is written', async () => {
    const before = await snapshot();
    const bad = fc.oneof(
      fc.record({ field: fc.constant('staffId'), value: notUuid }),
      fc.record({ field: fc.constant('role'), value: notOneOf(['case_manager', 'co_worker', 'educator']) }),
      fc.record({ field: fc.constantFrom('validFrom', 'validTo'), value: malformedInstant }),
      fc.record({ field: fc.constant('reason'), value: badText(1000) }),
      fc.record({
        field: fc.constant('replaceCurrent'),
        value: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant(null)),
      }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ({ field, value }) => {
        await expectRefused(await post({ [field]: value }), field);
      }),
      { numRuns: 200 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a malformed end is 400 naming the field; the assignment keeps its version', async () => {
    const before = await snapshot();
    const bad = fc.oneof(
      fc.record({ field: fc.constant('validTo'), value: malformedInstant, endReason: fc.constant('fine') }),
      fc.record({ field: fc.constant('endReason'), value: badText(1000), endReason: fc.constant(undefined) }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ({ field, value, endReason }) => {
        const r = await t.as(w.a.staff.coordinator.subject, {
          method: 'PATCH',
          url: `/v1/assignments/${assignmentId}`,
          headers: { 'if-match': '"1"' },
          payload: { ...(endReason ? { endReason } : {}), [field]: value },
        });
        await expectRefused(r, field);
      }),
      { numRuns: 120 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('the end reason is required', async () => {
    const r = await t.as(w.a.staff.coordinator.subject, {
      method: 'PATCH',
      url: `/v1/assignments/${assignmentId}`,
      headers: { 'if-match': '"1"' },
      payload: {},
    });
    await expectRefused(r, 'endReason');
  });
});
