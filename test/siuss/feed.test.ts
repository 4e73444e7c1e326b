import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, siussFlows } from '../../src/db/schema/index.js';
import { flowIdDate, parseFlowId } from '../../src/modules/siuss/siuss.flow-id.js';
import { organisationPseudonymKey, sinbaBeneficiaryId } from '../../src/modules/siuss/siuss.pseudonym.js';
import { sinbaAgeBand } from '../../src/modules/siuss/siuss.sinba-bands.js';
import { validateFlowXml } from '../../src/modules/siuss/siuss.xsd.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import {
  changeIntervention,
  configureOperator,
  flowRows,
  insertCase,
  insertIntervention,
  insertService,
  pollEntries,
  pseudonymSecret,
  record,
  siussEnv,
  sinaData,
  sinbaData,
  tsMs,
  xmlOf,
  type WaasEntry,
} from './feed-support.js';

/**
 * Issue 9, part 1: interventions become PS/PSA/SINA and SINBA flows that validate against INPS's XSDs, and
 * INPS's poller sees each change once, in ts_flusso order, with no gaps or repeats at page boundaries.
 */
let t: TestApp;
let w: World;
let siuss: string;
let serviceId: string;

beforeAll(async () => {
  t = await buildTestApp({ env: siussEnv });
  w = await seedWorld(t.app.db);
  siuss = w.a.clients.siuss.subject;
  await configureOperator(t, w.a);
  serviceId = await insertService(t.app.db, w.a);
});
afterAll(async () => t?.close());

/** Polls from `since` with `limit` until the answer is empty, as INPS does; checks each page. */
async function drain(since: number, limit: number): Promise<WaasEntry[]> {
  const seen: WaasEntry[] = [];
  for (let cursor = since; ;) {
    const page = await pollEntries(t, siuss, `since=${cursor}&limit=${limit}`);
    expect(page.length).toBeLessThanOrEqual(limit);
    if (page.length === 0) return seen;
    seen.push(...page);
    cursor = tsMs(page.at(-1)!);
  }
}

const attribute = (xml: string, name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(xml)?.[1];

describe('flows of an intervention', () => {
  it('an active periodic intervention of an adult yields one PS flow that validates against PS_PSA_SINA201812.xsd', async () => {
    const before = await pollEntries(t, siuss, 'since=0&limit=100');
    const id = await insertIntervention(t.app.db, w.a, {
      caseId: w.caseId,
      serviceId,
      shareOrganisation: '120.00',
      shareUser: '30.00',
    });
    await record(t.app.db, id);

    const after = await pollEntries(t, siuss, 'since=0&limit=100');
    expect(after).toHaveLength(before.length + 1);
    const entry = after.at(-1)!;
    expect(entry).toMatchObject({ codice_ente: 'F205', denominazione_ente: 'Comune a', tipo: 'PS_PSA_SINA' });
    expect(parseFlowId(entry.id_flusso)).toEqual({
      enteCode: 'F205',
      kind: 'PS_PSA_SINA',
      date: flowIdDate(new Date()),
      progressive: expect.any(Number),
    });
    const xml = xmlOf(entry);
    expect(validateFlowXml('PS_PSA_SINA', xml)).toEqual({ valid: true, errors: [] });
    // The world's citizen: Mario Rossi, born 1980, Italian (ISTAT 100 → ISO 380), living in Milano (F205).
    expect(attribute(xml, 'CodiceFiscale')).toBe('RSSMRA80A01F205X');
    expect(attribute(xml, 'Cognome')).toBe('Rossi');
    expect(attribute(xml, 'AnnoNascita')).toBe('1980');
    expect(attribute(xml, 'CodiceCittadinanza')).toBe('380');
    expect(attribute(xml, 'CodiceComune')).toBe('015146');
    expect(attribute(xml, 'CodiceRegione')).toBe('03');
    expect(attribute(xml, 'TipoOperazione')).toBe('I');
    expect(attribute(xml, 'ImportoMensile')).toBe('150.00');
    expect(attribute(xml, 'DataInizioPrestazione')).toBe('2026-02-01');
    expect(attribute(xml, 'ProtocolloDomanda')).toBe(id.replaceAll('-', ''));
    expect(attribute(xml, 'CFOperatore')).toBe('VRDLGU62T10L219P');
    expect(attribute(xml, 'Nome')).toBe(entry.id_flusso);
    // The world's citizen is an adult: no SINBA flow although the case is a family one.
    expect((await flowRows(t.app.db, id)).map((f) => f.kind)).toEqual(['PS_PSA_SINA']);
  });

  it('a requested or waitlisted intervention yields nothing yet (SIUSS records benefits granted)', async () => {
    for (const status of ['requested', 'waitlisted'] as const) {
      const id = await insertIntervention(t.app.db, w.a, { caseId: w.caseId, serviceId, status });
      await record(t.app.db, id);
      expect(await flowRows(t.app.db, id)).toEqual([]);
    }
  });

  it('a child of a family case yields a PS flow and a pseudonymous SINBA flow, both valid', async () => {
    const child = await insertCase(t.app.db, w.a, { sinba: sinbaData });
    const id = await insertIntervention(t.app.db, w.a, { caseId: child.caseId, serviceId });
    await record(t.app.db, id);

    const rows = await flowRows(t.app.db, id);
    expect(rows.map((f) => f.kind)).toEqual(['PS_PSA_SINA', 'SINBA']);
    const entries = (await pollEntries(t, siuss, 'since=0&limit=100')).filter((e) =>
      rows.some((r) => r.flowId === e.id_flusso),
    );
    const ps = xmlOf(entries.find((e) => e.tipo === 'PS_PSA_SINA')!);
    const sinba = xmlOf(entries.find((e) => e.tipo === 'SINBA')!);
    expect(validateFlowXml('PS_PSA_SINA', ps).errors).toEqual([]);
    expect(validateFlowXml('SINBA', sinba).errors).toEqual([]);
    expect(parseFlowId(entries.find((e) => e.tipo === 'SINBA')!.id_flusso)?.kind).toBe('SINBA');

    // PS: Romanian citizenship, ISTAT 235 → ISO 642.
    expect(attribute(ps, 'CodiceCittadinanza')).toBe('642');
    // SINBA: who the child is stays out; the pseudonym is the organisation's HMAC of the codice fiscale.
    const key = organisationPseudonymKey(pseudonymSecret, w.a.id);
    expect(attribute(sinba, 'IDBeneficiario')).toBe(sinbaBeneficiaryId(key, child.fiscalCode));
    expect(sinba).not.toContain(child.fiscalCode);
    expect(sinba).not.toContain('Popescu');
    expect(sinba).not.toContain('2016-06-15');
    expect(attribute(sinba, 'AnnoNascita')).toBe('2016');
    expect(attribute(sinba, 'FasciaEtaBeneficiario')).toBe(
      sinbaAgeBand('2016-06-15', flowIdDate(new Date())),
    );
    expect(attribute(sinba, 'FasciaISEEBeneficiario')).toBe('4'); // 7 500 € is in (6 000, 9 000]
    expect(attribute(sinba, 'DataPrimaSegnalazione')).toBe('09/2025');
    expect(attribute(sinba, 'CodiceRegioneResidenza')).toBe('03');
    expect(attribute(sinba, 'CodiceNazioneResidenza')).toBe('380');
    expect(attribute(sinba, 'ProvvedimentoGiudiziario')).toBe('2');
    expect(sinba).toMatch(/<CodicePrestazione>A1\.01<\/CodicePrestazione>/);
  });

  it('the same child keeps the same SINBA pseudonym across interventions', async () => {
    const child = await insertCase(t.app.db, w.a, { sinba: sinbaData });
    const ids = [
      await insertIntervention(t.app.db, w.a, { caseId: child.caseId, serviceId }),
      await insertIntervention(t.app.db, w.a, { caseId: child.caseId, serviceId }),
    ];
    for (const id of ids) await record(t.app.db, id);
    const pseudonyms = await Promise.all(
      ids.map(async (id) =>
        attribute(
          (await flowRows(t.app.db, id)).find((f) => f.kind === 'SINBA')!.document!,
          'IDBeneficiario',
        ),
      ),
    );
    expect(pseudonyms[0]).toMatch(/^[A-Z2-7]{20}$/);
    expect(pseudonyms[1]).toBe(pseudonyms[0]);
  });

  it('the SINA block is written where an assessment with SINA data exists', async () => {
    const elder = await insertCase(t.app.db, w.a, {
      citizen: { birthDate: '1940-03-02', citizenship: '100', birthPlace: 'H501' },
      case: { userArea: 'elderly', siussArea: 2, teamId: w.a.teams.anziani },
      sina: sinaData,
    });
    const id = await insertIntervention(t.app.db, w.a, { caseId: elder.caseId, serviceId });
    await record(t.app.db, id);
    const [ps] = await flowRows(t.app.db, id);
    expect(validateFlowXml('PS_PSA_SINA', ps!.document!).errors).toEqual([]);
    expect(ps!.document).toMatch(/<SINA [^>]*StrumentoValutazione="7"/);
    expect(ps!.document).toMatch(/<CodicePrestazione>A2\.17<\/CodicePrestazione>/);
    expect(attribute(ps!.document!, 'AreaUtenza')).toBe('2');
  });

  it('a one-off benefit carries its delivery date and amount', async () => {
    const oneOff = await insertService(t.app.db, w.a, {
      name: 'Contributo economico una tantum',
      siussCode: 'A3.02',
      periodic: false,
      meansTestType: 1,
    });
    const id = await insertIntervention(t.app.db, w.a, {
      caseId: w.caseId,
      serviceId: oneOff,
      status: 'ended',
      actualStart: '2026-03-05',
      amountTotal: '400.00',
      amountMonthly: null,
    });
    await record(t.app.db, id);
    const [ps] = await flowRows(t.app.db, id);
    expect(validateFlowXml('PS_PSA_SINA', ps!.document!).errors).toEqual([]);
    expect(attribute(ps!.document!, 'CaratterePrestazione')).toBe('2');
    expect(attribute(ps!.document!, 'DataErogazionePrestazione')).toBe('2026-03-05');
    expect(attribute(ps!.document!, 'ImportoPrestazione')).toBe('400.00');
    expect(attribute(ps!.document!, 'PresenzaProvaMezzi')).toBe('1');
  });
});

describe('changes re-issue the same id_flusso with a later ts_flusso', () => {
  it('a flow changed twice is served once, in its latest state, and again to a poller past its first version', async () => {
    const id = await insertIntervention(t.app.db, w.a, { caseId: w.caseId, serviceId });
    await record(t.app.db, id);
    const [first] = await flowRows(t.app.db, id);

    await changeIntervention(t.app.db, id, { amountMonthly: '175.00' });
    await record(t.app.db, id, 'updated');
    await changeIntervention(t.app.db, id, { amountMonthly: '180.50' });
    await record(t.app.db, id, 'updated');
    const [latest] = await flowRows(t.app.db, id);
    expect(latest!.flowId).toBe(first!.flowId);
    expect(latest!.tsFlusso).toBeGreaterThan(first!.tsFlusso!);

    const all = (await drain(0, 100)).filter((e) => e.id_flusso === first!.flowId);
    expect(all).toHaveLength(1);
    expect(tsMs(all[0]!)).toBe(latest!.tsFlusso);
    expect(attribute(xmlOf(all[0]!), 'ImportoMensile')).toBe('180.50');
    // A poller that acquired the first version sees the change after it.
    const again = (await drain(first!.tsFlusso!, 100)).filter((e) => e.id_flusso === first!.flowId);
    expect(again.map((e) => attribute(xmlOf(e), 'ImportoMensile'))).toEqual(['180.50']);
  });

  it('a change that leaves the document identical is not re-issued', async () => {
    const id = await insertIntervention(t.app.db, w.a, { caseId: w.caseId, serviceId });
    await record(t.app.db, id);
    const [before] = await flowRows(t.app.db, id);
    await changeIntervention(t.app.db, id, { provider: 'Cooperativa Sole' });
    await record(t.app.db, id, 'updated');
    const [after] = await flowRows(t.app.db, id);
    expect(after!.tsFlusso).toBe(before!.tsFlusso);
  });

  it('a cancellation re-issues the PS flow with TipoOperazione C and leaves SINBA alone', async () => {
    const child = await insertCase(t.app.db, w.a, { sinba: sinbaData });
    const id = await insertIntervention(t.app.db, w.a, { caseId: child.caseId, serviceId });
    await record(t.app.db, id);
    const [ps, sinba] = await flowRows(t.app.db, id);
    await record(t.app.db, id, 'cancelled');
    const [psAfter, sinbaAfter] = await flowRows(t.app.db, id);
    expect(psAfter!.flowId).toBe(ps!.flowId);
    expect(psAfter!.tsFlusso).toBeGreaterThan(ps!.tsFlusso!);
    expect(attribute(psAfter!.document!, 'TipoOperazione')).toBe('C');
    expect(validateFlowXml('PS_PSA_SINA', psAfter!.document!).errors).toEqual([]);
    expect(sinbaAfter).toEqual(sinba);
  });

  it('cancelling an intervention that never reached INPS writes nothing', async () => {
    const id = await insertIntervention(t.app.db, w.a, { caseId: w.caseId, serviceId, status: 'requested' });
    await record(t.app.db, id, 'cancelled');
    expect(await flowRows(t.app.db, id)).toEqual([]);
  });
});

describe('polling semantics (GET /waas/v1/flussi)', () => {
  it('pages with limit, in strictly increasing ts_flusso, each flow once; since at a boundary excludes that flow', async () => {
    const ids = [];
    for (let i = 0; i < 7; i++)
      ids.push(
        await insertIntervention(t.app.db, w.a, {
          caseId: w.caseId,
          serviceId,
          amountMonthly: `${100 + i}.00`,
        }),
      );
    for (const id of ids) await record(t.app.db, id);

    const whole = await drain(0, 100);
    const paged = await drain(0, 3);
    expect(paged.map((e) => e.id_flusso)).toEqual(whole.map((e) => e.id_flusso));
    expect(new Set(paged.map((e) => e.id_flusso)).size).toBe(paged.length);
    const times = paged.map(tsMs);
    expect(times.every((ts, i) => i === 0 || ts > times[i - 1]!)).toBe(true);

    const boundary = tsMs(whole.at(-3)!);
    const fromBoundary = await pollEntries(t, siuss, `since=${boundary}&limit=100`);
    expect(fromBoundary.map((e) => e.id_flusso)).toEqual(whole.slice(-2).map((e) => e.id_flusso));
    const justBefore = await pollEntries(t, siuss, `since=${boundary - 1}&limit=100`);
    expect(justBefore.map((e) => e.id_flusso)).toEqual(whole.slice(-3).map((e) => e.id_flusso));
  });

  it('the default page is 10 entries, max_entries (the PDF’s example) is honoured, limit=0 answers none', async () => {
    const total = (await drain(0, 100)).length;
    expect(total).toBeGreaterThan(10);
    expect(await pollEntries(t, siuss, 'since=0')).toHaveLength(10);
    expect(await pollEntries(t, siuss, 'since=0&max_entries=4')).toHaveLength(4);
    expect(await pollEntries(t, siuss, 'since=0&limit=0')).toEqual([]);
  });

  it('no update after since: an empty elenco_flussi; a since beyond any timestamp is fine', async () => {
    const last = (await drain(0, 100)).at(-1)!;
    const response = await t.as(siuss, { method: 'GET', url: `/waas/v1/flussi?since=${tsMs(last)}` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ elenco_flussi: [] });
    expect(await pollEntries(t, siuss, 'since=99999999999999999999')).toEqual([]);
  });

  it('concurrent changes get distinct, increasing timestamps and distinct daily numbers', async () => {
    const ids = [];
    for (let i = 0; i < 8; i++)
      ids.push(
        await insertIntervention(t.app.db, w.a, {
          caseId: w.caseId,
          serviceId,
          amountMonthly: `${300 + i}.00`,
        }),
      );
    await Promise.all(ids.map((id) => record(t.app.db, id)));
    const rows = await t.app.db
      .select()
      .from(siussFlows)
      .where(sql`${siussFlows.organisationId} = ${w.a.id}`);
    const times = rows.map((r) => r.tsFlusso);
    expect(new Set(times).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.flowId)).size).toBe(rows.length);
  });

  it('another organisation’s siuss client sees none of A’s flows', async () => {
    expect((await drain(0, 100)).length).toBeGreaterThan(0);
    expect(await pollEntries(t, w.b.clients.siuss.subject, 'since=0&limit=100')).toEqual([]);
  });

  it('reading flows is audited with the ids returned and the citizens concerned', async () => {
    const page = await pollEntries(t, siuss, 'since=0&limit=2');
    await t.app.auditWriter.idle();
    const [event] = await t.app.db
      .select()
      .from(auditEvents)
      .where(
        sql`${auditEvents.action} = 'siuss.flows.read' and ${auditEvents.actorId} = ${w.a.clients.siuss.id}`,
      )
      .orderBy(sql`${auditEvents.seq} desc`)
      .limit(1);
    const details = event!.details as { returnedIds: string[]; citizenIds: string[] };
    const rows = await t.app.db
      .select()
      .from(siussFlows)
      .where(sql`${siussFlows.flowId} in ${page.map((e) => e.id_flusso)}`);
    expect(details.returnedIds.sort()).toEqual(rows.map((r) => r.id).sort());
    expect(details.citizenIds).toContain(w.citizenId);
    expect(JSON.stringify(event)).not.toContain('Rossi');
  });
});

describe('through the interventions API (the module calls recordSiussFlows in its transactions)', () => {
  it('POST creates the flow, PATCH re-issues it with the same id_flusso; a requested one yields none', async () => {
    const worker = w.a.staff.socialWorker.subject;
    const created = await t.as(worker, {
      method: 'POST',
      url: `/v1/cases/${w.caseId}/interventions`,
      payload: {
        serviceId,
        status: 'active',
        plannedStart: '2026-04-01',
        actualStart: '2026-04-01',
        amountMonthly: '90.00',
      },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as string;
    const [first] = await flowRows(t.app.db, id);
    expect(first).toMatchObject({ kind: 'PS_PSA_SINA', problems: null });
    const served = (await drain(0, 100)).find((e) => e.id_flusso === first!.flowId)!;
    expect(attribute(xmlOf(served), 'ImportoMensile')).toBe('90.00');

    const patched = await t.as(worker, {
      method: 'PATCH',
      url: `/v1/interventions/${id}`,
      headers: { 'if-match': created.headers.etag as string },
      payload: { amountMonthly: '95.00' },
    });
    expect(patched.statusCode).toBe(200);
    const after = (await drain(first!.tsFlusso!, 100)).filter((e) => e.id_flusso === first!.flowId);
    expect(after.map((e) => attribute(xmlOf(e), 'ImportoMensile'))).toEqual(['95.00']);

    const requested = await t.as(worker, {
      method: 'POST',
      url: `/v1/cases/${w.caseId}/interventions`,
      payload: { serviceId, status: 'requested', plannedStart: '2026-04-01' },
    });
    expect(requested.statusCode).toBe(201);
    expect(await flowRows(t.app.db, requested.json().id)).toEqual([]);
  });
});
