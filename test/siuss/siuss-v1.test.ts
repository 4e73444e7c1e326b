import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, emergencyGrants, siussSettings } from '../../src/db/schema/index.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, staffKeys, type StaffKey, type World } from '../helpers/world.js';
import {
  flowRows,
  insertCase,
  insertIntervention,
  insertService,
  operatorTaxCode,
  pollEntries,
  record,
  siussEnv,
  sinbaData,
} from './feed-support.js';

/**
 * Issue 9, part 3: Cartella's own views of the feed — the flows of an intervention (case scope), the
 * administrator's rejected flows, the SIUSS settings — with allow/deny for every role, an unassigned worker
 * and another organisation; and the flows that cannot be produced, with their stored reasons.
 */
let t: TestApp;
let w: World;
let interventionId: string;
let serviceId: string;

beforeAll(async () => {
  t = await buildTestApp({ env: siussEnv });
  w = await seedWorld(t.app.db);
  serviceId = await insertService(t.app.db, w.a);
  // No SIUSS settings yet: the first flow cannot carry Ente@CFOperatore.
  interventionId = await insertIntervention(t.app.db, w.a, { caseId: w.caseId, serviceId });
  await record(t.app.db, interventionId);
});
afterAll(async () => t?.close());

type Expect = Record<StaffKey | 'regional' | 'siuss' | 'platformAdmin', number>;

async function expectStatuses(
  request: { method: 'GET' | 'PUT'; url: string; payload?: object; headers?: Record<string, string> },
  want: Expect,
  otherOrg: Partial<Expect>,
) {
  const got: Record<string, number> = {};
  const subjects: Record<string, string> = {
    ...Object.fromEntries(staffKeys.map((k) => [k, w.a.staff[k].subject])),
    regional: w.a.clients.regional.subject,
    siuss: w.a.clients.siuss.subject,
    platformAdmin: w.platformAdmin.subject,
  };
  for (const [label, subject] of Object.entries(subjects))
    got[label] = (await t.as(subject, request)).statusCode;
  for (const label of Object.keys(otherOrg)) {
    const subject =
      label in w.b.staff
        ? w.b.staff[label as StaffKey].subject
        : w.b.clients[label as 'regional' | 'siuss'].subject;
    got[`B.${label}`] = (await t.as(subject, request)).statusCode;
  }
  got.anonymous = (await t.as(null, request)).statusCode;
  const expected = {
    ...want,
    ...Object.fromEntries(Object.entries(otherOrg).map(([k, v]) => [`B.${k}`, v])),
    anonymous: 401,
  };
  expect(got).toEqual(expected);
}

describe('flows that cannot be produced', () => {
  it('without the operator codice fiscale nothing is sent and the reason is stored', async () => {
    const [flow] = await flowRows(t.app.db, interventionId);
    expect(flow).toMatchObject({ flowId: null, tsFlusso: null, document: null });
    expect(flow!.problems).toEqual(['organisation.operatorTaxCode: not configured (PUT …/siuss-settings)']);
  });

  it('settings: PUT creates, then needs If-Match (428 without, 412 stale); the next change produces the flow', async () => {
    const url = `/v1/organisations/${w.a.id}/siuss-settings`;
    const admin = w.a.staff.admin.subject;
    expect((await t.as(admin, { method: 'GET', url })).statusCode).toBe(404);
    const created = await t.as(admin, {
      method: 'PUT',
      url,
      payload: { operatorTaxCode: operatorTaxCode.toLowerCase() },
    });
    expect(created.statusCode).toBe(200);
    expect(created.headers.etag).toBe('"1"');
    expect(created.json()).toMatchObject({ organisationId: w.a.id, operatorTaxCode, version: 1 });
    expect((await t.as(admin, { method: 'PUT', url, payload: { operatorTaxCode } })).statusCode).toBe(428);
    expect(
      (
        await t.as(admin, {
          method: 'PUT',
          url,
          headers: { 'if-match': '"7"' },
          payload: { operatorTaxCode },
        })
      ).statusCode,
    ).toBe(412);
    const read = await t.as(admin, { method: 'GET', url });
    expect(read.json().operatorTaxCode).toBe(operatorTaxCode);

    await record(t.app.db, interventionId, 'updated');
    const [flow] = await flowRows(t.app.db, interventionId);
    expect(flow!.problems).toBeNull();
    expect(flow!.flowId).toMatch(/^F205\.PS\.\d{8}\.0000001$/);
  });

  it('property: a settings body that is not a codice fiscale the XSD accepts is refused by name, nothing written', async () => {
    const url = `/v1/organisations/${w.a.id}/siuss-settings`;
    const pattern = /^(?:[A-Za-z]{6}[0-9]{2}[A-Za-z][0-9]{2}[A-Za-z][A-Za-z0-9]{3}[A-Za-z]|[0-9]{11})$/;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.constant(null)),
        async (value) => {
          fc.pre(!(typeof value === 'string' && pattern.test(value)));
          const response = await t.as(w.a.staff.admin.subject, {
            method: 'PUT',
            url,
            headers: { 'if-match': '"1"' },
            payload: { operatorTaxCode: value },
          });
          expect(response.statusCode).toBe(400);
          expect(response.json().invalidParams.map((p: { name: string }) => p.name)).toEqual([
            'body/operatorTaxCode',
          ]);
        },
      ),
      { numRuns: 50 },
    );
    const [row] = await t.app.db
      .select()
      .from(siussSettings)
      .where(sql`${siussSettings.organisationId} = ${w.a.id}`);
    expect(row!.version).toBe(1);
  });

  it('unknown codes are never guessed: the reason is stored, nothing is served', async () => {
    const moroccan = await insertCase(t.app.db, w.a, {
      citizen: { birthDate: '1970-01-01', citizenship: '436' },
    });
    const elsewhere = await insertCase(t.app.db, w.a, {
      citizen: { birthDate: '1970-01-01', residence: { municipality: 'A794' } },
    });
    const abroad = await insertCase(t.app.db, w.a, {
      citizen: { birthDate: '1970-01-01', residence: { municipality: 'Z110' } },
    });
    const reasons: Record<string, string> = {
      [moroccan.caseId]: 'citizen.citizenship: ISTAT code has no ISO 3166 mapping',
      [elsewhere.caseId]: 'citizen.residence: municipality has no ISTAT code mapping',
      [abroad.caseId]: 'citizen.residence: foreign country has no ISO 3166 mapping',
    };
    const before = await pollEntries(t, w.a.clients.siuss.subject, 'since=0&limit=100');
    for (const [caseId, reason] of Object.entries(reasons)) {
      const id = await insertIntervention(t.app.db, w.a, { caseId, serviceId });
      await record(t.app.db, id);
      const [flow] = await flowRows(t.app.db, id);
      expect(flow).toMatchObject({ kind: 'PS_PSA_SINA', flowId: null, problems: [reason] });
    }
    expect(await pollEntries(t, w.a.clients.siuss.subject, 'since=0&limit=100')).toHaveLength(before.length);
  });

  it('data the XSD rules out (a periodic benefit without monthly amount, shares not adding up) is reported by field', async () => {
    const noAmount = await insertIntervention(t.app.db, w.a, {
      caseId: w.caseId,
      serviceId,
      amountMonthly: null,
    });
    const badShares = await insertIntervention(t.app.db, w.a, {
      caseId: w.caseId,
      serviceId,
      shareOrganisation: '100.00',
      shareUser: '10.00',
    });
    await record(t.app.db, noAmount);
    await record(t.app.db, badShares);
    expect((await flowRows(t.app.db, noAmount))[0]!.problems).toEqual([
      'benefit.monthlyAmount: required for a periodic benefit',
    ]);
    expect((await flowRows(t.app.db, badShares))[0]!.problems).toEqual([
      'benefit.organisationShare: shares must add up to the amount',
    ]);
  });

  it('a child without SINBA data gets its PS flow; the SINBA flow waits for the assessment', async () => {
    const child = await insertCase(t.app.db, w.a);
    const id = await insertIntervention(t.app.db, w.a, { caseId: child.caseId, serviceId });
    await record(t.app.db, id);
    const [ps, sinba] = await flowRows(t.app.db, id);
    expect(ps!.flowId).not.toBeNull();
    expect(sinba).toMatchObject({
      kind: 'SINBA',
      flowId: null,
      problems: ['assessment.sinba: no assessment of the case has SINBA data'],
    });
  });

  it('invalid stored SINBA data is reported by field, not sent', async () => {
    const child = await insertCase(t.app.db, w.a, {
      sinba: { ...sinbaData, school: '9', familyComposition: [] },
    });
    const id = await insertIntervention(t.app.db, w.a, { caseId: child.caseId, serviceId });
    await record(t.app.db, id);
    const [, sinba] = await flowRows(t.app.db, id);
    expect(sinba!.flowId).toBeNull();
    expect(sinba!.problems).toHaveLength(2);
    expect(sinba!.problems!.every((p) => /^assessment\.sinba\.(school|familyComposition):/.test(p))).toBe(
      true,
    );
  });

  it('the rejected-flows list shows those not produced, ids and reasons only', async () => {
    const response = await t.as(w.a.staff.admin.subject, {
      method: 'GET',
      url: '/v1/siuss/rejected-flows?limit=100',
    });
    expect(response.statusCode).toBe(200);
    const items = response.json().items as { status: string; errors: string[]; flowId: string | null }[];
    expect(items.length).toBeGreaterThanOrEqual(7);
    expect(items.every((i) => i.status === 'not_produced')).toBe(true);
    expect(items.map((i) => i.errors).flat()).toContain(
      'citizen.citizenship: ISTAT code has no ISO 3166 mapping',
    );
    expect(response.body).not.toMatch(/Popescu|Rossi|RSSMRA/);
  });

  it('the rejected-flows list pages with a cursor', async () => {
    const all = (
      await t.as(w.a.staff.admin.subject, { method: 'GET', url: '/v1/siuss/rejected-flows?limit=100' })
    ).json().items;
    const seen: string[] = [];
    let url = '/v1/siuss/rejected-flows?limit=2';
    for (;;) {
      const page = (await t.as(w.a.staff.admin.subject, { method: 'GET', url })).json();
      seen.push(...page.items.map((i: { id: string }) => i.id));
      if (!page.nextCursor) break;
      url = `/v1/siuss/rejected-flows?limit=2&cursor=${page.nextCursor}`;
    }
    expect(seen).toEqual(all.map((i: { id: string }) => i.id));
  });
});

describe('allow/deny for every role, an unassigned worker and another organisation', () => {
  it('GET /v1/interventions/{id}/siuss-flows: the case scope decides (404 outside it), roles without intervention:read get 403', async () => {
    await expectStatuses(
      { method: 'GET', url: `/v1/interventions/${interventionId}/siuss-flows` },
      {
        socialWorker: 200,
        socialWorker2: 404, // same team, not assigned
        educator: 200,
        coordinator: 200,
        coordinatorOther: 404, // coordinates another team
        director: 200,
        admin: 403,
        auditor: 403,
        electedOfficial: 403,
        regional: 403,
        siuss: 403,
        platformAdmin: 403,
      },
      { socialWorker: 404, coordinator: 404, director: 404, admin: 403, siuss: 403 },
    );
  });

  it('an unknown intervention is a 404 like one out of scope', async () => {
    const response = await t.as(w.a.staff.director.subject, {
      method: 'GET',
      url: '/v1/interventions/00000000-0000-4000-8000-000000000000/siuss-flows',
    });
    expect(response.statusCode).toBe(404);
    const hidden = await t.as(w.a.staff.socialWorker2.subject, {
      method: 'GET',
      url: `/v1/interventions/${interventionId}/siuss-flows`,
    });
    expect(hidden.json().detail).toBe(response.json().detail);
  });

  it('an emergency grant opens it read-only, flagged in the audit trail', async () => {
    await t.app.db.insert(emergencyGrants).values({
      organisationId: w.a.id,
      caseId: w.caseId,
      staffId: w.a.staff.socialWorker2.id,
      reason: 'Urgent call from the police about the family tonight',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const response = await t.as(w.a.staff.socialWorker2.subject, {
      method: 'GET',
      url: `/v1/interventions/${interventionId}/siuss-flows`,
    });
    expect(response.statusCode).toBe(200);
    await t.app.auditWriter.idle();
    const [event] = await t.app.db
      .select()
      .from(auditEvents)
      .where(
        sql`${auditEvents.action} = 'siuss_flow.list' and ${auditEvents.actorId} = ${w.a.staff.socialWorker2.id} and ${auditEvents.outcome} = 'success'`,
      );
    expect(event).toMatchObject({
      emergency: true,
      caseId: w.caseId,
      citizenId: w.citizenId,
      resourceId: interventionId,
    });
  });

  it('GET /v1/siuss/rejected-flows: the administrator only; another organisation’s sees none of A’s', async () => {
    await expectStatuses(
      { method: 'GET', url: '/v1/siuss/rejected-flows' },
      {
        socialWorker: 403,
        socialWorker2: 403,
        educator: 403,
        coordinator: 403,
        coordinatorOther: 403,
        director: 403,
        admin: 200,
        auditor: 403,
        electedOfficial: 403,
        regional: 403,
        siuss: 403,
        platformAdmin: 403,
      },
      { admin: 200, director: 403 },
    );
    const other = await t.as(w.b.staff.admin.subject, { method: 'GET', url: '/v1/siuss/rejected-flows' });
    expect(other.json()).toEqual({ items: [], nextCursor: null });
  });

  it('GET /v1/organisations/{id}/siuss-settings: the administrator and the platform admin; another organisation’s is 404', async () => {
    await expectStatuses(
      { method: 'GET', url: `/v1/organisations/${w.a.id}/siuss-settings` },
      {
        socialWorker: 403,
        socialWorker2: 403,
        educator: 403,
        coordinator: 403,
        coordinatorOther: 403,
        director: 403,
        admin: 200,
        auditor: 403,
        electedOfficial: 403,
        regional: 403,
        siuss: 403,
        platformAdmin: 200,
      },
      { admin: 404, director: 403 },
    );
  });

  it('PUT /v1/organisations/{id}/siuss-settings: the same callers; a stale If-Match is 412 for them', async () => {
    await expectStatuses(
      {
        method: 'PUT',
        url: `/v1/organisations/${w.a.id}/siuss-settings`,
        headers: { 'if-match': '"99"' },
        payload: { operatorTaxCode },
      },
      {
        socialWorker: 403,
        socialWorker2: 403,
        educator: 403,
        coordinator: 403,
        coordinatorOther: 403,
        director: 403,
        admin: 412,
        auditor: 403,
        electedOfficial: 403,
        regional: 403,
        siuss: 403,
        platformAdmin: 412,
      },
      { admin: 404, director: 403 },
    );
  });
});
