import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { fillPath, listOperations } from '../helpers/routes.js';
import { seedWorld, type World } from '../helpers/world.js';
import { grantEmergency, insertCase, insertStaffMember } from '../assignments/fixtures.js';

/**
 * The diary through HTTP: notes and their corrections, and who may read a restricted note — the social
 * workers assigned to the case and the coordinators of its team, nobody else, by any route.
 */
let t: TestApp;
let w: World;
let worker: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  worker = w.a.staff.socialWorker.subject;
});
afterAll(async () => t?.close());

const notesUrl = (caseId: string) => `/v1/cases/${caseId}/notes`;
const writeNote = (caseId: string, body: object, subject = worker, headers: Record<string, string> = {}) =>
  t.as(subject, {
    method: 'POST',
    url: notesUrl(caseId),
    headers,
    payload: {
      kind: 'interview',
      occurredAt: '2026-02-10T09:30:00Z',
      text: 'Colloquio con la madre',
      confidentiality: 'team',
      ...body,
    },
  });
const correct = (caseId: string, noteId: string, version: number | null, body: object, subject = worker) =>
  t.as(subject, {
    method: 'POST',
    url: `${notesUrl(caseId)}/${noteId}/versions`,
    headers: version === null ? {} : { 'if-match': `"${version}"` },
    payload: body,
  });
const get = (url: string, subject: string) => t.as(subject, { method: 'GET', url });
const idsOf = (r: Awaited<ReturnType<typeof get>>) => (r.json().items as { id: string }[]).map((n) => n.id);
const countNotes = async () =>
  (
    await t.app.pool.query(
      `select (select count(*) from notes)::int as notes, (select count(*) from note_versions)::int as versions`,
    )
  ).rows[0];

describe('writing and reading notes', () => {
  it('a note is created with its text as version 1; the list gives the current text and version', async () => {
    const { caseId } = await insertCase(t.app.db, w.a, {
      others: [{ staffId: w.a.staff.educator.id, role: 'educator' }],
    });
    const r = await writeNote(caseId, { kind: 'home_visit', text: 'Visita domiciliare: casa in ordine' });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    expect(r.json()).toMatchObject({
      caseId,
      kind: 'home_visit',
      occurredAt: '2026-02-10T09:30:00.000Z',
      confidentiality: 'team',
      authorId: w.a.staff.socialWorker.id,
      text: 'Visita domiciliare: casa in ordine',
      version: 1,
    });
    const listed = await get(notesUrl(caseId), w.a.staff.educator.subject);
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toEqual([r.json()]);
    const one = await get(`${notesUrl(caseId)}/${r.json().id}`, w.a.staff.director.subject);
    expect(one.json()).toEqual(r.json());
    expect(one.headers.etag).toBe('"1"');
  });

  it('lists newest first with a cursor, without repeating a note', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const created: string[] = [];
    for (const kind of ['interview', 'phone_call', 'team_meeting', 'report', 'other'])
      created.push((await writeNote(caseId, { kind })).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`${notesUrl(caseId)}?limit=2${cursor ? `&cursor=${cursor}` : ''}`, worker);
      expect(page.json().items.length).toBeLessThanOrEqual(2);
      seen.push(...idsOf(page));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...created].reverse());
  });

  it('a note cannot be dated in the future; nothing is written', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const before = await countNotes();
    const r = await writeNote(caseId, { occurredAt: new Date(Date.now() + 3600_000).toISOString() });
    expect(r.statusCode).toBe(400);
    expect(r.json().invalidParams).toEqual([
      { name: 'body/occurredAt', reason: 'must not be in the future' },
    ]);
    expect(await countNotes()).toEqual(before);
  });

  it('a retried POST with the same Idempotency-Key creates one note; another body with that key is refused', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const headers = { 'idempotency-key': `note-${randomUUID()}` };
    const first = await writeNote(caseId, { text: 'Telefonata con la scuola' }, worker, headers);
    const second = await writeNote(caseId, { text: 'Telefonata con la scuola' }, worker, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(idsOf(await get(notesUrl(caseId), worker))).toEqual([first.json().id]);
    expect((await writeNote(caseId, { text: 'Altro testo' }, worker, headers)).statusCode).toBe(422);
    expect(idsOf(await get(notesUrl(caseId), worker))).toEqual([first.json().id]);
  });

  it('an emergency grant reads team notes (flagged in the audit trail) but writes nothing', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const teamNote = (await writeNote(caseId, {})).json().id;
    await grantEmergency(t.app.db, w.a, caseId, w.a.staff.socialWorker2.id);
    const r = await get(notesUrl(caseId), w.a.staff.socialWorker2.subject);
    expect(idsOf(r)).toEqual([teamNote]);
    const { rows } = await t.app.pool.query(
      `select emergency from audit_events where action = 'note.list' and actor_id = $1 order by seq desc limit 1`,
      [w.a.staff.socialWorker2.id],
    );
    expect(rows[0].emergency).toBe(true);
    expect((await writeNote(caseId, {}, w.a.staff.socialWorker2.subject)).statusCode).toBe(404);
  });

  it('whoever may not write the case gets 404 and writes nothing, whatever the date (the insert checks the scope)', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    await grantEmergency(t.app.db, w.a, caseId, w.a.staff.socialWorker2.id);
    const before = await countNotes();
    const outside = [
      w.a.staff.socialWorker2.subject, // in the team, unassigned, holding an emergency grant (read-only)
      w.a.staff.coordinatorOther.subject, // coordinates another team
      w.b.staff.socialWorker.subject, // another organisation
    ];
    for (const subject of outside) {
      for (const occurredAt of ['2026-02-10T09:30:00Z', '2999-01-01T00:00:00Z']) {
        const r = await writeNote(caseId, { occurredAt }, subject);
        expect(r.statusCode, `${subject} ${occurredAt}`).toBe(404);
        expect(r.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect(await countNotes()).toEqual(before);
  });

  it('the audit trail records ids, never the text', async () => {
    const { caseId, citizenId } = await insertCase(t.app.db, w.a);
    const secret = `Testo riservato ${randomUUID()}`;
    const created = await writeNote(caseId, { text: secret, confidentiality: 'restricted' });
    await get(notesUrl(caseId), w.a.staff.coordinator.subject);
    await correct(caseId, created.json().id, 1, { text: `${secret} (corretto)`, reason: 'refuso' });
    const { rows } = await t.app.pool.query(
      `select action, case_id, citizen_id, resource_id, details from audit_events where case_id = $1 and action like 'note.%' order by seq`,
      [caseId],
    );
    expect(rows.map((r) => r.action)).toEqual(['note.create', 'note.list', 'note.version']);
    for (const row of rows) expect(row).toMatchObject({ case_id: caseId, citizen_id: citizenId });
    expect(rows[0].resource_id).toBe(created.json().id);
    expect(rows[1].details.returnedIds).toEqual([created.json().id]);
    expect(rows[2].details).toMatchObject({ fromVersion: 1, toVersion: 2 });
    const { rows: leaks } = await t.app.pool.query(
      `select count(*)::int as n from audit_events where details::text like $1`,
      [`%${secret.slice(-36)}%`],
    );
    expect(leaks[0].n).toBe(0);
  });
});

describe('corrections', () => {
  it('a correction is a new version that keeps the old text and the reason', async () => {
    const { caseId } = await insertCase(t.app.db, w.a, {
      others: [{ staffId: w.a.staff.educator.id, role: 'educator' }],
    });
    const id = (await writeNote(caseId, { text: 'Il minore frequenta la scuola media' })).json().id;
    const r = await correct(caseId, id, 1, {
      text: 'Il minore frequenta la scuola primaria',
      reason: 'errore sulla scuola',
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"2"');
    expect(r.json()).toMatchObject({
      id,
      text: 'Il minore frequenta la scuola primaria',
      version: 2,
      authorId: w.a.staff.socialWorker.id,
    });
    const versions = await get(`${notesUrl(caseId)}/${id}/versions`, w.a.staff.educator.subject);
    expect(versions.statusCode).toBe(200);
    expect(versions.json()).toMatchObject({
      noteId: id,
      items: [
        {
          version: 1,
          text: 'Il minore frequenta la scuola media',
          reason: null,
          authorId: w.a.staff.socialWorker.id,
        },
        {
          version: 2,
          text: 'Il minore frequenta la scuola primaria',
          reason: 'errore sulla scuola',
          authorId: w.a.staff.socialWorker.id,
        },
      ],
    });
    expect((await get(notesUrl(caseId), worker)).json().items[0]).toMatchObject({
      id,
      version: 2,
      text: 'Il minore frequenta la scuola primaria',
    });
  });

  it('the author or a coordinator of the case’s team corrects; other writers get 403', async () => {
    const colleague = await insertStaffMember(t.app.db, w.a, 'social_worker');
    const { caseId } = await insertCase(t.app.db, w.a, {
      others: [
        { staffId: colleague.id, role: 'co_worker' },
        { staffId: w.a.staff.educator.id, role: 'educator' },
      ],
    });
    const id = (await writeNote(caseId, {})).json().id;
    expect((await correct(caseId, id, 1, { text: 'x', reason: 'y' }, colleague.subject)).statusCode).toBe(
      403,
    );
    expect(
      (await correct(caseId, id, 1, { text: 'x', reason: 'y' }, w.a.staff.educator.subject)).statusCode,
    ).toBe(403);
    expect(
      (
        await correct(
          caseId,
          id,
          1,
          { text: 'Testo rivisto', reason: 'revisione del coordinatore' },
          w.a.staff.coordinator.subject,
        )
      ).statusCode,
    ).toBe(201);
    const own = (await writeNote(caseId, { kind: 'home_visit' }, w.a.staff.educator.subject)).json().id;
    expect(
      (
        await correct(
          caseId,
          own,
          1,
          { text: 'Visita rivista', reason: 'data errata' },
          w.a.staff.educator.subject,
        )
      ).statusCode,
    ).toBe(201);
  });

  it('needs If-Match (428) and the current version (412); nothing is written otherwise', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const id = (await writeNote(caseId, {})).json().id;
    const before = await countNotes();
    expect((await correct(caseId, id, null, { text: 'x', reason: 'y' })).statusCode).toBe(428);
    expect((await correct(caseId, id, 2, { text: 'x', reason: 'y' })).statusCode).toBe(412);
    expect(await countNotes()).toEqual(before);
  });

  it('two concurrent corrections of the same version: one 201, one 412', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const id = (await writeNote(caseId, {})).json().id;
    const results = await Promise.all([
      correct(caseId, id, 1, { text: 'prima', reason: 'a' }),
      correct(caseId, id, 1, { text: 'seconda', reason: 'b' }),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 412]);
    const { rows } = await t.app.pool.query(
      `select version from note_versions where note_id = $1 order by version`,
      [id],
    );
    expect(rows.map((r) => r.version)).toEqual([1, 2]);
  });

  it('a note of another case or organisation, or none, is 404', async () => {
    const one = await insertCase(t.app.db, w.a);
    const other = await insertCase(t.app.db, w.a);
    const id = (await writeNote(one.caseId, {})).json().id;
    expect((await get(`${notesUrl(other.caseId)}/${id}`, worker)).statusCode).toBe(404);
    expect((await get(`${notesUrl(other.caseId)}/${id}/versions`, worker)).statusCode).toBe(404);
    expect((await correct(other.caseId, id, 1, { text: 'x', reason: 'y' })).statusCode).toBe(404);
    expect((await get(`${notesUrl(one.caseId)}/${randomUUID()}`, worker)).statusCode).toBe(404);
  });
});

describe('restricted notes', () => {
  let caseId: string;
  let restricted: string;
  let team: string;
  const secret = `Riferita violenza domestica ${randomUUID()}`;
  let coWorker: { id: string; subject: string };

  beforeAll(async () => {
    coWorker = await insertStaffMember(t.app.db, w.a, 'social_worker');
    ({ caseId } = await insertCase(t.app.db, w.a, {
      others: [
        { staffId: w.a.staff.educator.id, role: 'educator' },
        { staffId: coWorker.id, role: 'co_worker' },
      ],
    }));
    restricted = (await writeNote(caseId, { text: secret, confidentiality: 'restricted' })).json().id;
    await correct(caseId, restricted, 1, { text: `${secret} — corretto`, reason: 'precisazione' });
    team = (await writeNote(caseId, { text: 'Nota per tutta l’équipe' })).json().id;
    // Holders of emergency grants see the case, not its restricted notes.
    await grantEmergency(t.app.db, w.a, caseId, w.a.staff.socialWorker2.id);
    await grantEmergency(t.app.db, w.a, caseId, w.a.staff.coordinatorOther.id);
  });

  const readers = () => ({
    'case manager': w.a.staff.socialWorker.subject,
    'co-worker': coWorker.subject,
    'team coordinator': w.a.staff.coordinator.subject,
  });
  const outsiders = () => ({
    'assigned educator': w.a.staff.educator.subject,
    director: w.a.staff.director.subject,
    'social worker with an emergency grant': w.a.staff.socialWorker2.subject,
    'coordinator of another team with an emergency grant': w.a.staff.coordinatorOther.subject,
  });

  it('assigned social workers and the team’s coordinators read them in the list, by id and in the versions', async () => {
    for (const [who, subject] of Object.entries(readers())) {
      expect(idsOf(await get(notesUrl(caseId), subject)), who).toEqual([team, restricted]);
      expect((await get(`${notesUrl(caseId)}/${restricted}`, subject)).json().text, who).toBe(
        `${secret} — corretto`,
      );
      expect(
        (await get(`${notesUrl(caseId)}/${restricted}/versions`, subject)).json().items,
        who,
      ).toHaveLength(2);
    }
  });

  it('educators, directors and emergency grant holders see the case’s team notes only; restricted ones do not exist for them', async () => {
    for (const [who, subject] of Object.entries(outsiders())) {
      const listed = await get(notesUrl(caseId), subject);
      expect(listed.statusCode, who).toBe(200);
      expect(idsOf(listed), who).toEqual([team]);
      expect((await get(`${notesUrl(caseId)}/${restricted}`, subject)).statusCode, who).toBe(404);
      expect((await get(`${notesUrl(caseId)}/${restricted}/versions`, subject)).statusCode, who).toBe(404);
      expect((await get(`${notesUrl(caseId)}/${team}`, subject)).statusCode, who).toBe(200);
    }
  });

  it('an educator never receives a restricted note by any route', async () => {
    const educator = w.a.staff.educator.subject;
    const responses: { url: string; body: string }[] = [];
    // Every page of the diary.
    for (const limit of [1, 2, 100]) {
      let cursor: string | null = null;
      do {
        const page = await get(
          `${notesUrl(caseId)}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          educator,
        );
        responses.push({ url: page.raw.req.url ?? '', body: page.body });
        cursor = page.json().nextCursor;
      } while (cursor);
    }
    // Correcting it, or writing one, does not reveal it either.
    const correction = await correct(caseId, restricted, 2, { text: 'x', reason: 'y' }, educator);
    expect(correction.statusCode).toBe(404);
    responses.push({ url: 'correction', body: correction.body });
    const restrictedByEducator = await writeNote(caseId, { confidentiality: 'restricted' }, educator);
    expect(restrictedByEducator.statusCode).toBe(403);
    // Every GET of the API that a case, citizen or note id can reach (the case read, when the cases module serves it, too).
    const ids = {
      caseId,
      noteId: restricted,
      citizenId: (await t.app.pool.query(`select citizen_id from cases where id = $1`, [caseId])).rows[0]
        .citizen_id,
    };
    for (const op of listOperations(t.app).filter(
      (o) => o.method === 'GET' && o.params.some((p) => p in ids),
    )) {
      const r = await get(fillPath(op, ids), educator);
      expect(r.statusCode, op.path).toBeLessThan(500);
      responses.push({ url: op.path, body: r.body });
    }
    expect(responses.length).toBeGreaterThan(5);
    for (const { url, body: raw } of responses) {
      // A problem's `instance` echoes the path the educator sent, which holds the id they asked for.
      const { instance: _echo, ...rest } = JSON.parse(raw) as { instance?: string };
      const body = JSON.stringify(rest);
      expect(body, url).not.toContain(restricted);
      expect(body, url).not.toContain(secret.slice(-36));
    }
  });

  it('only those who may read restricted notes write them', async () => {
    const before = await countNotes();
    expect(
      (await writeNote(caseId, { confidentiality: 'restricted' }, w.a.staff.educator.subject)).statusCode,
    ).toBe(403);
    expect(await countNotes()).toEqual(before);
    expect((await writeNote(caseId, { confidentiality: 'restricted' }, coWorker.subject)).statusCode).toBe(
      201,
    );
    expect(
      (await writeNote(caseId, { confidentiality: 'restricted' }, w.a.staff.coordinator.subject)).statusCode,
    ).toBe(201);
  });
});
