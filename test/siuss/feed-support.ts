import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import {
  assessments,
  assignments,
  cases,
  citizens,
  interventions,
  services,
  siussFlows,
  siussOutcomes,
} from '../../src/db/schema/index.js';
import type { Database } from '../../src/platform/database.js';
import { recordSiussFlows, type InterventionChange } from '../../src/modules/siuss/siuss.flows.js';
import { validateWaasResponse } from '../../src/modules/siuss/siuss.openapi.js';
import type {
  SinaAssessmentData,
  SinbaAssessmentData,
} from '../../src/modules/siuss/siuss.assessment-data.js';
import type { TestApp } from '../helpers/app.js';
import type { OrgWorld, World } from '../helpers/world.js';

/** Data for the SIUSS feed suites, written straight to the database (the interventions API is another module's). */

export const pseudonymSecret = 'siuss-test-pseudonym-secret-0123456789abcdef';
export const siussEnv = { SIUSS_PSEUDONYM_SECRET: pseudonymSecret };
export const operatorTaxCode = 'VRDLGU62T10L219P';

let serial = 0;

export async function insertService(
  db: Database,
  org: OrgWorld,
  values: Partial<typeof services.$inferInsert> = {},
): Promise<string> {
  const [row] = await db
    .insert(services)
    .values({
      organisationId: org.id,
      name: 'Assistenza domiciliare',
      description: 'Aiuto a casa',
      siussCode: 'A1.01',
      periodic: true,
      ...values,
    })
    .returning({ id: services.id });
  return row!.id;
}

export interface InterventionSeed extends Partial<typeof interventions.$inferInsert> {
  caseId: string;
  serviceId: string;
}

export async function insertIntervention(
  db: Database,
  org: OrgWorld,
  values: InterventionSeed,
): Promise<string> {
  const [row] = await db
    .insert(interventions)
    .values({
      organisationId: org.id,
      status: 'active',
      plannedStart: '2026-02-01',
      amountMonthly: '150.00',
      createdBy: org.staff.socialWorker.id,
      ...values,
    })
    .returning({ id: interventions.id });
  return row!.id;
}

export async function changeIntervention(
  db: Database,
  id: string,
  changes: Partial<typeof interventions.$inferInsert>,
) {
  await db
    .update(interventions)
    .set(changes)
    .where(sql`${interventions.id} = ${id}`);
}

/** What the interventions module does inside its transactions. */
export async function record(db: Database, interventionId: string, change: InterventionChange = 'created') {
  await db.transaction((tx) => recordSiussFlows(tx, interventionId, change));
}

export const sinbaData: SinbaAssessmentData = {
  familyComposition: ['1', '3'],
  unaccompaniedForeignMinor: false,
  minorCondition: '1',
  livingPlace: '1',
  school: '5',
  workCondition: '1',
  disability: false,
  mother: { citizenshipCode: '642', residenceRegionCode: '03', education: '5', occupation: '1' },
  referralSource: '13',
  minorAssessment: '2',
  familyAssessment: '12',
  reportedToJudicialAuthority: false,
  iseeHouseholdSize: 3,
  isee: '7500.00',
};

export const sinaData: SinaAssessmentData = {
  neededBenefitCodes: ['A2.17'],
  mobility: '2',
  dailyLivingActivities: '2',
  behaviouralDisorders: '1',
  incomeSituation: '2',
  supportNetwork: '1',
  assessmentSource: '2',
  assessmentInstrument: '7',
};

export interface CaseSeed {
  citizen?: Partial<typeof citizens.$inferInsert>;
  case?: Partial<typeof cases.$inferInsert>;
  sina?: SinaAssessmentData | Record<string, unknown>;
  sinba?: SinbaAssessmentData | Record<string, unknown>;
}

/** A citizen with an in_charge case of team "minori" in organisation `org`, managed by its socialWorker. */
export async function insertCase(
  db: Database,
  org: OrgWorld,
  seed: CaseSeed = {},
): Promise<{ caseId: string; citizenId: string; fiscalCode: string }> {
  const fiscalCode = seed.citizen?.fiscalCode ?? `${String(++serial).padStart(11, '0')}`;
  const [citizen] = await db
    .insert(citizens)
    .values({
      organisationId: org.id,
      fiscalCode,
      givenName: 'Ana',
      familyName: 'Popescu',
      sex: 'F',
      birthDate: '2016-06-15',
      birthPlace: 'Z129',
      citizenship: '235',
      residence: { municipality: 'F205', street: 'Via Padova 10' },
      ...seed.citizen,
    })
    .returning({ id: citizens.id });
  const caseId = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cases)
      .values({
        organisationId: org.id,
        citizenId: citizen!.id,
        teamId: org.teams.minori,
        userArea: 'family_minors',
        siussArea: 1,
        referralSource: 'school',
        referralDate: '2025-09-10',
        complexity: 2,
        status: 'in_charge',
        takenInChargeAt: new Date(),
        createdBy: org.staff.socialWorker.id,
        ...seed.case,
      })
      .returning({ id: cases.id });
    await tx.insert(assignments).values({
      organisationId: org.id,
      caseId: row!.id,
      staffId: org.staff.socialWorker.id,
      role: 'case_manager',
      createdBy: org.staff.coordinator.id,
    });
    return row!.id;
  });
  if (seed.sina || seed.sinba) {
    await db.insert(assessments).values({
      organisationId: org.id,
      caseId,
      assessedOn: '2026-01-20',
      instrument: 'colloquio',
      source: 'cartella sociale',
      sina: seed.sina ?? null,
      sinba: seed.sinba ?? null,
      authorId: org.staff.socialWorker.id,
    });
  }
  return { caseId, citizenId: citizen!.id, fiscalCode };
}

/** The world's adult (organisation A, family case) as a PS-only beneficiary. */
export const worldCase = (w: World) => ({ caseId: w.caseId, citizenId: w.citizenId });

export async function configureOperator(t: TestApp, org: OrgWorld, subject = org.staff.admin.subject) {
  const r = await t.as(subject, {
    method: 'PUT',
    url: `/v1/organisations/${org.id}/siuss-settings`,
    payload: { operatorTaxCode },
  });
  expect(r.statusCode).toBe(200);
}

export interface WaasEntry {
  codice_ente: string;
  denominazione_ente: string;
  id_flusso: string;
  tipo: 'PS_PSA_SINA' | 'SINBA';
  ts_flusso: string;
  flusso: string;
}

/** GET /waas/v1/flussi as `subject`, checked against INPS's api-comuni.yaml whatever the status. */
export async function poll(t: TestApp, subject: string | null, query: string) {
  const response = await t.as(subject, { method: 'GET', url: `/waas/v1/flussi?${query}` });
  expectWaasConformant('GET', '/waas/v1/flussi', response);
  return response;
}

export async function pollEntries(t: TestApp, subject: string, query: string): Promise<WaasEntry[]> {
  const response = await poll(t, subject, query);
  expect(response.statusCode).toBe(200);
  return response.json().elenco_flussi;
}

/** Every WaaS answer must match the yaml: documented statuses by their response, others by its Problem. */
export function expectWaasConformant(
  method: string,
  path: string,
  response: { statusCode: number; body: string; headers: Record<string, unknown> },
) {
  const contentType = response.headers['content-type'] as string | undefined;
  const body = response.body === '' ? undefined : JSON.parse(response.body);
  const documented = validateWaasResponse(method, path, response.statusCode, body, contentType);
  if (documented.errors.some((e) => e.startsWith('status '))) {
    // /flussi documents 400, 404 and 500 only; its 401/403/429/503 answers use the yaml's Problem schema.
    const asProblem = validateWaasResponse('GET', '/waas/v1/status', 200, body, contentType);
    expect(asProblem.errors).toEqual([]);
    expect(contentType).toMatch(/^application\/problem\+json/);
  } else {
    expect(documented.errors).toEqual([]);
  }
}

export const tsMs = (entry: WaasEntry) => Date.parse(entry.ts_flusso);
export const xmlOf = (entry: WaasEntry) => Buffer.from(entry.flusso, 'base64').toString('utf8');

export async function flowRows(db: Database, interventionId: string) {
  return db
    .select()
    .from(siussFlows)
    .where(sql`${siussFlows.interventionId} = ${interventionId}`)
    .orderBy(siussFlows.kind);
}

export async function outcomeCount(db: Database): Promise<number> {
  const { rows } = await db.execute<{ n: string }>(sql`select count(*) as n from ${siussOutcomes}`);
  return Number(rows[0]!.n);
}
