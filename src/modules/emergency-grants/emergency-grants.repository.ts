import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { organisationOf, type Actor } from '../../access/actor.js';
import { caseScope } from '../../access/case-scope.js';
import { cases, caseSealMembers, emergencyGrants } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import { afterCursor } from '../../shared/pagination.js';

const onSealList = (actor: Actor) =>
  sql`exists (select 1 from ${caseSealMembers} m where m.case_id = ${cases.id} and m.staff_id = ${actor.id})`;
const openToActor = (actor: Actor) => sql`(not ${cases.sealed} or ${onSealList(actor)})`;

const columns = {
  id: emergencyGrants.id,
  caseId: emergencyGrants.caseId,
  citizenId: cases.citizenId,
  staffId: emergencyGrants.staffId,
  reason: emergencyGrants.reason,
  grantedAt: emergencyGrants.grantedAt,
  /** The cursor position (pagination orders by creation); not part of the response. */
  createdAt: emergencyGrants.grantedAt,
  expiresAt: emergencyGrants.expiresAt,
  active: sql<boolean>`${emergencyGrants.expiresAt} > now()`,
  reviewedBy: emergencyGrants.reviewedBy,
  reviewedAt: emergencyGrants.reviewedAt,
  reviewNote: emergencyGrants.reviewNote,
};

/**
 * A case open to break-the-glass for this actor: of its organisation and not sealed against it (a sealed
 * case does not exist for anyone off its list). `readable` says whether the actor already sees it.
 */
export async function findCaseForGrant(db: DbHandle, actor: Actor, caseId: string) {
  const [row] = await db
    .select({ id: cases.id, citizenId: cases.citizenId, readable: sql<boolean>`${caseScope(actor, 'read')}` })
    .from(cases)
    .where(and(eq(cases.id, caseId), eq(cases.organisationId, organisationOf(actor)), openToActor(actor)));
  return row;
}

export async function insertGrant(
  db: DbHandle,
  values: { organisationId: string; caseId: string; staffId: string; reason: string; hours: number },
) {
  const { hours, ...fields } = values;
  const [row] = await db
    .insert(emergencyGrants)
    // Millisecond precision, like every createdAt: the keyset cursor carries a JS Date and must round-trip.
    .values({
      ...fields,
      grantedAt: sql`date_trunc('milliseconds', now())`,
      expiresAt: sql`date_trunc('milliseconds', now()) + ${hours}::float8 * interval '1 hour'`,
    })
    .returning({ id: emergencyGrants.id });
  return row!.id;
}

/**
 * The grants a reviewer answers for (SPEC §4): a coordinator those on cases of the teams they coordinate, a
 * director all of the organisation. Grants on a sealed case are shown only to the staff on its list.
 */
function reviewerScope(actor: Actor): SQL {
  const teams =
    actor.role === 'coordinator' && actor.teamIds.length > 0
      ? sql`${cases.teamId} in (${sql.join(
          actor.teamIds.map((t) => sql`${t}::uuid`),
          sql`, `,
        )})`
      : sql`false`;
  const byRole = actor.role === 'director' ? sql`true` : teams;
  return and(eq(emergencyGrants.organisationId, organisationOf(actor)), byRole, openToActor(actor))!;
}

const grantsWithCase = (db: DbHandle) =>
  db.select(columns).from(emergencyGrants).innerJoin(cases, eq(cases.id, emergencyGrants.caseId));

/** A grant by id, unscoped: for answering with the grant just created. */
export async function findGrant(db: DbHandle, id: string) {
  const [row] = await grantsWithCase(db).where(eq(emergencyGrants.id, id));
  return row;
}

export async function findGrantForReviewer(db: DbHandle, actor: Actor, id: string) {
  const [row] = await grantsWithCase(db).where(and(eq(emergencyGrants.id, id), reviewerScope(actor)));
  return row;
}

export async function listGrants(
  db: DbHandle,
  actor: Actor,
  filter: { active?: boolean; unreviewed?: boolean; caseId?: string; cursor?: string; limit: number },
) {
  const conditions: (SQL | undefined)[] = [
    reviewerScope(actor),
    filter.active === undefined
      ? undefined
      : filter.active
        ? sql`${emergencyGrants.expiresAt} > now()`
        : sql`${emergencyGrants.expiresAt} <= now()`,
    filter.unreviewed === undefined
      ? undefined
      : filter.unreviewed
        ? isNull(emergencyGrants.reviewedAt)
        : sql`${emergencyGrants.reviewedAt} is not null`,
    filter.caseId ? eq(emergencyGrants.caseId, filter.caseId) : undefined,
    afterCursor(emergencyGrants.grantedAt, emergencyGrants.id, filter.cursor),
  ];
  return grantsWithCase(db)
    .where(and(...conditions))
    .orderBy(desc(emergencyGrants.grantedAt), desc(emergencyGrants.id))
    .limit(filter.limit + 1);
}

/** Marks the grant reviewed unless someone already has (then nothing changes and undefined comes back). */
export async function markReviewed(db: DbHandle, id: string, reviewerId: string, note: string | null) {
  const [row] = await db
    .update(emergencyGrants)
    .set({ reviewedBy: reviewerId, reviewedAt: sql`now()`, reviewNote: note })
    .where(and(eq(emergencyGrants.id, id), isNull(emergencyGrants.reviewedAt)))
    .returning({ id: emergencyGrants.id });
  return row;
}
