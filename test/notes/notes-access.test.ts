import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { everyone, matrixMismatches, type Expectations, caseReadExpectations, caseReadersOutside } from '../catalogue/access-matrix.js';

/**
 * Who may use the note endpoints, on the world's case (team minori; socialWorker is its case manager,
 * educator is assigned; socialWorker2 is in the team but unassigned; coordinatorOther coordinates another
 * team). Roles without the permission get 403; holders of it outside the case's scope, and everyone of
 * organisation B, get 404 — and so does anyone who may not read a restricted note, for that note.
 */
let t: TestApp;
let w: World;
let teamNote: string;
let restrictedNote: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  const write = (confidentiality: string) =>
    t.as(w.a.staff.socialWorker.subject, {
      method: 'POST',
      url: `/v1/cases/${w.caseId}/notes`,
      payload: { kind: 'interview', occurredAt: '2026-02-01T10:00:00Z', text: 'Colloquio', confidentiality },
    });
  teamNote = (await write('team')).json().id;
  restrictedNote = (await write('restricted')).json().id;
});
afterAll(async () => t?.close());

type MatrixRequest = Parameters<typeof matrixMismatches>[3];

const read = caseReadExpectations;
/** note:write: social workers, educators, coordinators — with write access to the case. */
const write = (ok: Partial<Record<'socialWorker' | 'educator' | 'coordinator', number>>): Expectations => ({
  a: everyone(403, {
    socialWorker: 404,
    socialWorker2: 404,
    educator: 404,
    coordinator: 404,
    coordinatorOther: 404,
    ...ok,
  }),
  b: everyone(403, {
    socialWorker: 404,
    socialWorker2: 404,
    educator: 404,
    coordinator: 404,
    coordinatorOther: 404,
  }),
  platformAdmin: 403,
  anonymous: 401,
});
const restrictedRead: Expectations = {
  a: everyone(403, {
    socialWorker: 200,
    socialWorker2: 404,
    educator: 404,
    coordinator: 200,
    coordinatorOther: 404,
    director: 404,
  }),
  b: everyone(403, caseReadersOutside),
  platformAdmin: 403,
  anonymous: 401,
};

const versionOf = async (id: string) =>
  (await t.app.pool.query<{ v: number }>(`select current_version as v from notes where id = $1`, [id]))
    .rows[0]!.v;
/** The note is named lazily: the table below is built before beforeAll creates the notes. */
const correction =
  (note: () => string): MatrixRequest =>
  async () => ({
    method: 'POST',
    url: `/v1/cases/${w.caseId}/notes/${note()}/versions`,
    headers: { 'if-match': `"${await versionOf(note())}"` },
    payload: { text: 'Colloquio (rivisto)', reason: 'precisazione' },
  });

describe('notes: allow/deny matrix', () => {
  const cases: [string, Expectations, MatrixRequest][] = [
    [
      'POST /v1/cases/{caseId}/notes (team)',
      write({ socialWorker: 201, educator: 201, coordinator: 201 }),
      () => ({
        method: 'POST',
        url: `/v1/cases/${w.caseId}/notes`,
        payload: {
          kind: 'phone_call',
          occurredAt: '2026-02-02T10:00:00Z',
          text: 'Telefonata',
          confidentiality: 'team',
        },
      }),
    ],
    [
      'POST /v1/cases/{caseId}/notes (restricted: not by educators)',
      write({ socialWorker: 201, educator: 403, coordinator: 201 }),
      () => ({
        method: 'POST',
        url: `/v1/cases/${w.caseId}/notes`,
        payload: {
          kind: 'report',
          occurredAt: '2026-02-02T10:00:00Z',
          text: 'Relazione',
          confidentiality: 'restricted',
        },
      }),
    ],
    [
      'GET /v1/cases/{caseId}/notes',
      read(200),
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/notes` }),
    ],
    [
      'GET /v1/cases/{caseId}/notes/{noteId} (team)',
      read(200),
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/notes/${teamNote}` }),
    ],
    [
      'GET /v1/cases/{caseId}/notes/{noteId} (restricted)',
      restrictedRead,
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/notes/${restrictedNote}` }),
    ],
    [
      'GET /v1/cases/{caseId}/notes/{noteId}/versions (team)',
      read(200),
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/notes/${teamNote}/versions` }),
    ],
    [
      'GET /v1/cases/{caseId}/notes/{noteId}/versions (restricted)',
      restrictedRead,
      () => ({ method: 'GET', url: `/v1/cases/${w.caseId}/notes/${restrictedNote}/versions` }),
    ],
    // The author (socialWorker) and the team's coordinator correct; the educator may write the case but not this note.
    [
      'POST /v1/cases/{caseId}/notes/{noteId}/versions (team)',
      write({ socialWorker: 201, educator: 403, coordinator: 201 }),
      correction(() => teamNote),
    ],
    [
      'POST /v1/cases/{caseId}/notes/{noteId}/versions (restricted)',
      write({ socialWorker: 201, educator: 404, coordinator: 201 }),
      correction(() => restrictedNote),
    ],
  ];

  it.each(cases)('%s', async (_name, expectations, request) => {
    expect(await matrixMismatches(t, w, expectations, request)).toEqual([]);
  });

  it('the matrix wrote only what the allowed callers asked for', async () => {
    const { rows } = await t.app.pool.query(
      `select confidentiality, author_id from notes where kind in ('phone_call', 'report') order by confidentiality, author_id`,
    );
    const by = (c: string) =>
      rows
        .filter((r) => r.confidentiality === c)
        .map((r) => r.author_id)
        .sort();
    expect(by('team')).toEqual(
      [w.a.staff.socialWorker.id, w.a.staff.educator.id, w.a.staff.coordinator.id].sort(),
    );
    expect(by('restricted')).toEqual([w.a.staff.socialWorker.id, w.a.staff.coordinator.id].sort());
    expect(await versionOf(teamNote)).toBe(3);
    expect(await versionOf(restrictedNote)).toBe(3);
  });
});
