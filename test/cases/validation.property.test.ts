import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseStatuses, closureReasons, userAreas } from '../../src/shared/domain.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { freshFiscalCode, validFiscalCode, validTemporaryCode } from '../citizens/fiscal-codes.js';
import { caseBody, caseVersion, citizenBody, countRows } from './fixtures.js';

/**
 * Properties over the validators, through HTTP: whatever the input, an invalid one is a 400 problem that
 * names the field, nothing is written, and the service never answers 5xx.
 */
let t: TestApp;
let w: World;
let householdId: string;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  householdId = (
    await t.as(w.a.staff.socialWorker.subject, { method: 'POST', url: '/v1/households', payload: {} })
  ).json().id;
});
afterAll(async () => t?.close());

const runs = { numRuns: 40 };
const sw = () => w.a.staff.socialWorker.subject;
const fieldsOf = (body: string) =>
  (JSON.parse(body) as { invalidParams?: { name: string }[] }).invalidParams?.map((p) => p.name) ?? [];

/** Sends `payload`, expects 400 naming `field`, and checks that `table` did not grow. */
async function expectRefused(
  request: { method: 'POST' | 'PATCH' | 'PUT'; url: string; headers?: Record<string, string> },
  payload: unknown,
  field: string,
  table: string,
) {
  const before = await countRows(t, table);
  const r = await t.as(sw(), { ...request, payload: payload as object });
  expect(r.statusCode, `${JSON.stringify(payload)} → ${r.body}`).toBe(400);
  expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(fieldsOf(r.body)).toContain(field);
  expect(await countRows(t, table)).toBe(before);
}

/** Not a date of the record: not a date at all, an impossible one, or one before 1900 (down to year 0000). */
const notARecordDate = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc
      .tuple(
        fc.integer({ min: 1900, max: 2020 }),
        fc.integer({ min: 13, max: 99 }),
        fc.integer({ min: 1, max: 28 }),
      )
      .map(([y, m, d]) => `${y}-${m}-${String(d).padStart(2, '0')}`),
    fc
      .tuple(
        fc.integer({ min: 1900, max: 2020 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 32, max: 99 }),
      )
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, '0')}-${d}`),
    fc
      .integer({ min: 1901, max: 2099 })
      .filter((y) => y % 4 !== 0)
      .map((y) => `${y}-02-29`),
    fc.integer({ min: 0, max: 1899 }).map((y) => `${String(y).padStart(4, '0')}-01-01`),
  )
  .filter((s) => !/^(19|20)\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d)$/.test(s));
const futureDate = fc.integer({ min: 2100, max: 9999 }).map((y) => `${y}-01-01`);

const notIn = (allowed: readonly unknown[]) =>
  fc
    .oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.boolean(), fc.constant(null))
    .filter((v) => !allowed.includes(v as never));

describe('validators (property-based, through HTTP)', () => {
  it('codice fiscale: malformed strings and wrong check characters are 400 on body/fiscalCode', async () => {
    const wrongCheck = validFiscalCode.chain((code) =>
      fc
        .constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.replace(code[15]!, ''))
        .map((c) => code.slice(0, 15) + c),
    );
    const wrongTemporary = validTemporaryCode.map(
      (code) => code.slice(0, 10) + String((Number(code[10]) + 1) % 10),
    );
    const malformed = fc
      .string({ maxLength: 24 })
      .filter((s) => !/^([A-Z0-9]{16}|[0-9]{11})$/.test(s.trim().toUpperCase()));
    await fc.assert(
      fc.asyncProperty(fc.oneof(wrongCheck, wrongTemporary, malformed), async (code) => {
        await expectRefused(
          { method: 'POST', url: '/v1/citizens' },
          citizenBody({ fiscalCode: code }),
          'body/fiscalCode',
          'citizens',
        );
      }),
      runs,
    );
  });

  it('codice fiscale: every code built by the rule (omocodic and temporary ones too) is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(validFiscalCode, validTemporaryCode), async (code) => {
        const r = await t.as(sw(), {
          method: 'POST',
          url: '/v1/citizens',
          payload: citizenBody({ fiscalCode: code }),
        });
        // 409 only if the generator repeated a code already registered.
        expect([201, 409], r.body).toContain(r.statusCode);
        if (r.statusCode === 201)
          expect(r.json()).toMatchObject({ fiscalCode: code, fiscalCodeTemporary: code.length === 11 });
      }),
      { numRuns: 25 },
    );
  });

  it('dates: non-dates, impossible dates and dates before 1900 are 400 on the date field', async () => {
    await fc.assert(
      fc.asyncProperty(notARecordDate, async (date) => {
        await expectRefused(
          { method: 'POST', url: '/v1/citizens' },
          citizenBody({ birthDate: date }),
          'body/birthDate',
          'citizens',
        );
        await expectRefused(
          { method: 'POST', url: '/v1/cases' },
          caseBody(w.a, w.citizenId, { referralDate: date }),
          'body/referralDate',
          'cases',
        );
        const member = { citizenId: w.citizenId, relation: 'head', validFrom: date };
        await expectRefused(
          { method: 'POST', url: `/v1/households/${householdId}/members` },
          member,
          'body/validFrom',
          'household_members',
        );
        await expectRefused(
          { method: 'POST', url: '/v1/citizens/search' },
          { familyName: 'Rossi', givenName: 'Mario', birthDate: date },
          'body/birthDate',
          'citizens',
        );
      }),
      runs,
    );
  });

  it('dates: a birth or referral date in the future is 400', async () => {
    await fc.assert(
      fc.asyncProperty(futureDate, async (date) => {
        await expectRefused(
          { method: 'POST', url: '/v1/citizens' },
          citizenBody({ birthDate: date }),
          'body/birthDate',
          'citizens',
        );
        await expectRefused(
          { method: 'POST', url: '/v1/cases' },
          caseBody(w.a, w.citizenId, { referralDate: date }),
          'body/referralDate',
          'cases',
        );
      }),
      { numRuns: 15 },
    );
  });

  it('enums: sex, user area, SIUSS area, complexity, status and closure reason outside their code lists are 400', async () => {
    const statusUrl = `/v1/cases/${w.caseId}/status-changes`;
    await fc.assert(
      fc.asyncProperty(
        notIn(['M', 'F']),
        notIn(userAreas),
        notIn([1, 2, 3]),
        notIn(caseStatuses),
        notIn(closureReasons),
        async (sex, area, level, status, reason) => {
          await expectRefused(
            { method: 'POST', url: '/v1/citizens' },
            citizenBody({ sex }),
            'body/sex',
            'citizens',
          );
          await expectRefused(
            { method: 'POST', url: '/v1/cases' },
            caseBody(w.a, w.citizenId, { userArea: area }),
            'body/userArea',
            'cases',
          );
          await expectRefused(
            { method: 'POST', url: '/v1/cases' },
            caseBody(w.a, w.citizenId, { siussArea: level }),
            'body/siussArea',
            'cases',
          );
          await expectRefused(
            { method: 'POST', url: '/v1/cases' },
            caseBody(w.a, w.citizenId, { complexity: level }),
            'body/complexity',
            'cases',
          );
          const headers = { 'if-match': `"${await caseVersion(t, w.caseId)}"` };
          await expectRefused(
            { method: 'POST', url: statusUrl, headers },
            { status },
            'body/status',
            'case_status_changes',
          );
          await expectRefused(
            { method: 'POST', url: statusUrl, headers },
            { status: 'closed', closureReason: reason },
            'body/closureReason',
            'case_status_changes',
          );
        },
      ),
      runs,
    );
  });

  it('emergency reasons shorter than 20 characters (after trimming) are 400 on body/reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 19 }), fc.nat({ max: 10 }), async (text, padding) => {
        const reason = ' '.repeat(padding) + text + ' '.repeat(padding);
        fc.pre(reason.trim().length < 20);
        const r = await t.as(w.a.staff.socialWorker2.subject, {
          method: 'POST',
          url: `/v1/cases/${w.caseId}/emergency-grants`,
          payload: { reason },
        });
        expect(r.statusCode).toBe(400);
        expect(fieldsOf(r.body)).toEqual(['body/reason']);
      }),
      runs,
    );
    expect(await countRows(t, 'emergency_grants')).toBe(0);
  });

  it('arbitrary JSON bodies never cause a 5xx, and a refused one writes nothing', async () => {
    const targets = [
      { method: 'POST' as const, url: '/v1/citizens', table: 'citizens' },
      { method: 'POST' as const, url: '/v1/citizens/search', table: 'citizens' },
      { method: 'POST' as const, url: '/v1/cases', table: 'cases' },
      { method: 'POST' as const, url: '/v1/households', table: 'households' },
      { method: 'PATCH' as const, url: `/v1/cases/${w.caseId}`, table: 'cases' },
      { method: 'PATCH' as const, url: `/v1/citizens/${w.citizenId}`, table: 'citizens' },
    ];
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.oneof(fc.object(), fc.jsonValue()),
        async (target, body) => {
          const before = await countRows(t, target.table);
          const r = await t.as(sw(), {
            method: target.method,
            url: target.url,
            headers: { 'if-match': '"999"', 'content-type': 'application/json' },
            payload: JSON.stringify(body),
          });
          expect(r.statusCode, r.body).toBeLessThan(500);
          seen.add(r.statusCode);
          if (r.statusCode >= 400) expect(await countRows(t, target.table)).toBe(before);
        },
      ),
      { numRuns: 120 },
    );
    // The bodies reached validation (not only the content-type check).
    expect(seen.has(400)).toBe(true);
    expect(seen.has(415)).toBe(false);
  });

  it('a fresh valid body still works after all that (the properties did not break the world)', async () => {
    const r = await t.as(sw(), {
      method: 'POST',
      url: '/v1/citizens',
      payload: citizenBody({ fiscalCode: freshFiscalCode() }),
    });
    expect(r.statusCode).toBe(201);
  });
});
