import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignments, cases } from '../../src/db/schema/index.js';
import { caseColumns } from '../../src/modules/cases/cases.repository.js';
import { preparedOnce } from '../../src/platform/database/prepared-queries.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld } from '../helpers/world.js';
import { insertCase } from '../assignments/fixtures.js';

/**
 * Queries built once map their rows with decoders resolved once (src/platform/database/prepared-queries.ts).
 * The answer must be drizzle's own, value for value: the same query prepared without that helper is the
 * reference, over every column type a case carries (uuids, text, enums, integers, booleans, dates,
 * timestamps, nulls) and SQL expressions with and without their own decoder.
 */
let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
  const w = await seedWorld(t.app.db);
  for (let i = 0; i < 3; i++) await insertCase(t.app.db, w.a);
});
afterAll(async () => t?.close());

const selection = {
  ...caseColumns,
  doubled: sql<number>`${cases.complexity} * 2`.mapWith(Number),
  label: sql<string>`'case ' || ${cases.status}`,
  nothing: sql<string | null>`null`,
};

const build = () => t.app.db.select(selection).from(cases).orderBy(desc(cases.createdAt), desc(cases.id)).limit(sql.placeholder('limit')).prepare('');

describe('rows of queries built once', () => {
  it('are drizzle’s own rows, value for value', async () => {
    const once = preparedOnce(t.app.db, 'test:prepared-queries:flat', build);
    expect((once as unknown as { customResultMapper?: unknown }).customResultMapper).toBeTypeOf('function');
    const reference = build();
    const rows = await once.execute({ limit: 50 });
    expect(rows.length).toBeGreaterThan(3);
    expect(rows).toEqual(await reference.execute({ limit: 50 }));
    expect(rows[0]!.createdAt).toBeInstanceOf(Date);
    expect(rows.every((r) => r.doubled === r.complexity * 2 && r.nothing === null)).toBe(true);
  });

  it('a nested selection keeps drizzle’s mapping (and its null rules for joined tables)', async () => {
    const nested = () =>
      t.app.db
        .select({ case: { id: cases.id }, assignment: { id: assignments.id } })
        .from(cases)
        .leftJoin(assignments, eq(assignments.caseId, cases.id))
        .prepare('');
    const once = preparedOnce(t.app.db, 'test:prepared-queries:nested', nested);
    expect((once as unknown as { customResultMapper?: unknown }).customResultMapper).toBeUndefined();
    expect(await once.execute()).toEqual(await nested().execute());
  });
});
