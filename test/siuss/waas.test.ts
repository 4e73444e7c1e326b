import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { siussOutcomes } from '../../src/db/schema/index.js';
import { validateWaasRequestBody } from '../../src/modules/siuss/siuss.openapi.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, staffKeys, type World } from '../helpers/world.js';
import {
  configureOperator,
  expectWaasConformant,
  flowRows,
  insertCase,
  insertIntervention,
  insertService,
  outcomeCount,
  poll,
  record,
  siussEnv,
  sinbaData,
} from './feed-support.js';

/**
 * Issue 9, part 2: the e-service as api-comuni.yaml describes it — POST /esiti stored and idempotent,
 * /status, WaaS-shaped problems, who may call it — and bad input refused by name, writing nothing.
 */
let t: TestApp;
let w: World;
let siuss: string;
let psFlow: { flowId: string; tsFlusso: number; interventionId: string };
let sinbaFlow: { flowId: string; tsFlusso: number };

beforeAll(async () => {
  t = await buildTestApp({ env: siussEnv });
  w = await seedWorld(t.app.db);
  siuss = w.a.clients.siuss.subject;
  await configureOperator(t, w.a);
  const serviceId = await insertService(t.app.db, w.a);
  const child = await insertCase(t.app.db, w.a, { sinba: sinbaData });
  const interventionId = await insertIntervention(t.app.db, w.a, { caseId: child.caseId, serviceId });
  await record(t.app.db, interventionId);
  const [ps, sinba] = await flowRows(t.app.db, interventionId);
  psFlow = { flowId: ps!.flowId!, tsFlusso: ps!.tsFlusso!, interventionId };
  sinbaFlow = { flowId: sinba!.flowId!, tsFlusso: sinba!.tsFlusso! };
});
afterAll(async () => t?.close());

const iso = (ms: number) => new Date(ms).toISOString();

function esiti() {
  return {
    elenco_esiti: [
      {
        id_flusso: psFlow.flowId,
        tipo: 'PS_PSA_SINA',
        ts_flusso: iso(psFlow.tsFlusso),
        ts_acquisizione: '2026-03-01T10:00:00.000Z',
        codice_esito: 'OK',
        id_acquisizione_siuss: '22738',
      },
      {
        id_flusso: sinbaFlow.flowId,
        tipo: 'SINBA',
        ts_flusso: iso(sinbaFlow.tsFlusso),
        ts_acquisizione: '2026-03-01T10:00:00.000Z',
        codice_esito: 'RICHIESTA_INVALIDA',
        descrizione_esito:
          'Beneficiario RSSMRA80A01F205X: in cooperazione è possibile inviare solo un beneficiario',
        // EsitoFlusso allows more properties; the PDF's example sends these.
        codice_ente: 'F205',
        denominazione_ente: 'Comune a',
      },
      {
        id_flusso: 'F205.PS.20200101.0999999',
        tipo: 'PS_PSA_SINA',
        ts_flusso: '2020-01-01T00:00:00.000Z',
        ts_acquisizione: '2026-03-01T10:00:00.000Z',
        codice_esito: 'DATI_NON_TROVATI',
      },
    ],
  };
}

async function postEsiti(subject: string | null, payload: unknown) {
  const response = await t.as(subject, { method: 'POST', url: '/waas/v1/esiti', payload: payload as object });
  expectWaasConformant('POST', '/waas/v1/esiti', response);
  return response;
}

describe('POST /waas/v1/esiti', () => {
  it('stores each outcome on its flow and intervention; unknown ids are kept unattached; 204', async () => {
    const body = esiti();
    expect(validateWaasRequestBody('POST', '/waas/v1/esiti', body, 'application/json').errors).toEqual([]);
    const response = await postEsiti(siuss, body);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    const rows = await t.app.db
      .select()
      .from(siussOutcomes)
      .where(sql`${siussOutcomes.organisationId} = ${w.a.id}`)
      .orderBy(siussOutcomes.flowId);
    expect(rows.map((r) => [r.flowId, r.code, r.interventionId, r.siussAcquisitionId])).toEqual([
      ['F205.PS.20200101.0999999', 'DATI_NON_TROVATI', null, null],
      [psFlow.flowId, 'OK', psFlow.interventionId, '22738'],
      [sinbaFlow.flowId, 'RICHIESTA_INVALIDA', psFlow.interventionId, null],
    ]);
    expect(rows.find((r) => r.code === 'OK')!.tsFlusso).toBe(psFlow.tsFlusso);
  });

  it('posting the same outcomes again is idempotent: 204, nothing new stored', async () => {
    const before = await outcomeCount(t.app.db);
    expect((await postEsiti(siuss, esiti())).statusCode).toBe(204);
    expect((await postEsiti(siuss, esiti())).statusCode).toBe(204);
    expect(await outcomeCount(t.app.db)).toBe(before);
  });

  it('the outcomes are visible on the intervention to its case workers', async () => {
    const response = await t.as(w.a.staff.socialWorker.subject, {
      method: 'GET',
      url: `/v1/interventions/${psFlow.interventionId}/siuss-flows`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([
      {
        id: expect.any(String),
        flowId: psFlow.flowId,
        type: 'PS_PSA_SINA',
        tsFlusso: iso(psFlow.tsFlusso),
        status: 'accepted',
        problems: [],
        outcome: {
          code: 'OK',
          description: null,
          siussAcquisitionId: '22738',
          acquiredAt: '2026-03-01T10:00:00.000Z',
        },
        updatedAt: expect.any(String),
      },
      {
        id: expect.any(String),
        flowId: sinbaFlow.flowId,
        type: 'SINBA',
        tsFlusso: iso(sinbaFlow.tsFlusso),
        status: 'rejected',
        problems: [],
        outcome: expect.objectContaining({ code: 'RICHIESTA_INVALIDA', siussAcquisitionId: null }),
        updatedAt: expect.any(String),
      },
    ]);
  });

  it('the administrator’s rejected-flows list shows ids, types and errors only, codici fiscali masked', async () => {
    const response = await t.as(w.a.staff.admin.subject, { method: 'GET', url: '/v1/siuss/rejected-flows' });
    expect(response.statusCode).toBe(200);
    const item = response.json().items.find((i: { flowId: string }) => i.flowId === sinbaFlow.flowId);
    expect(item).toEqual({
      id: expect.any(String),
      flowId: sinbaFlow.flowId,
      type: 'SINBA',
      interventionId: psFlow.interventionId,
      tsFlusso: iso(sinbaFlow.tsFlusso),
      status: 'rejected',
      outcomeCode: 'RICHIESTA_INVALIDA',
      errors: ['Beneficiario [codice fiscale]: in cooperazione è possibile inviare solo un beneficiario'],
      createdAt: expect.any(String),
    });
    expect(response.json().items.some((i: { flowId: string }) => i.flowId === psFlow.flowId)).toBe(false);
    expect(response.body).not.toMatch(/Popescu|RSSMRA80A01F205X/);
  });

  it('an outcome about an earlier version does not describe the re-issued one', async () => {
    const [, sinba] = await flowRows(t.app.db, psFlow.interventionId);
    await t.app.db.execute(
      sql`update interventions set amount_monthly = '210.00' where id = ${psFlow.interventionId}`,
    );
    await record(t.app.db, psFlow.interventionId, 'updated');
    const response = await t.as(w.a.staff.socialWorker.subject, {
      method: 'GET',
      url: `/v1/interventions/${psFlow.interventionId}/siuss-flows`,
    });
    const [ps, sinbaNow] = response.json().items;
    expect(ps).toMatchObject({ flowId: psFlow.flowId, status: 'pending', outcome: null });
    expect(new Date(ps.tsFlusso).getTime()).toBeGreaterThan(psFlow.tsFlusso);
    expect(sinbaNow.tsFlusso).toBe(iso(sinba!.tsFlusso!)); // SINBA unchanged: its outcome still stands
    expect(sinbaNow.status).toBe('rejected');
  });

  it('another organisation’s client cannot attach outcomes to A’s flows (stored as unknown for B)', async () => {
    expect((await postEsiti(w.b.clients.siuss.subject, esiti())).statusCode).toBe(204);
    const rows = await t.app.db
      .select()
      .from(siussOutcomes)
      .where(sql`${siussOutcomes.organisationId} = ${w.b.id}`);
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.siussFlowId === null && r.interventionId === null)).toBe(true);
  });

  it('an empty list, or none at all, is a valid notification', async () => {
    expect((await postEsiti(siuss, { elenco_esiti: [] })).statusCode).toBe(204);
    expect((await postEsiti(siuss, {})).statusCode).toBe(204);
  });
});

describe('who may call the e-service', () => {
  const callers = () => [
    ...staffKeys.map((key) => ({ label: key, subject: w.a.staff[key].subject })),
    { label: 'regional', subject: w.a.clients.regional.subject },
    { label: 'platformAdmin', subject: w.platformAdmin.subject },
  ];

  it('every role but siuss gets 403 on /flussi and /esiti, in the yaml’s Problem shape; no token gets 401', async () => {
    for (const caller of callers()) {
      const flows = await poll(t, caller.subject, 'since=0');
      expect([caller.label, flows.statusCode]).toEqual([caller.label, 403]);
      const outcomes = await postEsiti(caller.subject, { elenco_esiti: [] });
      expect([caller.label, outcomes.statusCode]).toEqual([caller.label, 403]);
    }
    const anonymous = await poll(t, null, 'since=0');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toEqual({
      type: 'https://cartella.example/problems/unauthenticated',
      title: 'Authentication required',
      status: 401,
      detail: 'A bearer token is required.',
      instance: `urn:cartella:request:${anonymous.headers['request-id']}`,
    });
    expect((await postEsiti(null, { elenco_esiti: [] })).statusCode).toBe(401);
  });

  it('GET /waas/v1/status needs no token and answers a Problem with 200', async () => {
    const response = await t.as(null, { method: 'GET', url: '/waas/v1/status' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expectWaasConformant('GET', '/waas/v1/status', response);
    expect(response.json()).toMatchObject({ status: 200, title: 'OK' });
  });

  it('an unknown path under /waas/v1 answers the yaml’s Problem, 404', async () => {
    const response = await t.as(siuss, { method: 'GET', url: '/waas/v1/flussi/nope' });
    expect(response.statusCode).toBe(404);
    expectWaasConformant('GET', '/waas/v1/flussi', response);
  });
});

describe('bad input: 400 naming the field, nothing written', () => {
  it('since missing, negative, fractional or not a number; limit out of range', async () => {
    for (const [query, field] of [
      ['', 'since'],
      ['since=-1', 'since'],
      ['since=1.5', 'since'],
      ['since=abc', 'since'],
      ['since=0&limit=101', 'limit'],
      ['since=0&limit=-1', 'limit'],
      ['since=123456789012345678901', 'since'],
    ] as const) {
      const response = await poll(t, siuss, query);
      expect([query, response.statusCode]).toEqual([query, 400]);
      expect(response.json().detail).toContain(`querystring/${field}`);
      expect(response.json()).not.toHaveProperty('code');
    }
  });

  it('outcomes with a missing or invalid field are refused whole', async () => {
    const valid = esiti().elenco_esiti[0]!;
    const cases: [object, string][] = [
      [{ elenco_esiti: [{ ...valid, codice_esito: 'FORSE' }] }, 'codice_esito'],
      [{ elenco_esiti: [{ ...valid, ts_flusso: 'ieri' }] }, 'ts_flusso'],
      [{ elenco_esiti: [{ ...valid, id_flusso: undefined }] }, 'id_flusso'],
      [{ elenco_esiti: [valid], extra: true }, 'body'],
      [{ elenco_esiti: Array.from({ length: 101 }, () => valid) }, 'elenco_esiti'],
    ];
    const before = await outcomeCount(t.app.db);
    for (const [payload, field] of cases) {
      const response = await postEsiti(siuss, payload);
      expect([field, response.statusCode]).toEqual([field, 400]);
      expect(response.json().detail).toContain(field);
    }
    expect(await outcomeCount(t.app.db)).toBe(before);
  });

  it('property: any since that is not 1–20 digits is refused; any that is, answered', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 24 }), async (since) => {
        const response = await poll(t, siuss, `since=${encodeURIComponent(since)}&limit=1`);
        expect(response.statusCode).toBe(/^[0-9]{1,20}$/.test(since) ? 200 : 400);
      }),
      { numRuns: 60 },
    );
    await fc.assert(
      fc.asyncProperty(fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }), async (since) => {
        expect((await poll(t, siuss, `since=${since}&limit=1`)).statusCode).toBe(200);
      }),
      { numRuns: 30 },
    );
  });

  it('property: an outcome with any one required field broken or missing writes nothing', async () => {
    const required = ['id_flusso', 'tipo', 'ts_flusso', 'ts_acquisizione', 'codice_esito'] as const;
    const before = await outcomeCount(t.app.db);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...required),
        fc.oneof(
          fc.constant(undefined),
          fc.integer(),
          fc.constant(null),
          fc.string().filter((s) => !/^\d{4}-\d\d-\d\dT/.test(s)),
        ),
        async (field, value) => {
          const broken = { ...esiti().elenco_esiti[0]!, [field]: value };
          // A string is still a valid id_flusso or tipo (the yaml types them as plain strings).
          if ((field === 'id_flusso' || field === 'tipo') && typeof value === 'string') return;
          const response = await postEsiti(siuss, { elenco_esiti: [esiti().elenco_esiti[1], broken] });
          expect(response.statusCode).toBe(400);
          expect(response.json().detail).toContain(field);
        },
      ),
      { numRuns: 60 },
    );
    expect(await outcomeCount(t.app.db)).toBe(before);
  });
});
