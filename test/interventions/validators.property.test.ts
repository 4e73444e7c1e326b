import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { insertService } from '../catalogue/fixtures.js';

/**
 * Property-based tests of the intervention validators through HTTP: whatever malformed amount, date or code
 * a client sends, the answer is 400 problem+json naming exactly that field, and nothing is written.
 */
let t: TestApp;
let w: World;
let serviceId: string;
let interventionId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  serviceId = (await insertService(t.app.db, w.a.id)).id;
  interventionId = (await post({})).json().id;
});
afterAll(async () => t?.close());

function post(body: object) {
  return t.as(w.a.staff.socialWorker.subject, {
    method: 'POST',
    url: `/v1/cases/${w.caseId}/interventions`,
    payload: { serviceId, status: 'requested', plannedStart: '2026-03-01', ...body },
  });
}

const snapshot = async () =>
  (
    await t.app.pool.query(
      `select (select count(*) from interventions)::int as interventions, (select count(*) from intervention_status_changes)::int as changes, (select version from interventions where id = $1) as version`,
      [interventionId],
    )
  ).rows[0];

async function expectRefused(response: Awaited<ReturnType<typeof post>>, field: string) {
  expect(response.statusCode).toBe(400);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(response.json().invalidParams.map((p: { name: string }) => p.name)).toEqual([`body/${field}`]);
}

const moneyPattern = /^(0|[1-9][0-9]{0,9})(\.[0-9]{1,2})?$/;
const hoursPattern = /^(0|[1-9][0-9]{0,3})(\.[0-9]{1,2})?$/;
const moneyFields = [
  'amountTotal',
  'amountMonthly',
  'shareOrganisation',
  'shareUser',
  'shareHealthService',
  'iseeThreshold',
] as const;
const dateFields = ['plannedStart', 'plannedEnd', 'actualStart', 'actualEnd', 'dsuDate'] as const;

/** Amount-like values a careless client sends: floats, signs, exponents, commas, too many digits… */
const malformedAmount = (pattern: RegExp) =>
  fc
    .oneof(
      fc.string({ maxLength: 16 }).filter((s) => !pattern.test(s)),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.integer({ min: 1, max: 1_000_000 }).map((n) => `-${n}.00`),
      fc.integer({ min: 0, max: 1_000_000 }).map((n) => `${n}.123`),
      fc.integer({ min: 1, max: 9 }).map((n) => `${n}e3`),
      fc.integer({ min: 1, max: 999 }).map((n) => `${n},50`),
      fc.integer({ min: 1, max: 999 }).map((n) => `0${n}.00`),
      fc.integer({ min: 1, max: 999 }).map((n) => ` ${n}.00`),
      fc.constantFrom('12345678901', '99999999999.99', '.50', '1.', '+1.00', '0x10', 'NaN', ''),
    )
    .filter((v) => typeof v !== 'string' || !pattern.test(v));

const validDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s &&
  s >= '1900-01-01';
const malformedDate = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc
      .record({
        y: fc.integer({ min: 1900, max: 2100 }),
        m: fc.integer({ min: 0, max: 13 }),
        d: fc.integer({ min: 0, max: 32 }),
      })
      .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    fc.integer({ min: 0, max: 1899 }).map((y) => `${String(y).padStart(4, '0')}-06-15`),
    fc.constantFrom('2026-2-01', '01/03/2026', '20260301', '2025-02-29', 20260301),
  )
  .filter((v) => typeof v !== 'string' || !validDate(v));

describe('intervention validators', () => {
  it('a malformed amount in any money field is 400 naming it; nothing is written', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...moneyFields),
        malformedAmount(moneyPattern),
        async (field, value) => {
          await expectRefused(await post({ [field]: value }), field);
        },
      ),
      { numRuns: 150 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('malformed monthly hours (including 10000 or more) are 400 naming body/monthlyHours', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(malformedAmount(hoursPattern), fc.integer({ min: 10_000, max: 10_000_000 }).map(String)),
        async (value) => {
          await expectRefused(await post({ monthlyHours: value }), 'monthlyHours');
        },
      ),
      { numRuns: 60 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a malformed or impossible date in any date field is 400 naming it; nothing is written', async () => {
    const before = await snapshot();
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...dateFields), malformedDate, async (field, value) => {
        await expectRefused(await post({ [field]: value }), field);
      }),
      { numRuns: 150 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('malformed codes (service id, status, DSU protocol) are 400 naming the field; nothing is written', async () => {
    const before = await snapshot();
    const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
    const dsuPattern = /^[A-Za-z0-9][A-Za-z0-9./-]{0,29}$/;
    const badCode = fc
      .oneof(
        fc.record({
          field: fc.constant('serviceId'),
          value: fc.string({ maxLength: 40 }).filter((s) => !uuidPattern.test(s)),
        }),
        fc.record({
          field: fc.constant('status'),
          value: fc.oneof(
            fc.constantFrom('suspended', 'ended', 'Requested', 'active ', ''),
            fc.string({ maxLength: 10 }),
          ),
        }),
        fc.record({
          field: fc.constant('dsuProtocol'),
          value: fc
            .oneof(
              fc.string({ maxLength: 40 }),
              fc.string({ minLength: 31, maxLength: 40, unit: fc.constantFrom('A', '1', '-') }),
            )
            .filter((s) => !dsuPattern.test(s)),
        }),
      )
      .filter(
        ({ field, value }) => field !== 'status' || !['requested', 'waitlisted', 'active'].includes(value),
      );
    await fc.assert(
      fc.asyncProperty(badCode, async ({ field, value }) => {
        await expectRefused(
          await post({ [field]: value, ...(field === 'dsuProtocol' ? { dsuDate: '2026-01-10' } : {}) }),
          field,
        );
      }),
      { numRuns: 120 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a malformed value in a PATCH is 400 naming it; the intervention keeps its version', async () => {
    const before = await snapshot();
    const badPatch = fc.oneof(
      fc.tuple(
        fc.constantFrom(...moneyFields),
        malformedAmount(moneyPattern).filter((v) => v !== null),
      ),
      fc.tuple(fc.constantFrom(...dateFields), malformedDate),
      fc.tuple(
        fc.constant('status'),
        fc
          .string({ maxLength: 12 })
          .filter((s) => !['requested', 'waitlisted', 'active', 'suspended', 'ended'].includes(s)),
      ),
    );
    await fc.assert(
      fc.asyncProperty(badPatch, async ([field, value]) => {
        const r = await t.as(w.a.staff.socialWorker.subject, {
          method: 'PATCH',
          url: `/v1/interventions/${interventionId}`,
          headers: { 'if-match': `"${before.version}"` },
          payload: { [field]: value },
        });
        await expectRefused(r, field);
      }),
      { numRuns: 100 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('every well-formed amount is stored exactly and read back with two decimals', async () => {
    const amount = fc.integer({ min: 0, max: 999_999_999_999 }).chain((cents) => {
      const whole = String(Math.floor(cents / 100));
      const fraction = String(cents % 100).padStart(2, '0');
      const forms = [`${whole}.${fraction}`];
      if (fraction.endsWith('0')) forms.push(`${whole}.${fraction[0]}`);
      if (fraction === '00') forms.push(whole);
      return fc.constantFrom(...forms).map((given) => ({ given, canonical: `${whole}.${fraction}` }));
    });
    await fc.assert(
      fc.asyncProperty(amount, async ({ given, canonical }) => {
        const r = await post({ amountTotal: given, shareUser: given });
        expect(r.statusCode).toBe(201);
        expect(r.json()).toMatchObject({ amountTotal: canonical, shareUser: canonical });
      }),
      { numRuns: 40 },
    );
  });
});
