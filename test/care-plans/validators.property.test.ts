import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import {
  badText,
  expectRefused,
  malformedDate,
  notOneOf,
  notUuid,
} from '../assignments/validation-support.js';
import { sina, sinba } from './fixtures.js';

/**
 * Property-based tests of the assessment and plan validators through HTTP: malformed dates, codes of the
 * SIUSS XSDs, statuses, goals and texts are 400 naming exactly the field, and nothing is written.
 */
let t: TestApp;
let w: World;
let planId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  planId = (await postPlan({})).json().id;
});
afterAll(async () => t?.close());

function postAssessment(body: object) {
  return t.as(w.a.staff.socialWorker.subject, {
    method: 'POST',
    url: `/v1/cases/${w.caseId}/assessments`,
    payload: { assessedOn: '2026-02-01', instrument: 'SVAMA', source: 'UVM', text: 'Valutazione', ...body },
  });
}
function postPlan(body: object) {
  return t.as(w.a.staff.socialWorker.subject, {
    method: 'POST',
    url: `/v1/cases/${w.caseId}/plans`,
    payload: {
      goals: ['Autonomia'],
      startDate: '2026-02-01',
      reviewDueDate: '2026-08-01',
      responsibleStaffId: w.a.staff.socialWorker.id,
      ...body,
    },
  });
}

const snapshot = async () =>
  (
    await t.app.pool.query(
      `select (select count(*) from assessments)::int as assessments, (select count(*) from plans)::int as plans, (select version from plans where id = $1) as version`,
      [planId],
    )
  ).rows[0];

/** A SINA / SINBA field and a value outside its XSD enumeration. */
const code = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
const badSina = fc.oneof(
  ...(
    [
      ['mobility', 3],
      ['dailyLivingActivities', 3],
      ['behaviouralDisorders', 2],
      ['incomeSituation', 3],
      ['supportNetwork', 3],
      ['assessmentSource', 4],
      ['assessmentInstrument', 7],
    ] as const
  ).map(([field, n]) => fc.record({ field: fc.constant(field), value: notOneOf(code(n)) })),
);
const badSinba = fc.oneof(
  ...(
    [
      ['minorCondition', 5],
      ['livingPlace', 8],
      ['school', 8],
      ['workCondition', 4],
      ['referralSource', 14],
      ['minorAssessment', 13],
      ['familyAssessment', 13],
    ] as const
  ).map(([field, n]) => fc.record({ field: fc.constant(field), value: notOneOf(code(n)) })),
  fc.record({
    field: fc.constantFrom('unaccompaniedForeignMinor', 'disability', 'reportedToJudicialAuthority'),
    value: fc.oneof(fc.constantFrom('1', '2', 'si', 'true'), fc.integer()),
  }),
  fc.record({
    field: fc.constant('judicialReportMonth'),
    value: fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('2026-13', '2026-1', '01/2026', '1899-12', '2026-01-01'),
    ),
  }),
);

describe('assessment validators', () => {
  it('a malformed date, instrument, source or text is 400 naming it; nothing is written', async () => {
    const before = await snapshot();
    const bad = fc.oneof(
      fc.record({ field: fc.constant('assessedOn'), value: malformedDate }),
      fc.record({ field: fc.constantFrom('instrument', 'source'), value: badText(200) }),
      fc.record({ field: fc.constant('text'), value: badText(20_000) }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ({ field, value }) => {
        await expectRefused(await postAssessment({ [field]: value }), field);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a code outside the SINA or SINBA enumerations is 400 naming the nested field; nothing is written', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badSina.map((b) => ({ ...b, block: 'sina' as const })),
          badSinba.map((b) => ({ ...b, block: 'sinba' as const })),
        ),
        async ({ block, field, value }) => {
          const body =
            block === 'sina'
              ? { sina: { ...sina, [field]: value } }
              : { sinba: { ...sinba, [field]: value } };
          await expectRefused(await postAssessment(body), `${block}/${field}`);
        },
      ),
      { numRuns: 200 },
    );
    expect(await snapshot()).toEqual(before);
  });
});

describe('plan validators', () => {
  it('a malformed goal list, date, responsible worker or status is 400 naming it; nothing is written', async () => {
    const before = await snapshot();
    const bad = fc.oneof(
      fc.record({ field: fc.constantFrom('startDate', 'reviewDueDate'), value: malformedDate }),
      fc.record({ field: fc.constant('responsibleStaffId'), value: notUuid }),
      fc.record({ field: fc.constant('status'), value: notOneOf(['draft', 'active']) }),
      fc.record({
        field: fc.constant('goals'),
        value: fc.oneof(
          fc.constant([]),
          fc.array(fc.constant('obiettivo'), { minLength: 51, maxLength: 60 }),
          badText(1000).map((g) => ['Autonomia', g]),
          fc.string({ maxLength: 20 }),
          fc.constant(null),
        ),
      }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ({ field, value }) => {
        const r = await postPlan({ [field]: value });
        // A bad goal inside the list is named by its position (body/goals/1).
        if (field === 'goals' && Array.isArray(value) && value.length === 2)
          await expectRefused(r, 'goals/1');
        else await expectRefused(r, field);
      }),
      { numRuns: 200 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a malformed PATCH is 400 naming the field; the plan keeps its version', async () => {
    const before = await snapshot();
    const bad = fc.oneof(
      fc.record({ field: fc.constantFrom('startDate', 'reviewDueDate'), value: malformedDate }),
      fc.record({ field: fc.constant('responsibleStaffId'), value: notUuid }),
      fc.record({
        field: fc.constant('status'),
        value: notOneOf(['draft', 'active', 'completed', 'cancelled']),
      }),
      fc.record({
        field: fc.constant('goals'),
        value: fc.oneof(fc.constant([]), fc.string({ maxLength: 10 })),
      }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ({ field, value }) => {
        const r = await t.as(w.a.staff.socialWorker.subject, {
          method: 'PATCH',
          url: `/v1/plans/${planId}`,
          headers: { 'if-match': `"${before.version}"` },
          payload: { [field]: value },
        });
        await expectRefused(r, field);
      }),
      { numRuns: 120 },
    );
    expect(await snapshot()).toEqual(before);
  });
});
