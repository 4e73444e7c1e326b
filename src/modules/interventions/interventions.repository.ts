import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { caseScope } from '../../access/case-scope.js';
import { cases, interventions, interventionStatusChanges, services } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import type { InterventionStatus } from '../../shared/domain.js';
import { afterCursor } from '../../shared/pagination.js';

export type InterventionValues = typeof interventions.$inferInsert;

const columns = {
  id: interventions.id,
  caseId: interventions.caseId,
  serviceId: interventions.serviceId,
  serviceName: services.name,
  siussCode: services.siussCode,
  periodic: services.periodic,
  status: interventions.status,
  plannedStart: interventions.plannedStart,
  plannedEnd: interventions.plannedEnd,
  actualStart: interventions.actualStart,
  actualEnd: interventions.actualEnd,
  provider: interventions.provider,
  monthlyHours: interventions.monthlyHours,
  amountTotal: interventions.amountTotal,
  amountMonthly: interventions.amountMonthly,
  shareOrganisation: interventions.shareOrganisation,
  shareUser: interventions.shareUser,
  shareHealthService: interventions.shareHealthService,
  iseeThreshold: interventions.iseeThreshold,
  dsuProtocol: interventions.dsuProtocol,
  dsuDate: interventions.dsuDate,
  createdBy: interventions.createdBy,
  createdAt: interventions.createdAt,
  updatedAt: interventions.updatedAt,
  version: interventions.version,
};

export async function insertIntervention(db: DbHandle, values: InterventionValues) {
  const [row] = await db.insert(interventions).values(values).returning({ id: interventions.id });
  return row!.id;
}

/** Which case an intervention belongs to, so that the case's access rule can decide about it. */
export async function caseOfIntervention(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select({ caseId: interventions.caseId })
    .from(interventions)
    .where(and(eq(interventions.id, id), eq(interventions.organisationId, organisationId)));
  return row?.caseId;
}

export async function findIntervention(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select(columns)
    .from(interventions)
    .innerJoin(services, eq(services.id, interventions.serviceId))
    .where(and(eq(interventions.id, id), eq(interventions.organisationId, organisationId)));
  return row;
}

/** The case's interventions, newest first; the join repeats the case scope so the database enforces it too. */
export async function listInterventions(
  db: DbHandle,
  actor: Actor,
  filter: {
    organisationId: string;
    caseId: string;
    status?: InterventionStatus;
    cursor?: string;
    limit: number;
  },
) {
  const conditions: (SQL | undefined)[] = [
    eq(interventions.organisationId, filter.organisationId),
    eq(interventions.caseId, filter.caseId),
    filter.status ? eq(interventions.status, filter.status) : undefined,
    afterCursor(interventions.createdAt, interventions.id, filter.cursor),
  ];
  return db
    .select(columns)
    .from(interventions)
    .innerJoin(cases, and(eq(cases.id, interventions.caseId), caseScope(actor, 'read')))
    .innerJoin(services, eq(services.id, interventions.serviceId))
    .where(and(...conditions))
    .orderBy(desc(interventions.createdAt), desc(interventions.id))
    .limit(filter.limit + 1);
}

export async function updateIntervention(
  db: DbHandle,
  organisationId: string,
  id: string,
  expectedVersion: number,
  changes: Partial<InterventionValues>,
) {
  const [row] = await db
    .update(interventions)
    .set({ ...changes, updatedAt: new Date(), version: sql`${interventions.version} + 1` })
    .where(
      and(
        eq(interventions.id, id),
        eq(interventions.organisationId, organisationId),
        eq(interventions.version, expectedVersion),
      ),
    )
    .returning({ id: interventions.id });
  return row;
}

export async function insertStatusChange(
  db: DbHandle,
  values: typeof interventionStatusChanges.$inferInsert,
) {
  await db.insert(interventionStatusChanges).values(values);
}

/** The whole history, oldest first: an intervention has a handful of changes, so it is not paginated. */
export async function listStatusChanges(db: DbHandle, interventionId: string) {
  return db
    .select({
      id: interventionStatusChanges.id,
      fromStatus: interventionStatusChanges.fromStatus,
      toStatus: interventionStatusChanges.toStatus,
      reason: interventionStatusChanges.reason,
      changedBy: interventionStatusChanges.changedBy,
      changedAt: interventionStatusChanges.changedAt,
    })
    .from(interventionStatusChanges)
    .where(eq(interventionStatusChanges.interventionId, interventionId))
    .orderBy(asc(interventionStatusChanges.changedAt), asc(interventionStatusChanges.id));
}
