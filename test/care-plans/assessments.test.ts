import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { insertCase } from '../assignments/fixtures.js';
import { sina, sinba } from './fixtures.js';

let t: TestApp;
let w: World;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

const url = (caseId: string) => `/v1/cases/${caseId}/assessments`;
const create = (
  caseId: string,
  body: object,
  subject = w.a.staff.socialWorker.subject,
  headers: Record<string, string> = {},
) =>
  t.as(subject, {
    method: 'POST',
    url: url(caseId),
    headers,
    payload: { assessedOn: '2026-02-15', instrument: 'SVAMA', source: 'UVM distrettuale', ...body },
  });
const count = async () => (await t.app.pool.query(`select count(*)::int as n from assessments`)).rows[0].n;

describe('assessments', () => {
  it('records SINA and SINBA fields in their jsonb columns, and free text', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const r = await create(caseId, { sina, sinba, text: 'Valutazione multidimensionale' });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      caseId,
      assessedOn: '2026-02-15',
      instrument: 'SVAMA',
      source: 'UVM distrettuale',
      sina,
      sinba,
      text: 'Valutazione multidimensionale',
      authorId: w.a.staff.socialWorker.id,
    });
    const { rows } = await t.app.pool.query(`select sina, sinba from assessments where id = $1`, [
      r.json().id,
    ]);
    expect(rows[0]).toEqual({ sina, sinba });
  });

  it('an educator assigned to the case records an assessment; a director reads but does not write', async () => {
    const { caseId } = await insertCase(t.app.db, w.a, {
      others: [{ staffId: w.a.staff.educator.id, role: 'educator' }],
    });
    expect(
      (await create(caseId, { text: 'Osservazione educativa' }, w.a.staff.educator.subject)).statusCode,
    ).toBe(201);
    expect((await create(caseId, { text: 'x' }, w.a.staff.director.subject)).statusCode).toBe(403);
    const listed = await t.as(w.a.staff.director.subject, { method: 'GET', url: url(caseId) });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items.map((a: { text: string }) => a.text)).toEqual(['Osservazione educativa']);
  });

  it('lists newest first with a cursor and records the ids read', async () => {
    const { caseId, citizenId } = await insertCase(t.app.db, w.a);
    const ids: string[] = [];
    for (const day of ['2026-01-10', '2026-01-20', '2026-01-30'])
      ids.push((await create(caseId, { assessedOn: day, text: `Valutazione ${day}` })).json().id);
    const first = await t.as(w.a.staff.socialWorker.subject, {
      method: 'GET',
      url: `${url(caseId)}?limit=2`,
    });
    const second = await t.as(w.a.staff.socialWorker.subject, {
      method: 'GET',
      url: `${url(caseId)}?limit=2&cursor=${first.json().nextCursor}`,
    });
    expect([...first.json().items, ...second.json().items].map((a: { id: string }) => a.id)).toEqual(
      [...ids].reverse(),
    );
    expect(second.json().nextCursor).toBeNull();
    const { rows } = await t.app.pool.query(
      `select case_id, citizen_id, details from audit_events where action = 'assessment.list' order by seq desc limit 1`,
    );
    expect(rows[0]).toMatchObject({
      case_id: caseId,
      citizen_id: citizenId,
      details: { returnedIds: [ids[0]] },
    });
  });

  it('refuses a future date, an empty assessment and a wrong XSD code, naming the field; nothing is written', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const before = await count();
    const refusals: [object, string][] = [
      [{ assessedOn: '2099-01-01', text: 'x' }, 'body/assessedOn'],
      [{}, 'body/text'],
      [{ sina: { ...sina, mobility: '4' } }, 'body/sina/mobility'],
      [{ sina: { ...sina, assessmentInstrument: 'SVAMA' } }, 'body/sina/assessmentInstrument'],
      [{ sinba: { ...sinba, familyComposition: [] } }, 'body/sinba/familyComposition'],
      [{ sinba: { ...sinba, judicialReportMonth: '01/2026' } }, 'body/sinba/judicialReportMonth'],
      [{ sinba: { ...sinba, minorAssessment: undefined } }, 'body/sinba/minorAssessment'],
    ];
    for (const [body, field] of refusals) {
      const r = await create(caseId, body);
      expect(r.statusCode, field).toBe(400);
      expect(
        r.json().invalidParams.map((p: { name: string }) => p.name),
        field,
      ).toEqual([field]);
    }
    expect(await count()).toBe(before);
  });

  it('a retried POST with the same Idempotency-Key records one assessment', async () => {
    const { caseId } = await insertCase(t.app.db, w.a);
    const headers = { 'idempotency-key': `assessment-${randomUUID()}` };
    const first = await create(caseId, { sina }, w.a.staff.socialWorker.subject, headers);
    const second = await create(caseId, { sina }, w.a.staff.socialWorker.subject, headers);
    expect(second.json()).toEqual(first.json());
    const { rows } = await t.app.pool.query(`select count(*)::int as n from assessments where case_id = $1`, [
      caseId,
    ]);
    expect(rows[0].n).toBe(1);
  });
});
