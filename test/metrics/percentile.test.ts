import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantile } from '../../src/modules/metrics/metrics.stats.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

/**
 * The worker distributions (computed in TypeScript) and the flow's days from referral (computed by
 * PostgreSQL's percentile_cont) must follow one definition of a percentile: checked against each other.
 */
let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => t?.close());

describe('one percentile definition in TypeScript and SQL', () => {
  it('quantile() equals percentile_cont for the median and p90', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 50 }), async (values) => {
        const { rows } = await t.app.pool.query<{ p: number[] }>('select percentile_cont(array[0.5, 0.9]) within group (order by x) as p from unnest($1::float8[]) x', [values]);
        const sorted = [...values].sort((a, b) => a - b);
        expect(quantile(sorted, 0.5)).toBeCloseTo(rows[0]!.p[0]!, 9);
        expect(quantile(sorted, 0.9)).toBeCloseTo(rows[0]!.p[1]!, 9);
      }),
      { numRuns: 60 },
    );
  });
});
