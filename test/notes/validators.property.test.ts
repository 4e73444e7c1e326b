import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { badText, expectRefused, malformedInstant, notOneOf } from '../assignments/validation-support.js';

/**
 * Property-based tests of the note validators through HTTP: a malformed kind, time, text or confidentiality
 * is 400 naming exactly that field, and nothing is written — no note, no version.
 */
let t: TestApp;
let w: World;
let noteId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  noteId = (await post({})).json().id;
});
afterAll(async () => t?.close());

function post(body: object) {
  return t.as(w.a.staff.socialWorker.subject, {
    method: 'POST',
    url: `/v1/cases/${w.caseId}/notes`,
    payload: {
      kind: 'interview',
      occurredAt: '2026-02-01T10:00:00+01:00',
      text: 'Colloquio',
      confidentiality: 'team',
      ...body,
    },
  });
}

const snapshot = async () =>
  (
    await t.app.pool.query(
      `select (select count(*) from notes)::int as notes, (select count(*) from note_versions)::int as versions`,
    )
  ).rows[0];

describe('note validators', () => {
  it('a malformed field of a new note is 400 naming it; nothing is written', async () => {
    const before = await snapshot();
    const bad = fc.oneof(
      fc.record({
        field: fc.constant('kind'),
        value: notOneOf(['interview', 'home_visit', 'phone_call', 'team_meeting', 'report', 'other']),
      }),
      fc.record({ field: fc.constant('occurredAt'), value: malformedInstant }),
      fc.record({ field: fc.constant('text'), value: badText(20_000) }),
      fc.record({ field: fc.constant('confidentiality'), value: notOneOf(['team', 'restricted']) }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ({ field, value }) => {
        await expectRefused(await post({ [field]: value }), field);
      }),
      { numRuns: 200 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a note dated in the future or before 1900 is 400 naming occurredAt', async () => {
    const before = await snapshot();
    const outOfRange = fc.oneof(
      fc
        .integer({ min: 10, max: 10 * 365 * 24 * 60 })
        .map((minutes) => new Date(Date.now() + minutes * 60_000).toISOString()),
      fc.integer({ min: 1, max: 1899 }).map((y) => `${String(y).padStart(4, '0')}-06-15T10:00:00Z`),
    );
    await fc.assert(
      fc.asyncProperty(outOfRange, async (occurredAt) => {
        await expectRefused(await post({ occurredAt }), 'occurredAt');
      }),
      { numRuns: 60 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a malformed correction is 400 naming the field; the note keeps its version', async () => {
    const before = await snapshot();
    const bad = fc.oneof(
      fc.record({ field: fc.constant('text'), value: badText(20_000) }),
      fc.record({ field: fc.constant('reason'), value: badText(1000) }),
    );
    await fc.assert(
      fc.asyncProperty(bad, async ({ field, value }) => {
        const r = await t.as(w.a.staff.socialWorker.subject, {
          method: 'POST',
          url: `/v1/cases/${w.caseId}/notes/${noteId}/versions`,
          headers: { 'if-match': '"1"' },
          payload: { text: 'Testo corretto', reason: 'refuso', [field]: value },
        });
        await expectRefused(r, field);
      }),
      { numRuns: 100 },
    );
    expect(await snapshot()).toEqual(before);
  });

  it('text of any length up to 20,000 characters is kept exactly (trimmed)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .string({ minLength: 1, maxLength: 300 })
          .filter((s) => s.trim().length > 0 && !s.includes('\u0000')),
        async (text) => {
          const r = await post({ text });
          expect(r.statusCode).toBe(201);
          expect(r.json().text).toBe(text.trim());
        },
      ),
      { numRuns: 40 },
    );
    expect((await post({ text: 'x'.repeat(20_000) })).statusCode).toBe(201);
  });
});
