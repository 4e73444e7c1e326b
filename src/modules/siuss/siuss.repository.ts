import { and, asc, desc, eq, gt, inArray, isNotNull, or, sql, type SQL } from 'drizzle-orm';
import {
  assessments,
  cases,
  citizens,
  interventions,
  organisations,
  services,
  siussFlowCounters,
  siussFlows,
  siussOutcomes,
  siussSettings,
} from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { afterCursor } from '../../shared/pagination.js';
import type { InterventionSnapshot } from './siuss.flow-inputs.js';
import type { FlowKind } from './siuss.primitives.js';

/** The latest assessment of the case that carries `column` (by assessment date, then entry time). */
const latestAssessment = (column: typeof assessments.sina | typeof assessments.sinba) =>
  sql<unknown>`(select ${column} from ${assessments} where ${assessments.caseId} = ${cases.id} and ${column} is not null
    order by ${assessments.assessedOn} desc, ${assessments.createdAt} desc limit 1)`;

export async function findSnapshot(
  db: DbHandle,
  interventionId: string,
): Promise<InterventionSnapshot | undefined> {
  const [row] = await db
    .select({
      intervention: {
        id: interventions.id,
        status: interventions.status,
        plannedStart: interventions.plannedStart,
        plannedEnd: interventions.plannedEnd,
        actualStart: interventions.actualStart,
        actualEnd: interventions.actualEnd,
        monthlyHours: interventions.monthlyHours,
        amountTotal: interventions.amountTotal,
        amountMonthly: interventions.amountMonthly,
        shareOrganisation: interventions.shareOrganisation,
        shareUser: interventions.shareUser,
        shareHealthService: interventions.shareHealthService,
        iseeThreshold: interventions.iseeThreshold,
        dsuProtocol: interventions.dsuProtocol,
        dsuDate: interventions.dsuDate,
      },
      service: {
        name: services.name,
        siussCode: services.siussCode,
        periodic: services.periodic,
        meansTestType: services.meansTestType,
      },
      case: {
        status: cases.status,
        userArea: cases.userArea,
        siussArea: cases.siussArea,
        referralDate: cases.referralDate,
        judicialMeasure: cases.judicialMeasure,
      },
      citizen: {
        fiscalCode: citizens.fiscalCode,
        givenName: citizens.givenName,
        familyName: citizens.familyName,
        sex: citizens.sex,
        birthDate: citizens.birthDate,
        birthPlace: citizens.birthPlace,
        citizenship: citizens.citizenship,
        residence: citizens.residence,
      },
      organisation: {
        id: organisations.id,
        name: organisations.name,
        belfioreCode: organisations.belfioreCode,
        operatorTaxCode: siussSettings.operatorTaxCode,
      },
      sina: latestAssessment(assessments.sina),
      sinba: latestAssessment(assessments.sinba),
    })
    .from(interventions)
    .innerJoin(services, eq(services.id, interventions.serviceId))
    .innerJoin(cases, eq(cases.id, interventions.caseId))
    .innerJoin(citizens, eq(citizens.id, cases.citizenId))
    .innerJoin(organisations, eq(organisations.id, interventions.organisationId))
    .leftJoin(siussSettings, eq(siussSettings.organisationId, organisations.id))
    .where(eq(interventions.id, interventionId));
  return row;
}

export async function findFlow(db: DbHandle, interventionId: string, kind: FlowKind) {
  const [row] = await db
    .select({ id: siussFlows.id, flowId: siussFlows.flowId, document: siussFlows.document })
    .from(siussFlows)
    .where(and(eq(siussFlows.interventionId, interventionId), eq(siussFlows.kind, kind)))
    .for('update');
  return row;
}

/** The next daily progressive number (NNNNNNN of id_flusso), counted in the caller's transaction. */
export async function nextProgressive(tx: DbHandle, organisationId: string, day: string): Promise<number> {
  const [row] = await tx
    .insert(siussFlowCounters)
    .values({ organisationId, day, last: 1 })
    .onConflictDoUpdate({
      target: [siussFlowCounters.organisationId, siussFlowCounters.day],
      set: { last: sql`${siussFlowCounters.last} + 1` },
    })
    .returning({ last: siussFlowCounters.last });
  return row!.last;
}

// Advisory lock namespace of the SIUSS feed ("SIUS" in ASCII); the second key is the organisation.
const feedLockClass = 0x53495553;

/**
 * The next `ts_flusso` of an organisation: greatest(now in ms, last + 1), under a per-organisation
 * advisory lock held until commit. Flows therefore commit in `ts_flusso` order, so a poller that has seen
 * `ts` can never later find a flow with a smaller one — the guarantee `since` relies on.
 */
export async function nextFlowTimestamp(tx: DbHandle, organisationId: string): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(${feedLockClass}, hashtext(${organisationId}))`);
  const { rows } = await tx.execute<{ ts: string }>(sql`
    select greatest(floor(extract(epoch from clock_timestamp()) * 1000)::bigint, coalesce(max(${siussFlows.tsFlusso}), 0) + 1) as ts
    from ${siussFlows} where ${siussFlows.organisationId} = ${organisationId}`);
  return Number(rows[0]!.ts);
}

export async function savePublishedFlow(
  tx: DbHandle,
  values: {
    organisationId: string;
    interventionId: string;
    kind: FlowKind;
    flowId: string;
    tsFlusso: number;
    document: string;
  },
) {
  await tx
    .insert(siussFlows)
    .values({ ...values, problems: null })
    .onConflictDoUpdate({
      target: [siussFlows.interventionId, siussFlows.kind],
      set: {
        flowId: values.flowId,
        tsFlusso: values.tsFlusso,
        document: values.document,
        problems: null,
        updatedAt: new Date(),
      },
    });
}

/** Records why the latest change produced no flow; an earlier published version stays as INPS has it. */
export async function saveProblems(
  tx: DbHandle,
  values: { organisationId: string; interventionId: string; kind: FlowKind; problems: string[] },
) {
  await tx
    .insert(siussFlows)
    .values(values)
    .onConflictDoUpdate({
      target: [siussFlows.interventionId, siussFlows.kind],
      set: { problems: values.problems, updatedAt: new Date() },
    });
}

/** A change that needs no flow clears the problems of an earlier one (keeps nothing stale on screen). */
export async function clearProblems(tx: DbHandle, interventionId: string, kind: FlowKind) {
  await tx
    .update(siussFlows)
    .set({ problems: null, updatedAt: new Date() })
    .where(
      and(
        eq(siussFlows.interventionId, interventionId),
        eq(siussFlows.kind, kind),
        isNotNull(siussFlows.problems),
      ),
    );
}

/** GET /flussi: the organisation's published flows after `since`, oldest first. */
export async function flowsSince(db: DbHandle, organisationId: string, since: number, limit: number) {
  return db
    .select({
      id: siussFlows.id,
      flowId: siussFlows.flowId,
      kind: siussFlows.kind,
      tsFlusso: siussFlows.tsFlusso,
      document: siussFlows.document,
      citizenId: cases.citizenId,
      enteCode: organisations.belfioreCode,
      enteName: organisations.name,
    })
    .from(siussFlows)
    .innerJoin(organisations, eq(organisations.id, siussFlows.organisationId))
    .innerJoin(interventions, eq(interventions.id, siussFlows.interventionId))
    .innerJoin(cases, eq(cases.id, interventions.caseId))
    .where(and(eq(siussFlows.organisationId, organisationId), gt(siussFlows.tsFlusso, since)))
    .orderBy(asc(siussFlows.tsFlusso))
    .limit(limit);
}

export async function flowsByFlowIds(db: DbHandle, organisationId: string, flowIds: string[]) {
  if (flowIds.length === 0) return [];
  return db
    .select({ id: siussFlows.id, flowId: siussFlows.flowId, interventionId: siussFlows.interventionId })
    .from(siussFlows)
    .where(and(eq(siussFlows.organisationId, organisationId), inArray(siussFlows.flowId, flowIds)));
}

export type OutcomeValues = typeof siussOutcomes.$inferInsert;

/** Inserts the outcomes not stored yet (a repeated post inserts nothing); answers how many were new. */
export async function insertOutcomes(tx: DbHandle, values: OutcomeValues[]): Promise<number> {
  if (values.length === 0) return 0;
  const inserted = await tx
    .insert(siussOutcomes)
    .values(values)
    .onConflictDoNothing()
    .returning({ id: siussOutcomes.id });
  return inserted.length;
}

/** The latest outcome INPS gave for the flow's current version (its current ts_flusso). */
const currentOutcome = sql`lateral (
  select o.code, o.description, o.siuss_acquisition_id, o.acquired_at from ${siussOutcomes} o
  where o.siuss_flow_id = ${siussFlows.id} and o.ts_flusso = ${siussFlows.tsFlusso}
  order by o.acquired_at desc, o.created_at desc limit 1) as current_outcome`;

const flowColumns = {
  id: siussFlows.id,
  interventionId: siussFlows.interventionId,
  flowId: siussFlows.flowId,
  kind: siussFlows.kind,
  tsFlusso: siussFlows.tsFlusso,
  problems: siussFlows.problems,
  createdAt: siussFlows.createdAt,
  updatedAt: siussFlows.updatedAt,
  outcomeCode: sql<string | null>`current_outcome.code`,
  outcomeDescription: sql<string | null>`current_outcome.description`,
  siussAcquisitionId: sql<string | null>`current_outcome.siuss_acquisition_id`,
  acquiredAt: sql<Date | null>`current_outcome.acquired_at`.mapWith((value: string | Date | null) =>
    value === null ? null : new Date(value),
  ),
};

export type FlowRow = Awaited<ReturnType<typeof flowsOfIntervention>>[number];

export async function flowsOfIntervention(db: DbHandle, organisationId: string, interventionId: string) {
  return db
    .select(flowColumns)
    .from(siussFlows)
    .leftJoin(currentOutcome, sql`true`)
    .where(and(eq(siussFlows.organisationId, organisationId), eq(siussFlows.interventionId, interventionId)))
    .orderBy(asc(siussFlows.kind));
}

/** Flows whose latest change was not produced, or whose current version INPS did not accept. */
export async function rejectedFlows(
  db: DbHandle,
  organisationId: string,
  page: { cursor?: string; limit: number },
) {
  const conditions: (SQL | undefined)[] = [
    eq(siussFlows.organisationId, organisationId),
    or(isNotNull(siussFlows.problems), sql`current_outcome.code <> 'OK'`),
    afterCursor(siussFlows.createdAt, siussFlows.id, page.cursor),
  ];
  return db
    .select(flowColumns)
    .from(siussFlows)
    .leftJoin(currentOutcome, sql`true`)
    .where(and(...conditions))
    .orderBy(desc(siussFlows.createdAt), desc(siussFlows.id))
    .limit(page.limit + 1);
}

/** The case of an intervention of this organisation (for the case-scope check). */
export async function findInterventionCase(db: DbHandle, organisationId: string, interventionId: string) {
  const [row] = await db
    .select({ caseId: interventions.caseId })
    .from(interventions)
    .where(and(eq(interventions.id, interventionId), eq(interventions.organisationId, organisationId)));
  return row?.caseId;
}
