import fc from 'fast-check';
import { expect } from 'vitest';
import type { TestApp } from '../helpers/app.js';

/**
 * For the validator properties of the assignments, notes, assessments and plans suites: malformed values a
 * careless or hostile client sends (each arbitrary yields only values that must be refused), and the
 * answer they must get.
 */
export async function expectRefused(response: Awaited<ReturnType<TestApp['as']>>, field: string) {
  expect(response.statusCode).toBe(400);
  expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
  // Zod may give two reasons for one field (an array where text is due: wrong type, and too short).
  expect([...new Set(response.json().invalidParams.map((p: { name: string }) => p.name))]).toEqual([
    `body/${field}`,
  ]);
}

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export const notUuid = fc.oneof(
  fc.string({ maxLength: 40 }).filter((s) => !uuidPattern.test(s)),
  fc.uuid().map((u) => u.replaceAll('-', '')),
  fc.uuid().map((u) => `${u}0`),
  fc.integer(),
  fc.constant(null),
);

/** Anything but one of `allowed` (wrong case, padded, other words, other types). */
export const notOneOf = (allowed: readonly string[]) =>
  fc
    .oneof(
      fc.string({ maxLength: 16 }),
      fc.constantFrom(...allowed).map((v) => v.toUpperCase()),
      fc.constantFrom(...allowed).map((v) => ` ${v}`),
      fc.constantFrom(...allowed).map((v) => v.replaceAll('_', '-')),
      fc.integer({ min: 0, max: 5 }),
      fc.boolean(),
    )
    .filter((v) => typeof v !== 'string' || !allowed.includes(v));

const looksLikeInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** Not an RFC 3339 date-time with an offset: no offset, date only, impossible days and hours, other formats. */
export const malformedInstant = fc.oneof(
  fc.string({ maxLength: 30 }).filter((s) => !looksLikeInstant.test(s)),
  fc
    .date({ noInvalidDate: true, min: new Date('1950-01-01'), max: new Date('2090-01-01') })
    .map((d) => d.toISOString().slice(0, 19)),
  fc
    .date({ noInvalidDate: true, min: new Date('1950-01-01'), max: new Date('2090-01-01') })
    .map((d) => d.toISOString().slice(0, 10)),
  fc
    .record({ y: fc.integer({ min: 2000, max: 2090 }), m: fc.integer({ min: 1, max: 12 }) })
    .map(({ y, m }) => `${y}-${String(m).padStart(2, '0')}-32T10:00:00Z`),
  fc.integer({ min: 24, max: 99 }).map((h) => `2026-03-01T${h}:00:00Z`),
  fc.constantFrom(
    '2026-02-30T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '01/03/2026 10:00',
    '2026-03-01 10:00:00Z',
    '2026-03-01T10:00:00+2',
    'now',
    '',
  ),
  fc.integer({ min: 0, max: 2_000_000_000_000 }),
);

const validDate = (s: string) =>
  /^\d{4}-\d{2}-\d{2}$/.test(s) &&
  !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) &&
  new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s &&
  s >= '1900-01-01';
/** Not a calendar date YYYY-MM-DD from 1900 on. */
export const malformedDate = fc
  .oneof(
    fc.string({ maxLength: 12 }),
    fc
      .record({
        y: fc.integer({ min: 1900, max: 2100 }),
        m: fc.integer({ min: 0, max: 13 }),
        d: fc.integer({ min: 0, max: 32 }),
      })
      .map(({ y, m, d }) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
    fc
      .date({ noInvalidDate: true, min: new Date('1950-01-01'), max: new Date('2090-01-01') })
      .map((d) => d.toISOString()),
    fc.integer({ min: 0, max: 1899 }).map((y) => `${String(y).padStart(4, '0')}-06-15`),
    fc.constantFrom('2026-2-01', '01/03/2026', '20260301', '2025-02-29', 20260301),
  )
  .filter((v) => typeof v !== 'string' || !validDate(v));

/** Blank, too long (over `max` characters once trimmed), or not a string. */
export const badText = (max: number) =>
  fc.oneof(
    fc.constantFrom('', ' ', '\n\t '),
    fc.integer({ min: max + 1, max: max + 50 }).map((n) => 'x'.repeat(n)),
    fc.integer(),
    fc.constant(null),
    fc.array(fc.string(), { maxLength: 2 }),
  );
