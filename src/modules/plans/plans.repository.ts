import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import { caseScope } from '../../access/case-scope.js';
import { cases, plans } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { afterCursor } from '../../shared/pagination.js';

export type PlanValues = typeof plans.$inferInsert;

const columns = {
  id: plans.id,
  caseId: plans.caseId,
  goals: plans.goals,
  startDate: plans.startDate,
  reviewDueDate: plans.reviewDueDate,
  responsibleStaffId: plans.responsibleStaffId,
  status: plans.status,
  createdBy: plans.createdBy,
  createdAt: plans.createdAt,
  updatedAt: plans.updatedAt,
  version: plans.version,
};

export async function insertPlan(db: DbHandle, values: PlanValues) {
  const [row] = await db.insert(plans).values(values).returning({ id: plans.id });
  return row!.id;
}

/** Which case a plan belongs to, so that the case's access rule can decide about it. */
export async function caseOfPlan(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select({ caseId: plans.caseId })
    .from(plans)
    .where(and(eq(plans.id, id), eq(plans.organisationId, organisationId)));
  return row?.caseId;
}

export async function findPlan(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select(columns)
    .from(plans)
    .where(and(eq(plans.id, id), eq(plans.organisationId, organisationId)));
  return row;
}

async function listScoped(
  db: DbHandle,
  scope: SQL,
  filter: { organisationId: string; where?: SQL; cursor?: string; limit: number },
) {
  return db
    .select(columns)
    .from(plans)
    .innerJoin(cases, and(eq(cases.id, plans.caseId), scope))
    .where(
      and(
        eq(plans.organisationId, filter.organisationId),
        filter.where,
        afterCursor(plans.createdAt, plans.id, filter.cursor),
      ),
    )
    .orderBy(desc(plans.createdAt), desc(plans.id))
    .limit(filter.limit + 1);
}

/** The case's plans, newest first; the join repeats the case scope so the database enforces it too. */
export const listPlans = (
  db: DbHandle,
  actor: Actor,
  filter: { organisationId: string; caseId: string; cursor?: string; limit: number },
) => listScoped(db, caseScope(actor, 'read'), { ...filter, where: eq(plans.caseId, filter.caseId) });

/**
 * Active plans whose review day has passed (today in Italy), on the cases `scope` admits. Newest plans first,
 * like every cursor list.
 */
export const listOverdueReviews = (
  db: DbHandle,
  scope: SQL,
  filter: { organisationId: string; cursor?: string; limit: number },
) =>
  listScoped(db, scope, {
    ...filter,
    where: and(
      eq(plans.status, 'active'),
      sql`${plans.reviewDueDate} < (now() at time zone 'Europe/Rome')::date`,
    ),
  });

export async function updatePlan(
  db: DbHandle,
  organisationId: string,
  id: string,
  expectedVersion: number,
  changes: Partial<PlanValues>,
) {
  const [row] = await db
    .update(plans)
    .set({ ...changes, updatedAt: new Date(), version: sql`${plans.version} + 1` })
    .where(
      and(eq(plans.id, id), eq(plans.organisationId, organisationId), eq(plans.version, expectedVersion)),
    )
    .returning({ id: plans.id });
  return row;
}
