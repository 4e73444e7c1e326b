import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import type { Actor } from '../../access/actor.js';
import type { PgInsertValue } from 'drizzle-orm/pg-core';
import { caseScope } from '../../access/case-scope.js';
import { assignments, cases, staff } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { afterCursor } from '../../shared/pagination.js';

const columns = {
  id: assignments.id,
  caseId: assignments.caseId,
  staffId: assignments.staffId,
  role: assignments.role,
  validFrom: assignments.validFrom,
  validTo: assignments.validTo,
  active: sql<boolean>`(${assignments.validFrom} <= now() and (${assignments.validTo} is null or ${assignments.validTo} > now()))`,
  reason: assignments.reason,
  endReason: assignments.endReason,
  createdBy: assignments.createdBy,
  createdAt: assignments.createdAt,
  updatedAt: assignments.updatedAt,
  version: assignments.version,
};

/** Values may use `now()` (see Instant) so that a handover's two rows meet at exactly the same instant. */
export async function insertAssignment(db: DbHandle, values: PgInsertValue<typeof assignments>) {
  const [row] = await db.insert(assignments).values(values).returning({ id: assignments.id });
  return row!.id;
}

/** Which case an assignment belongs to, so that the case's access rule can decide about it. */
export async function caseOfAssignment(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select({ caseId: assignments.caseId })
    .from(assignments)
    .where(and(eq(assignments.id, id), eq(assignments.organisationId, organisationId)));
  return row?.caseId;
}

export async function findAssignment(db: DbHandle, organisationId: string, id: string) {
  const [row] = await db
    .select(columns)
    .from(assignments)
    .where(and(eq(assignments.id, id), eq(assignments.organisationId, organisationId)));
  return row;
}

/** The whole history of a case (active and ended rows), newest first; the join repeats the case scope. */
export async function listAssignments(
  db: DbHandle,
  actor: Actor,
  filter: { organisationId: string; caseId: string; cursor?: string; limit: number },
) {
  return db
    .select(columns)
    .from(assignments)
    .innerJoin(cases, and(eq(cases.id, assignments.caseId), caseScope(actor, 'read')))
    .where(
      and(
        eq(assignments.organisationId, filter.organisationId),
        eq(assignments.caseId, filter.caseId),
        afterCursor(assignments.createdAt, assignments.id, filter.cursor),
      ),
    )
    .orderBy(desc(assignments.createdAt), desc(assignments.id))
    .limit(filter.limit + 1);
}

/** An instant: a time the client named, or `now()` — the transaction's own clock, one instant for every row it writes. */
export type Instant = Date | SQL;

/** The case manager row in force at `at`, locked so that two handovers of the same case queue up. */
export async function caseManagerAt(db: DbHandle, caseId: string, at: Instant) {
  const [row] = await db
    .select({ id: assignments.id, staffId: assignments.staffId })
    .from(assignments)
    .where(
      and(
        eq(assignments.caseId, caseId),
        eq(assignments.role, 'case_manager'),
        sql`${assignments.validFrom} <= ${at} and (${assignments.validTo} is null or ${assignments.validTo} > ${at})`,
      ),
    )
    .for('update');
  return row;
}

/**
 * Ends a row at `validTo` — only if it is at the expected version (when given) and would end earlier than
 * it does now: ending is the one change an assignment accepts, so history is never moved forward.
 */
export async function endAssignment(
  db: DbHandle,
  id: string,
  change: { validTo: Instant; endReason: string | null; expectedVersion?: number },
) {
  const [row] = await db
    .update(assignments)
    .set({
      validTo: change.validTo,
      endReason: change.endReason,
      updatedAt: new Date(),
      version: sql`${assignments.version} + 1`,
    })
    .where(
      and(
        eq(assignments.id, id),
        change.expectedVersion !== undefined ? eq(assignments.version, change.expectedVersion) : undefined,
        sql`(${assignments.validTo} is null or ${assignments.validTo} > ${change.validTo})`,
      ),
    )
    .returning({ id: assignments.id });
  return row;
}

/**
 * True when case manager rows cover every instant from now on, with no gap: an in_charge case must never
 * run out of its case manager, not even later, when an absence cover or a planned handover ends. (The
 * database trigger checks the present instant; this checks the future the request just scheduled.)
 */
export async function caseManagerCoversFuture(db: DbHandle, caseId: string): Promise<boolean> {
  const { rows } = await db.execute<{ covered: boolean }>(sql`
    select coalesce(range_agg(tstzrange(valid_from, valid_to)) @> tstzrange(now(), null), false) as covered
    from ${assignments} where case_id = ${caseId} and role = 'case_manager'`);
  return rows[0]?.covered ?? false;
}

/** The role of an active staff member of the organisation, or undefined. */
export async function activeStaffRole(db: DbHandle, organisationId: string, staffId: string) {
  const [row] = await db
    .select({ role: staff.role })
    .from(staff)
    .where(and(eq(staff.id, staffId), eq(staff.organisationId, organisationId), eq(staff.active, true)));
  return row?.role;
}
