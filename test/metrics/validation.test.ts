import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flowQuery, maxFlowDays, staffingQuery } from '../../src/modules/metrics/metrics.schemas.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';

/** Bad input is a 400 problem naming the field; the validators accept exactly what METRICS.md says. */
let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

const get = (url: string) => t.as(w.a.staff.director.subject, { method: 'GET', url });

async function expectInvalid(url: string, field: string) {
  const r = await get(url);
  expect([url, r.statusCode]).toEqual([url, 400]);
  expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(r.json().invalidParams.map((p: { name: string }) => p.name)).toContain(field);
}

const day = fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const spanDays = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 86_400_000;

describe('caseload query', () => {
  it('groupBy is required and must be worker, team or area', async () => {
    await expectInvalid('/v1/metrics/caseload', 'querystring/groupBy');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 12 }).filter((s) => !['worker', 'team', 'area'].includes(s)), async (value) => {
        await expectInvalid(`/v1/metrics/caseload?groupBy=${encodeURIComponent(value)}`, 'querystring/groupBy');
      }),
      { numRuns: 25 },
    );
  });

  it('a refused request is still in the audit trail, as rejected', async () => {
    await get('/v1/metrics/caseload?groupBy=everyone');
    const { rows } = await t.app.pool.query(`select outcome from audit_events where action = 'metrics.caseload' and actor_id = $1 order by seq desc limit 1`, [w.a.staff.director.id]);
    expect(rows[0]).toEqual({ outcome: 'rejected' });
  });
});

describe('flow period', () => {
  it('the validator accepts exactly the ordered pairs of real dates spanning less than the maximum', () => {
    fc.assert(
      fc.property(day, day, (from, to) => {
        const expected = from <= to && spanDays(from, to) < maxFlowDays;
        expect(flowQuery.safeParse({ from, to }).success).toBe(expected);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 14 }).filter((text) => !/^\d{4}-\d{2}-\d{2}$/.test(text)), (text) => {
        expect(flowQuery.safeParse({ from: text, to: '2026-01-01' }).success).toBe(false);
        expect(flowQuery.safeParse({ from: '2026-01-01', to: text }).success).toBe(false);
      }),
    );
  });

  it('over HTTP: missing, malformed, reversed or too long periods are 400 naming the field; good ones 200', async () => {
    await expectInvalid('/v1/metrics/flow?to=2026-01-31', 'querystring/from');
    await expectInvalid('/v1/metrics/flow?from=2026-01-01', 'querystring/to');
    await expectInvalid('/v1/metrics/flow?from=2026-02-30&to=2026-03-31', 'querystring/from');
    await expectInvalid('/v1/metrics/flow?from=01/03/2026&to=2026-03-31', 'querystring/from');
    await expectInvalid('/v1/metrics/flow?from=2026-03-31&to=2026-03-01', 'querystring/to');
    await expectInvalid('/v1/metrics/flow?from=2000-01-01&to=2026-01-01', 'querystring/to');
    await fc.assert(
      fc.asyncProperty(day, fc.integer({ min: 0, max: maxFlowDays - 1 }), async (from, length) => {
        const to = new Date(Date.parse(from) + length * 86_400_000).toISOString().slice(0, 10);
        const r = await get(`/v1/metrics/flow?from=${from}&to=${to}`);
        expect([from, to, r.statusCode]).toEqual([from, to, 200]);
      }),
      { numRuns: 15 },
    );
  });
});

describe('staffing year', () => {
  it('a four-digit year from 1900 to 2200, or none', async () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -5000, max: 5000 }).map(String), fc.string({ maxLength: 6 })), (year) => {
        const expected = /^[0-9]{4}$/.test(year) && Number(year) >= 1900 && Number(year) <= 2200;
        expect(staffingQuery.safeParse({ year }).success).toBe(expected);
      }),
    );
    for (const year of ['1899', '2201', '2026.5', 'abc', '0x7d0', ' 2026']) await expectInvalid(`/v1/metrics/staffing?year=${year}`, 'querystring/year');
    expect((await get('/v1/metrics/staffing')).statusCode).toBe(200);
  });
});
