import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { insertService } from '../catalogue/fixtures.js';
import { grantEmergency, insertCase } from './fixtures.js';

let t: TestApp;
let w: World;
let worker: string;
let periodicId: string;
let oneOffId: string;

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
  worker = w.a.staff.socialWorker.subject;
  periodicId = (
    await insertService(t.app.db, w.a.id, {
      name: 'Assistenza domiciliare',
      siussCode: 'A1.01',
      periodic: true,
    })
  ).id;
  oneOffId = (
    await insertService(t.app.db, w.a.id, {
      name: 'Contributo una tantum',
      siussCode: 'B1.02',
      periodic: false,
    })
  ).id;
});
afterAll(async () => t?.close());

const countInterventions = async () =>
  (await t.app.pool.query<{ n: number }>(`select count(*)::int as n from interventions`)).rows[0]!.n;

async function create(body: object, caseId = w.caseId, subject = worker) {
  return t.as(subject, {
    method: 'POST',
    url: `/v1/cases/${caseId}/interventions`,
    payload: { serviceId: periodicId, status: 'requested', plannedStart: '2026-03-01', ...body },
  });
}

async function patch(id: string, version: number, body: object, subject = worker) {
  return t.as(subject, {
    method: 'PATCH',
    url: `/v1/interventions/${id}`,
    headers: { 'if-match': `"${version}"` },
    payload: body,
  });
}

const invalidNames = (response: { json(): { invalidParams?: { name: string }[] } }) =>
  response.json().invalidParams?.map((p) => p.name);

describe('creating and reading interventions', () => {
  it('records an intervention with exact amounts, planned and actual dates; the ETag is the version', async () => {
    const r = await create({
      status: 'active',
      plannedStart: '2026-03-01',
      plannedEnd: '2026-12-31',
      actualStart: '2026-03-02',
      provider: 'Cooperativa Sociale Il Girasole',
      monthlyHours: '12.5',
      amountTotal: '1234.50',
      amountMonthly: '0.1',
      shareOrganisation: '1000.25',
      shareUser: '234.25',
      shareHealthService: '0',
      iseeThreshold: '9999999999.99',
      dsuProtocol: 'INPS-ISEE-2026-00001234A-00',
      dsuDate: '2026-01-15',
    });
    expect(r.statusCode).toBe(201);
    expect(r.headers.etag).toBe('"1"');
    const created = r.json();
    expect(created).toMatchObject({
      caseId: w.caseId,
      serviceId: periodicId,
      serviceName: 'Assistenza domiciliare',
      siussCode: 'A1.01',
      periodic: true,
      status: 'active',
      plannedStart: '2026-03-01',
      plannedEnd: '2026-12-31',
      actualStart: '2026-03-02',
      actualEnd: null,
      provider: 'Cooperativa Sociale Il Girasole',
      monthlyHours: '12.50',
      amountTotal: '1234.50',
      amountMonthly: '0.10',
      shareOrganisation: '1000.25',
      shareUser: '234.25',
      shareHealthService: '0.00',
      iseeThreshold: '9999999999.99',
      dsuProtocol: 'INPS-ISEE-2026-00001234A-00',
      dsuDate: '2026-01-15',
      createdBy: w.a.staff.socialWorker.id,
      version: 1,
    });
    const { rows } = await t.app.pool.query(
      `select amount_total::text, isee_threshold::text from interventions where id = $1`,
      [created.id],
    );
    expect(rows[0]).toEqual({ amount_total: '1234.50', isee_threshold: '9999999999.99' });

    const read = await t.as(w.a.staff.educator.subject, {
      method: 'GET',
      url: `/v1/interventions/${created.id}`,
    });
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.json()).toEqual(created);
  });

  it('a retried POST with the same Idempotency-Key creates one intervention; another body is 422', async () => {
    const headers = { 'idempotency-key': `intervention-${randomUUID()}` };
    const payload = { serviceId: periodicId, status: 'requested', plannedStart: '2026-05-01' };
    const url = `/v1/cases/${w.caseId}/interventions`;
    const first = await t.as(worker, { method: 'POST', url, headers, payload });
    const second = await t.as(worker, { method: 'POST', url, headers, payload });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    const { rows } = await t.app.pool.query(
      `select count(*)::int as n from interventions where planned_start = '2026-05-01'`,
    );
    expect(rows[0].n).toBe(1);
    expect(
      (
        await t.as(worker, {
          method: 'POST',
          url,
          headers,
          payload: { ...payload, plannedStart: '2026-05-02' },
        })
      ).statusCode,
    ).toBe(422);
  });

  it('lists a case’s interventions newest first with a cursor, filtered by status, never another case’s', async () => {
    const other = await insertCase(t.app.db, w.a);
    const foreign = (await create({}, other.caseId)).json().id;
    const mine = [];
    for (let i = 0; i < 3; i++)
      mine.push((await create({ status: 'waitlisted', plannedStart: `2026-0${i + 1}-10` })).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.as(w.a.staff.director.subject, {
        method: 'GET',
        url: `/v1/cases/${w.caseId}/interventions?status=waitlisted&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      });
      expect(page.statusCode).toBe(200);
      seen.push(...page.json().items.map((i: { id: string }) => i.id));
      cursor = page.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual([...mine].reverse());
    const all = await t.as(worker, { method: 'GET', url: `/v1/cases/${w.caseId}/interventions?limit=100` });
    expect(all.json().items.map((i: { id: string }) => i.id)).not.toContain(foreign);
  });
});

describe('exact decimals', () => {
  it('shares 0.10 + 0.20 with a total of 0.30 are accepted and read back exactly', async () => {
    const r = await create({ amountTotal: '0.30', shareOrganisation: '0.10', shareUser: '0.20' });
    expect(r.statusCode).toBe(201);
    const read = await t.as(worker, { method: 'GET', url: `/v1/interventions/${r.json().id}` });
    expect(read.json()).toMatchObject({
      amountTotal: '0.30',
      shareOrganisation: '0.10',
      shareUser: '0.20',
      shareHealthService: null,
    });
  });

  it('shares 0.10 + 0.21 exceed a total of 0.30: 400 naming body/amountTotal, nothing written', async () => {
    const before = await countInterventions();
    const r = await create({ amountTotal: '0.30', shareOrganisation: '0.10', shareUser: '0.21' });
    expect(r.statusCode).toBe(400);
    expect(invalidNames(r)).toEqual(['body/amountTotal']);
    expect(await countInterventions()).toBe(before);
  });

  it('the largest amounts add up exactly (no float rounding): 9999999999.98 + 0.01 + 0.01 fits 9999999999.99 only by one cent', async () => {
    expect(
      (await create({ amountTotal: '9999999999.99', shareOrganisation: '9999999999.98', shareUser: '0.01' }))
        .statusCode,
    ).toBe(201);
    const over = await create({
      amountTotal: '9999999999.99',
      shareOrganisation: '9999999999.98',
      shareUser: '0.01',
      shareHealthService: '0.01',
    });
    expect(over.statusCode).toBe(400);
    expect(invalidNames(over)).toEqual(['body/amountTotal']);
  });

  it('a PATCH is judged with the stored amounts: raising one share past the total is refused', async () => {
    const created = (
      await create({ amountTotal: '100.00', shareOrganisation: '60.00', shareUser: '40.00' })
    ).json();
    const refused = await patch(created.id, 1, { shareUser: '40.01' });
    expect(refused.statusCode).toBe(400);
    expect(invalidNames(refused)).toEqual(['body/amountTotal']);
    const accepted = await patch(created.id, 1, { shareUser: '39.99', shareHealthService: '0.01' });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({ shareUser: '39.99', shareHealthService: '0.01', version: 2 });
  });
});

describe('consistency rules', () => {
  it.each([
    [{ plannedStart: '2026-03-01', plannedEnd: '2026-02-28' }, ['body/plannedEnd']],
    [{ status: 'active', actualStart: '2026-03-05', actualEnd: '2026-03-04' }, ['body/actualEnd']],
    [{ status: 'active' }, ['body/actualStart']],
    [{ plannedStart: undefined }, ['body/plannedStart']],
    [{ shareUser: '1.00' }, ['body/amountTotal']],
    [{ dsuProtocol: 'INPS-ISEE-2026-1' }, ['body/dsuDate']],
  ])('periodic service %j → 400 %j, nothing written', async (body, fields) => {
    const before = await countInterventions();
    const r = await create(body);
    expect(r.statusCode).toBe(400);
    expect(invalidNames(r)).toEqual(fields);
    expect(await countInterventions()).toBe(before);
  });

  it('a one-off service takes no monthly amount or hours, and needs no plannedStart', async () => {
    const refused = await create({
      serviceId: oneOffId,
      plannedStart: undefined,
      amountMonthly: '50.00',
      monthlyHours: '3',
    });
    expect(refused.statusCode).toBe(400);
    expect(invalidNames(refused)).toEqual(['body/amountMonthly', 'body/monthlyHours']);
    const accepted = await create({ serviceId: oneOffId, plannedStart: undefined, amountTotal: '300.00' });
    expect(accepted.statusCode).toBe(201);
    expect(accepted.json()).toMatchObject({ periodic: false, plannedStart: null, amountTotal: '300.00' });
  });

  it('the service must be an active service of the organisation', async () => {
    const withdrawn = await insertService(t.app.db, w.a.id, { active: false });
    const foreign = await insertService(t.app.db, w.b.id);
    for (const serviceId of [withdrawn.id, foreign.id, randomUUID()]) {
      const r = await create({ serviceId });
      expect(r.statusCode).toBe(400);
      expect(r.json().invalidParams).toEqual([
        { name: 'body/serviceId', reason: 'names no active service of this organisation' },
      ]);
    }
  });

  it('a closed case takes no new intervention (409)', async () => {
    const closed = await insertCase(t.app.db, w.a, { status: 'closed' });
    const r = await create({}, closed.caseId);
    expect(r.statusCode).toBe(409);
  });

  it('updates need If-Match (428) and the current version (412)', async () => {
    const created = (await create({})).json();
    const url = `/v1/interventions/${created.id}`;
    expect((await t.as(worker, { method: 'PATCH', url, payload: { provider: 'ACME' } })).statusCode).toBe(
      428,
    );
    expect((await patch(created.id, 5, { provider: 'ACME' })).statusCode).toBe(412);
    const ok = await patch(created.id, 1, { provider: 'ACME', plannedEnd: '2026-04-01' });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect((await patch(created.id, 1, { provider: 'Other' })).statusCode).toBe(412);
    const cleared = await patch(created.id, 2, { provider: null, plannedEnd: null });
    expect(cleared.json()).toMatchObject({ provider: null, plannedEnd: null, version: 3 });
  });

  it('a PATCH that would make the dates inconsistent is refused against the stored dates', async () => {
    const created = (await create({ plannedStart: '2026-06-01' })).json();
    const r = await patch(created.id, 1, { plannedEnd: '2026-05-31' });
    expect(r.statusCode).toBe(400);
    expect(invalidNames(r)).toEqual(['body/plannedEnd']);
  });
});

describe('lifecycle', () => {
  it('requested → waitlisted → active → suspended → active → ended, each change kept with who, when and why', async () => {
    const created = (await create({})).json();
    const steps: [object, string][] = [
      [{ status: 'waitlisted', statusReason: 'Nessun posto disponibile' }, 'waitlisted'],
      [{ status: 'active', actualStart: '2026-03-10' }, 'active'],
      [{ status: 'suspended', statusReason: 'Ricovero ospedaliero' }, 'suspended'],
      [{ status: 'active' }, 'active'],
      [{ status: 'ended', statusReason: 'Obiettivi raggiunti', actualEnd: '2026-09-30' }, 'ended'],
    ];
    let version = 1;
    for (const [body, expected] of steps) {
      const r = await patch(created.id, version, body, w.a.staff.coordinator.subject);
      expect(r.statusCode).toBe(200);
      expect(r.json().status).toBe(expected);
      version = r.json().version;
    }
    const history = await t.as(w.a.staff.educator.subject, {
      method: 'GET',
      url: `/v1/interventions/${created.id}/status-changes`,
    });
    expect(history.statusCode).toBe(200);
    expect(
      history
        .json()
        .items.map((c: { fromStatus: string | null; toStatus: string; reason: string | null }) => [
          c.fromStatus,
          c.toStatus,
          c.reason,
        ]),
    ).toEqual([
      [null, 'requested', null],
      ['requested', 'waitlisted', 'Nessun posto disponibile'],
      ['waitlisted', 'active', null],
      ['active', 'suspended', 'Ricovero ospedaliero'],
      ['suspended', 'active', null],
      ['active', 'ended', 'Obiettivi raggiunti'],
    ]);
    const items = history.json().items;
    expect(items[0].changedBy).toBe(w.a.staff.socialWorker.id);
    expect(items[1].changedBy).toBe(w.a.staff.coordinator.id);
    expect(items.every((c: { changedAt: string }) => !Number.isNaN(Date.parse(c.changedAt)))).toBe(true);

    // Ended is final.
    const reopen = await patch(created.id, version, { status: 'active' });
    expect(reopen.statusCode).toBe(409);
    expect(reopen.json().code).toBe('invalid_transition');
  });

  it.each([
    ['requested', 'suspended'],
    ['waitlisted', 'requested'],
    ['waitlisted', 'suspended'],
    ['active', 'requested'],
    ['active', 'waitlisted'],
    ['suspended', 'waitlisted'],
  ])('%s → %s is refused with 409 invalid_transition, and nothing changes', async (from, to) => {
    const created = (
      await create({
        status: from === 'suspended' ? 'active' : from,
        actualStart: from === 'requested' || from === 'waitlisted' ? undefined : '2026-03-01',
      })
    ).json();
    let version = 1;
    if (from === 'suspended')
      version = (await patch(created.id, 1, { status: 'suspended', statusReason: 'Pausa estiva' })).json()
        .version;
    const r = await patch(created.id, version, { status: to, statusReason: 'tentativo', provider: 'Nuovo' });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('invalid_transition');
    const { rows } = await t.app.pool.query(
      `select status, provider, version from interventions where id = $1`,
      [created.id],
    );
    expect(rows[0]).toEqual({ status: from, provider: null, version });
    const changes = await t.app.pool.query(
      `select count(*)::int as n from intervention_status_changes where intervention_id = $1`,
      [created.id],
    );
    expect(changes.rows[0].n).toBe(from === 'suspended' ? 2 : 1);
  });

  it.each([
    ['requested', 'active'],
    ['requested', 'ended'],
    ['waitlisted', 'ended'],
  ])('%s → %s is allowed (direct start, withdrawal)', async (from, to) => {
    const created = (await create({ status: from })).json();
    const r = await patch(created.id, 1, {
      status: to,
      statusReason: 'Domanda ritirata',
      ...(to === 'active' ? { actualStart: '2026-03-03' } : {}),
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().status).toBe(to);
  });

  it('suspending without a reason is 400 naming body/statusReason; a reason without a change too', async () => {
    const created = (await create({ status: 'active', actualStart: '2026-03-01' })).json();
    const noReason = await patch(created.id, 1, { status: 'suspended' });
    expect(noReason.statusCode).toBe(400);
    expect(invalidNames(noReason)).toEqual(['body/statusReason']);
    const noChange = await patch(created.id, 1, { statusReason: 'perché sì' });
    expect(noChange.statusCode).toBe(400);
    expect(invalidNames(noChange)).toEqual(['body/statusReason']);
  });
});

describe('access and audit', () => {
  const lastEvent = async (action: string) =>
    (
      await t.app.pool.query(`select * from audit_events where action = $1 order by seq desc limit 1`, [
        action,
      ])
    ).rows[0];

  it('create, list, read, update and status history are audited with case, citizen and intervention ids', async () => {
    const created = (await create({})).json();
    expect(await lastEvent('intervention.create')).toMatchObject({
      outcome: 'success',
      case_id: w.caseId,
      citizen_id: w.citizenId,
      resource_id: created.id,
      emergency: false,
      actor_id: w.a.staff.socialWorker.id,
    });
    await t.as(worker, { method: 'GET', url: `/v1/interventions/${created.id}` });
    expect(await lastEvent('intervention.read')).toMatchObject({
      outcome: 'success',
      case_id: w.caseId,
      citizen_id: w.citizenId,
      resource_id: created.id,
    });
    await patch(created.id, 1, { status: 'waitlisted' });
    expect(await lastEvent('intervention.update')).toMatchObject({
      outcome: 'success',
      case_id: w.caseId,
      citizen_id: w.citizenId,
      resource_id: created.id,
      details: { changed: ['status'], fromStatus: 'requested', toStatus: 'waitlisted' },
    });
    await t.as(worker, { method: 'GET', url: `/v1/interventions/${created.id}/status-changes` });
    expect(await lastEvent('intervention.status.list')).toMatchObject({
      outcome: 'success',
      case_id: w.caseId,
      citizen_id: w.citizenId,
      resource_id: created.id,
    });
    const list = await t.as(worker, { method: 'GET', url: `/v1/cases/${w.caseId}/interventions?limit=3` });
    const event = await lastEvent('intervention.list');
    expect(event).toMatchObject({ outcome: 'success', case_id: w.caseId, citizen_id: w.citizenId });
    expect(event.details.returnedIds).toEqual(list.json().items.map((i: { id: string }) => i.id));
    const text = JSON.stringify(
      await t.app.pool
        .query(`select details, reason from audit_events where action like 'intervention.%'`)
        .then((r) => r.rows),
    );
    expect(text).not.toMatch(/Rossi|Mario|Cooperativa|Ricovero/);
  });

  it('an emergency grant lets an unassigned worker read (flagged in the audit) but not write', async () => {
    const target = await insertCase(t.app.db, w.a, { team: 'anziani' });
    const created = (await create({}, target.caseId)).json();
    const outsider = w.a.staff.socialWorker2;
    expect(
      (await t.as(outsider.subject, { method: 'GET', url: `/v1/interventions/${created.id}` })).statusCode,
    ).toBe(404);
    await grantEmergency(t.app.db, w.a, target.caseId, outsider.id);
    const read = await t.as(outsider.subject, { method: 'GET', url: `/v1/interventions/${created.id}` });
    expect(read.statusCode).toBe(200);
    expect(await lastEvent('intervention.read')).toMatchObject({
      actor_id: outsider.id,
      case_id: target.caseId,
      citizen_id: target.citizenId,
      resource_id: created.id,
      emergency: true,
    });
    const list = await t.as(outsider.subject, {
      method: 'GET',
      url: `/v1/cases/${target.caseId}/interventions`,
    });
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([created.id]);
    expect(await lastEvent('intervention.list')).toMatchObject({ actor_id: outsider.id, emergency: true });
    expect((await patch(created.id, 1, { provider: 'X' }, outsider.subject)).statusCode).toBe(404);
    expect((await create({}, target.caseId, outsider.subject)).statusCode).toBe(404);
  });

  it('outside the scope an intervention is indistinguishable from one that does not exist', async () => {
    const created = (await create({})).json();
    const hidden = await t.as(w.a.staff.socialWorker2.subject, {
      method: 'GET',
      url: `/v1/interventions/${created.id}`,
    });
    const missing = await t.as(w.a.staff.socialWorker2.subject, {
      method: 'GET',
      url: `/v1/interventions/${randomUUID()}`,
    });
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const strip = (body: { instance: string }) => ({ ...body, instance: undefined });
    expect(strip(hidden.json())).toEqual(strip(missing.json()));
  });

  it('another organisation’s interventions, cases and services do not exist for it', async () => {
    const created = (await create({})).json();
    const bWorker = w.b.staff.coordinator.subject;
    for (const url of [
      `/v1/interventions/${created.id}`,
      `/v1/interventions/${created.id}/status-changes`,
      `/v1/cases/${w.caseId}/interventions`,
    ]) {
      expect((await t.as(bWorker, { method: 'GET', url })).statusCode).toBe(404);
    }
    expect((await patch(created.id, 1, { provider: 'B' }, bWorker)).statusCode).toBe(404);
    const bCase = await insertCase(t.app.db, w.b, { caseManager: w.b.staff.socialWorker.id });
    const crossService = await create(
      { serviceId: periodicId },
      bCase.caseId,
      w.b.staff.socialWorker.subject,
    );
    expect(crossService.statusCode).toBe(400);
    expect(invalidNames(crossService)).toEqual(['body/serviceId']);
    const { rows } = await t.app.pool.query(`select provider, version from interventions where id = $1`, [
      created.id,
    ]);
    expect(rows[0]).toEqual({ provider: null, version: 1 });
  });
});
