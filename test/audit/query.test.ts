import { randomUUID } from 'node:crypto';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, staffKeys, type World } from '../helpers/world.js';
import { appendEvents, eventsOfRequest, newRequestId } from './support.js';

/**
 * The auditors' side of the audit trail (SPEC §7, issue 6): queries with every filter, keyset pagination by
 * sequence number, streamed CSV/NDJSON exports, the citizen access log (GDPR art. 15), tenancy, and the
 * audit of reading the audit trail itself. Fixture events go through the app's own writer.
 */
let t: TestApp;
let w: World;
const otherCaseId = randomUUID();
const bCitizenId = randomUUID();
const formulaReasons = ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'];
const secretText = 'Mario Rossi ha raccontato che';

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  const a = w.a.staff;
  const orgA = { organisationId: w.a.id };
  await appendEvents(t.app, [
    { ...orgA, actorId: a.socialWorker.id, actorRole: 'social_worker', citizenId: w.citizenId, caseId: w.caseId, resourceId: w.caseId, occurredAt: new Date('2026-01-01T10:00:00Z') },
    { ...orgA, actorId: a.socialWorker2.id, actorRole: 'social_worker', caseId: w.caseId, outcome: 'denied', reason: 'not_found', occurredAt: new Date('2026-01-02T10:00:00Z') },
    { ...orgA, actorId: a.coordinatorOther.id, actorRole: 'coordinator', citizenId: w.citizenId, caseId: w.caseId, emergency: true, reason: 'Urgent call from the police at night', occurredAt: new Date('2026-01-03T10:00:00Z') },
    { ...orgA, actorId: a.educator.id, actorRole: 'educator', action: 'note.list', caseId: otherCaseId, details: { returnedIds: [otherCaseId], note: secretText }, occurredAt: new Date('2026-01-04T10:00:00Z') },
    ...formulaReasons.map((reason, i) => ({ ...orgA, actorId: a.director.id, actorRole: 'director', action: 'citizen.search', outcome: 'rejected' as const, reason, actorSubject: i === 0 ? '=HYPERLINK("http://x")' : null, occurredAt: new Date(`2026-01-05T10:0${i}:00Z`) })),
    { organisationId: w.b.id, actorId: w.b.staff.socialWorker.id, actorRole: 'social_worker', citizenId: bCitizenId, caseId: randomUUID(), occurredAt: new Date('2026-01-03T12:00:00Z') },
    { actorSubject: 'unknown-subject', outcome: 'denied', reason: 'unauthenticated', action: 'staff.read', occurredAt: new Date('2026-01-03T13:00:00Z') },
  ]);
});
afterAll(async () => t?.close());

const auditorA = () => w.a.staff.auditor.subject;
const list = (subject: string, query = '', headers: Record<string, string> = {}) =>
  t.as(subject, { method: 'GET', url: `/v1/audit-events${query}`, headers });

async function orgSeqs(organisationId: string): Promise<number[]> {
  const { rows } = await t.app.pool.query<{ seq: number }>('SELECT seq::float8 AS seq FROM audit_events WHERE organisation_id = $1 ORDER BY seq DESC', [organisationId]);
  return rows.map((r) => r.seq);
}

describe('GET /v1/audit-events', () => {
  it('lists the events of the auditor’s organisation, newest first, nothing else', async () => {
    const expected = (await orgSeqs(w.a.id)).slice(0, 100);
    const response = await list(auditorA(), '?limit=100');
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { seq: number; organisationId: string }[];
    expect(items.map((e) => e.seq)).toEqual(expected);
    expect(new Set(items.map((e) => e.organisationId))).toEqual(new Set([w.a.id]));
  });

  it('shows ids and actions only: undeclared detail keys never leave', async () => {
    const response = await list(auditorA(), '?action=note.list');
    const [event] = response.json().items;
    expect(event).toMatchObject({ action: 'note.list', actorId: w.a.staff.educator.id, caseId: otherCaseId, details: { returnedIds: [otherCaseId] } });
    expect(Object.keys(event.details)).toEqual(['returnedIds']);
    expect(response.body).not.toContain('Mario');
    expect(Object.keys(event).sort()).toEqual(
      ['action', 'actorId', 'actorRole', 'actorSubject', 'caseId', 'citizenId', 'clientAddress', 'details', 'emergency', 'occurredAt', 'organisationId', 'outcome', 'reason', 'requestId', 'resourceId', 'resourceType', 'seq'].sort(),
    );
    expect(event.occurredAt).toBe('2026-01-04T10:00:00.000Z');
  });

  it('filters by actor, citizen, case, action, outcome, emergency and time range', async () => {
    const seqsOf = async (query: string) => {
      const response = await list(auditorA(), `${query}&limit=100`);
      expect(response.statusCode, query).toBe(200);
      return (response.json().items as { actorId: string; action: string; outcome: string; emergency: boolean; occurredAt: string }[]);
    };
    const byActor = await seqsOf(`?actorId=${w.a.staff.socialWorker2.id}`);
    expect(byActor.map((e) => e.actorId)).toEqual([w.a.staff.socialWorker2.id]);
    expect(await seqsOf(`?citizenId=${w.citizenId}&action=case.read`)).toHaveLength(2);
    expect(await seqsOf(`?caseId=${w.caseId}&action=case.read`)).toHaveLength(3);
    expect(await seqsOf(`?action=citizen.search`)).toHaveLength(formulaReasons.length);
    const denied = await seqsOf(`?outcome=denied&caseId=${w.caseId}`);
    expect(denied.map((e) => e.outcome)).toEqual(['denied']);
    const emergency = await seqsOf('?emergency=true');
    expect(emergency.map((e) => [e.actorId, e.emergency])).toEqual([[w.a.staff.coordinatorOther.id, true]]);
    const window = await seqsOf('?from=2026-01-02T10:00:00Z&to=2026-01-04T10:00:00Z');
    expect(window.map((e) => e.occurredAt)).toEqual(['2026-01-03T10:00:00.000Z', '2026-01-02T10:00:00.000Z']);
    expect(await seqsOf(`?caseId=${w.caseId}&action=case.read&outcome=success&emergency=false`)).toHaveLength(1);
  });

  it('pages by sequence number without gaps or repeats, even while events are added', async () => {
    const expected = await orgSeqs(w.a.id);
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const response = await list(auditorA(), `?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(response.statusCode).toBe(200);
      const page = response.json() as { items: { seq: number }[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((e) => e.seq));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(expected);
  });

  it('an auditor of another organisation sees none of its events', async () => {
    const response = await list(w.b.staff.auditor.subject, '?limit=100');
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { organisationId: string; citizenId: string | null }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((e) => e.organisationId === w.b.id)).toBe(true);
    expect((await list(w.b.staff.auditor.subject, `?citizenId=${w.citizenId}`)).json().items).toEqual([]);
    const ndjson = await list(w.b.staff.auditor.subject, `?caseId=${w.caseId}`, { accept: 'application/x-ndjson' });
    expect(ndjson.body).toBe('');
  });

  it('events of no organisation (unknown subjects, anonymous calls) are shown to nobody', async () => {
    for (const subject of [auditorA(), w.b.staff.auditor.subject]) {
      const body = (await list(subject, '?limit=100&action=staff.read')).json();
      expect(body.items.filter((e: { actorSubject: string }) => e.actorSubject === 'unknown-subject')).toEqual([]);
    }
  });

  it('every role but the auditor gets 403, and the denial is recorded', async () => {
    const callers = [
      ...staffKeys.filter((k) => k !== 'auditor').map((k) => w.a.staff[k]),
      w.a.clients.regional,
      w.a.clients.siuss,
      w.platformAdmin,
    ];
    for (const caller of callers) {
      for (const url of ['/v1/audit-events', '/v1/audit-events/verification', `/v1/citizens/${w.citizenId}/access-log`]) {
        const requestId = newRequestId();
        const response = await t.as(caller.subject, { method: 'GET', url, headers: { 'request-id': requestId } });
        expect(response.statusCode, `${caller.subject} ${url}`).toBe(403);
        const events = await eventsOfRequest(t.app.pool, requestId);
        expect(events.map((e) => [e.actor_id, e.outcome, e.reason])).toEqual([[caller.id, 'denied', 'forbidden']]);
      }
    }
    expect((await t.as(null, { method: 'GET', url: '/v1/audit-events' })).statusCode).toBe(401);
  });

  it('reading the trail is itself audited, with the sequence numbers returned', async () => {
    const requestId = newRequestId();
    const response = await list(auditorA(), `?citizenId=${w.citizenId}`, { 'request-id': requestId });
    const returned = response.json().items.map((e: { seq: number }) => e.seq);
    const [event, ...more] = await eventsOfRequest(t.app.pool, requestId);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      action: 'audit.list',
      actor_id: w.a.staff.auditor.id,
      organisation_id: w.a.id,
      outcome: 'success',
      citizen_id: w.citizenId,
      details: { returnedSeqs: returned, filters: { citizenId: w.citizenId } },
    });
  });

  it('refuses a representation it does not offer (406)', async () => {
    const response = await list(auditorA(), '', { accept: 'application/xml' });
    expect(response.statusCode).toBe(406);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('exports', () => {
  it('CSV: one row per event, oldest first, formula cells neutralised, audited as audit.export', async () => {
    const requestId = newRequestId();
    const response = await list(auditorA(), '?action=citizen.search', { accept: 'text/csv', 'request-id': requestId });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="audit-events.csv"');
    const records = parse(response.body, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => r.reason)).toEqual(formulaReasons.map((reason) => `'${reason}`));
    expect(records[0]!.actorSubject).toBe(`'=HYPERLINK("http://x")`);
    expect(records.map((r) => Number(r.seq))).toEqual([...records.map((r) => Number(r.seq))].sort((x, y) => x - y));
    expect(records[0]).toMatchObject({ action: 'citizen.search', actorId: w.a.staff.director.id, outcome: 'rejected', emergency: 'false', occurredAt: '2026-01-05T10:00:00.000Z' });
    const [event] = await eventsOfRequest(t.app.pool, requestId);
    expect(event).toMatchObject({ action: 'audit.export', outcome: 'success', details: { format: 'csv', filters: { action: 'citizen.search' } } });
  });

  it('NDJSON: streams one JSON object per line, the same fields as the list', async () => {
    const expected = [...(await orgSeqs(w.a.id))].reverse();
    const response = await list(auditorA(), '', { accept: 'application/x-ndjson' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/x-ndjson; charset=utf-8');
    const lines = response.body.split('\n');
    expect(lines.pop()).toBe('');
    const events = lines.map((line) => JSON.parse(line) as { seq: number; details: Record<string, unknown> | null });
    expect(events.map((e) => e.seq)).toEqual(expected);
    expect(response.body).not.toContain('Mario');
    const noteList = events.find((e) => e.details?.returnedIds);
    expect(noteList?.details).toEqual({ returnedIds: [otherCaseId] });
  });

  it('covers the trail as it stood when asked: up to the bound it records, never its own event', async () => {
    // The export's own event matches its filter (same organisation, same case), so only the bound keeps it out.
    const requestId = newRequestId();
    const response = await list(auditorA(), `?caseId=${w.caseId}`, { accept: 'application/x-ndjson', 'request-id': requestId });
    const exported = response.body.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { seq: number }).seq);
    const [event] = await eventsOfRequest(t.app.pool, requestId);
    const throughSeq = (event!.details as { throughSeq: number }).throughSeq;
    expect(Number(event!.seq)).toBeGreaterThan(throughSeq);
    const { rows } = await t.app.pool.query<{ seq: string }>('SELECT seq FROM audit_events WHERE case_id = $1 AND organisation_id = $2 AND seq <= $3 ORDER BY seq', [w.caseId, w.a.id, throughSeq]);
    expect(exported).toEqual(rows.map((r) => Number(r.seq)));
    expect(exported.length).toBeGreaterThan(0);
    const again = await list(auditorA(), `?caseId=${w.caseId}`, { accept: 'application/x-ndjson' });
    expect(again.body).toContain(`"requestId":"${requestId}","clientAddress":"127.0.0.1","details":{"format":"ndjson","throughSeq":${throughSeq},`);
  });

  it('q-values choose between the representations', async () => {
    const response = await list(auditorA(), '?action=note.list', { accept: 'application/json;q=0.5, text/csv' });
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
  });
});

describe('GET /v1/citizens/{citizenId}/access-log', () => {
  it('answers who accessed the citizen’s record, when, how and with what outcome', async () => {
    const requestId = newRequestId();
    const response = await t.as(auditorA(), { method: 'GET', url: `/v1/citizens/${w.citizenId}/access-log`, headers: { 'request-id': requestId } });
    expect(response.statusCode).toBe(200);
    const items = response.json().items as Record<string, unknown>[];
    const fixtures = items.filter((e) => e.action === 'case.read');
    expect(fixtures.map((e) => [e.actorId, e.actorRole, e.outcome, e.emergency])).toEqual([
      [w.a.staff.coordinatorOther.id, 'coordinator', 'success', true],
      [w.a.staff.socialWorker.id, 'social_worker', 'success', false],
    ]);
    expect(Object.keys(items[0]!).sort()).toEqual(['action', 'actorId', 'actorRole', 'caseId', 'emergency', 'occurredAt', 'outcome', 'resourceId', 'resourceType', 'seq']);
    const [event] = await eventsOfRequest(t.app.pool, requestId);
    expect(event).toMatchObject({ action: 'citizen.access_log', citizen_id: w.citizenId, resource_id: w.citizenId, outcome: 'success' });
  });

  it('a citizen of another organisation, or none, does not exist (404)', async () => {
    expect((await t.as(w.b.staff.auditor.subject, { method: 'GET', url: `/v1/citizens/${w.citizenId}/access-log` })).statusCode).toBe(404);
    expect((await t.as(auditorA(), { method: 'GET', url: `/v1/citizens/${randomUUID()}/access-log` })).statusCode).toBe(404);
  });
});

describe('input validation', () => {
  const fields = ['actorId', 'citizenId', 'caseId', 'action', 'outcome', 'emergency', 'from', 'to', 'limit', 'cursor'] as const;

  it('bad filters answer 400 naming the field (property)', async () => {
    const before = await orgSeqs(w.a.id);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), fc.string({ minLength: 1, maxLength: 30 }), async (field, raw) => {
        const value = `${raw}~!`; // never a uuid, action name, outcome, boolean, timestamp, number or issued cursor
        const response = await list(auditorA(), `?${field}=${encodeURIComponent(value)}`);
        expect(response.statusCode).toBe(400);
        const names = (response.json().invalidParams as { name: string }[]).map((p) => p.name);
        expect(names.some((name) => name.endsWith(`/${field}`))).toBe(true);
      }),
      { numRuns: 60 },
    );
    // Rejected queries leave their own 'rejected' event and nothing else.
    const { rows } = await t.app.pool.query(
      `SELECT DISTINCT action, outcome FROM audit_events WHERE organisation_id = $1 AND seq > $2`,
      [w.a.id, before[0]],
    );
    expect(rows).toEqual([{ action: 'audit.list', outcome: 'rejected' }]);
  });

  it('valid filters are accepted (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            actorId: fc.uuid(),
            action: fc.stringMatching(/^[a-z]{1,8}\.[a-z][a-z_]{0,7}$/),
            outcome: fc.constantFrom('success', 'denied', 'rejected', 'error'),
            emergency: fc.constantFrom('true', 'false'),
            limit: fc.integer({ min: 1, max: 100 }).map(String),
            from: fc.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
          },
          { requiredKeys: [] },
        ),
        async (query) => {
          const response = await list(auditorA(), `?${new URLSearchParams(query as Record<string, string>)}`);
          expect(response.statusCode).toBe(200);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('to must be later than from', async () => {
    const response = await list(auditorA(), '?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(response.statusCode).toBe(400);
    expect(response.json().invalidParams.map((p: { name: string }) => p.name)).toEqual(['querystring/to']);
  });
});
