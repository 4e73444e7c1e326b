import { asc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { indicatorExtracts, indicatorReleases } from '../../src/db/schema/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { referenceCount, seedIndicatorFixture, worldCase, type Fixture } from './fixture.js';
import { getTable, rowsOf, type TableBody } from './support.js';

/**
 * Releases over time (INDICATORS.md): a month is published from the first day of the second month after
 * it; when more months of a year are released, everything an earlier release showed stays exactly as it
 * was. The clock is moved with fake Dates; k comes from INDICATORS_K.
 */
let t: TestApp;
let w: World;
let fixture: Fixture;

beforeAll(async () => {
  t = await buildTestApp({ env: { INDICATORS_K: '3' } });
  w = await seedWorld(t.app.db);
  fixture = await seedIndicatorFixture(t.app.db, w.a, {
    seed: 5,
    cases: { 2026: 3000 },
    interventions: { 2026: 600 },
  });
  fixture.cases.push(worldCase);
}, 120_000);
afterAll(async () => t?.close());
afterEach(() => void vi.useRealTimers());

const at = (instant: string) => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(instant));
};

async function read(period: string, by: string): Promise<TableBody> {
  const response = await getTable(t, w.a.staff.director.subject, 'cases', { period, by });
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as TableBody;
}

describe('releases over time', () => {
  it('opens a month one month after it ends and keeps what earlier releases showed', async () => {
    at('2026-05-10T10:00:00Z'); // March is released, April not yet
    const early = {
      q1: await read('2026-Q1', 'userArea,ageBand'),
      march: await read('2026-03', 'sex,municipality'),
      byAge: await read('2026-Q1', 'ageBand'),
    };
    expect(early.q1.k).toBe(3);
    const april = await getTable(t, w.a.staff.director.subject, 'cases', { period: '2026-04', by: 'sex' });
    expect(april.statusCode).toBe(400);
    expect(april.json().invalidParams).toEqual([
      { name: 'querystring/period', reason: expect.stringContaining('not released') },
    ]);
    expect(early.q1.total).toBe(referenceCount(fixture.cases, '2026-Q1', {}));

    at('2026-08-03T10:00:00Z'); // through June
    const q2 = await read('2026-Q2', 'userArea,ageBand');
    expect(q2.total).not.toBeNull();
    // Served from the new release now, and identical to what the first one showed.
    expect(await read('2026-Q1', 'userArea,ageBand')).toEqual(early.q1);
    expect(await read('2026-03', 'sex,municipality')).toEqual(early.march);
    expect(await read('2026-Q1', 'ageBand')).toEqual(early.byAge);

    const releases = await t.app.db
      .selectDistinct({ throughMonth: indicatorReleases.throughMonth, k: indicatorReleases.k })
      .from(indicatorReleases)
      .where(eq(indicatorReleases.organisationId, w.a.id))
      .orderBy(asc(indicatorReleases.throughMonth));
    expect(releases).toEqual([
      { throughMonth: 3, k: 3 },
      { throughMonth: 6, k: 3 },
    ]);
    const frozen = await t.app.db
      .select({ month: indicatorExtracts.month })
      .from(indicatorExtracts)
      .where(eq(indicatorExtracts.indicator, 'cases'))
      .orderBy(asc(indicatorExtracts.month));
    expect(frozen.map((row) => row.month)).toEqual([
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
    ]);
  });

  it('publishes true counts with k = 3 from INDICATORS_K', async () => {
    at('2026-11-27T10:00:00Z');
    const table = await read('2026-07', 'userArea,ageBand');
    let published = 0;
    for (const row of rowsOf(table)) {
      const truth = referenceCount(fixture.cases, '2026-07', row.key);
      if (row.count === null) expect(truth).toBeGreaterThan(0);
      else {
        expect(row.count).toBe(truth);
        expect(row.count === 0 || row.count >= 3).toBe(true);
        if (row.count > 0 && row.count < 5) published++;
      }
    }
    expect(published).toBeGreaterThan(0); // counts of 3 and 4 are published with k = 3
  });
});
