import { and, desc, eq, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { SelectedFields } from 'drizzle-orm/pg-core';
import type { SelectResultFields } from 'drizzle-orm/query-builders/select.types';
import { assignments, cases, caseSealMembers, emergencyGrants } from '../db/schema/index.js';
import type { DbHandle } from '../platform/database.js';
import { preparedOnce } from '../platform/database/prepared-queries.js';
import { notFound } from '../shared/errors.js';
import { afterPosition } from '../shared/pagination.js';
import type { Actor } from './actor.js';

/**
 * The case scope (SPEC §4), in one place. A case is visible to workers with an active assignment on it,
 * coordinators of its team, directors of its organisation and holders of an active emergency grant; a
 * sealed case only to the staff on its allow-list, whatever their role. Everything is expressed as SQL over
 * `cases`, so lists are scoped by the database and single reads use the very same rule.
 *
 * Write access is narrower: emergency grants and directors are read-only; on a sealed case the writer must
 * be on the list and also be assigned or coordinate the team.
 */
export type CaseAccessMode = 'read' | 'write';

/**
 * What the scope rule needs of the caller. Its values are either an actor's own, or placeholders: the rule
 * then becomes one SQL text per role, built and prepared once and run with each actor's values
 * (`requireCaseAccess`), instead of being assembled again on every request.
 */
export interface ScopeSubject {
  kind: Actor['kind'];
  role: Actor['role'];
  id: string | Placeholder;
  organisationId: string | null | Placeholder;
  teamIds: string[] | Placeholder;
}

/** The placeholder subject of a role; run its queries with `scopeValues(actor)`. */
export const placeholderSubject = (role: Actor['role']): ScopeSubject => ({
  kind: 'staff',
  role,
  id: sql.placeholder('actorId'),
  organisationId: sql.placeholder('organisationId'),
  teamIds: sql.placeholder('teamIds'),
});

export const scopeValues = (actor: Actor) => ({
  actorId: actor.id,
  organisationId: actor.organisationId,
  teamIds: actor.teamIds,
});

const activeNow = (validFrom: SQL | unknown, validTo: unknown) =>
  sql`${validFrom} <= now() and (${validTo} is null or ${validTo} > now())`;

export const assignedToActor = (actor: ScopeSubject, roles?: readonly string[]) => sql`exists (
  select 1 from ${assignments} a where a.case_id = ${cases.id} and a.staff_id = ${actor.id}
  and ${activeNow(sql`a.valid_from`, sql`a.valid_to`)}
  ${roles ? sql`and a.role in (${sql.join(roles.map((r) => sql`${r}`), sql`, `)})` : sql``})`;

// One array parameter rather than a list, so that the SQL text does not depend on the number of teams.
const coordinatesTeam = (actor: ScopeSubject) =>
  actor.role === 'coordinator' ? sql`${cases.teamId} = any(${sql.param(actor.teamIds)}::uuid[])` : sql`false`;

const holdsEmergencyGrant = (actor: ScopeSubject) => sql`exists (
  select 1 from ${emergencyGrants} g where g.case_id = ${cases.id} and g.staff_id = ${actor.id}
  and g.expires_at > now())`;

const onSealList = (actor: ScopeSubject) => sql`exists (
  select 1 from ${caseSealMembers} m where m.case_id = ${cases.id} and m.staff_id = ${actor.id})`;

function normalRule(actor: ScopeSubject, mode: CaseAccessMode): SQL {
  switch (actor.role) {
    case 'director':
      return mode === 'read' ? sql`true` : sql`false`;
    case 'coordinator':
      return mode === 'read'
        ? sql`(${coordinatesTeam(actor)} or ${assignedToActor(actor)} or ${holdsEmergencyGrant(actor)})`
        : sql`(${coordinatesTeam(actor)} or ${assignedToActor(actor)})`;
    case 'social_worker':
      return mode === 'read' ? sql`(${assignedToActor(actor)} or ${holdsEmergencyGrant(actor)})` : assignedToActor(actor);
    case 'educator':
      return assignedToActor(actor);
    default:
      return sql`false`;
  }
}

/** SQL condition over `cases`: the cases this actor may see (read) or change (write). */
export function caseScope(actor: ScopeSubject, mode: CaseAccessMode = 'read'): SQL {
  if (!actor.organisationId || actor.kind !== 'staff') return sql`false`;
  const rule = normalRule(actor, mode);
  const sealedRule = mode === 'read' ? onSealList(actor) : sql`(${onSealList(actor)} and ${rule})`;
  return and(eq(cases.organisationId, actor.organisationId), sql`(case when ${cases.sealed} then ${sealedRule} else ${rule} end)`)!;
}

/**
 * Roles whose write rule includes "assigned to the case now" (normalRule): none of the cases they are
 * assigned to is seen only through an emergency grant (`seenOnlyThroughGrant`), so "my cases" need not
 * look the grants up row by row.
 */
export const writesWhatItIsAssigned = new Set<Actor['role']>(['social_worker', 'educator', 'coordinator']);

/** Roles whose read rule includes "assigned to the case now" (normalRule): for them `assignedCaseScope` holds. */
const readsWhatItIsAssigned = new Set<Actor['role']>(['social_worker', 'educator', 'coordinator', 'director']);

/**
 * "My cases", the list most front ends open first: the actor's assignments active now, newest case first
 * (the order of every case list), read from `assignments_staff_newest_case_idx`. The subquery keeps its
 * order, so a page joins only as many cases as it shows instead of every assigned case before sorting.
 * Join it with `cases` on `caseId` under `assignedCaseScope`; `after` continues from a cursor.
 */
export function activeAssignmentsNewestFirst(db: DbHandle, actor: ScopeSubject, after?: { at: Placeholder; id: Placeholder }) {
  return db
    .select({ caseId: assignments.caseId, caseCreatedAt: assignments.caseCreatedAt })
    .from(assignments)
    .where(
      and(
        eq(assignments.staffId, actor.id),
        activeNow(assignments.validFrom, assignments.validTo),
        after && afterPosition(assignments.caseCreatedAt, assignments.caseId, after.at, after.id),
      ),
    )
    .orderBy(desc(assignments.caseCreatedAt), desc(assignments.caseId))
    .as('mine');
}

/**
 * The read scope over cases joined with the actor's active assignments (`activeAssignmentsNewestFirst`).
 * Every role that reads cases reads those it is assigned to, so only the seal can still hide one: the same
 * answer as `caseScope(actor, 'read')` and `assignedToActor(actor)`, without checking the assignment again
 * per row. test/access/case-scope.property.test.ts compares the list with the model.
 */
export function assignedCaseScope(actor: ScopeSubject): SQL {
  if (!readsWhatItIsAssigned.has(actor.role)) return caseScope(actor, 'read');
  if (!actor.organisationId || actor.kind !== 'staff') return sql`false`;
  return and(eq(cases.organisationId, actor.organisationId), sql`(not ${cases.sealed} or ${onSealList(actor)})`)!;
}

export interface ScopedCase {
  id: string;
  organisationId: string;
  citizenId: string;
  teamId: string;
  status: string;
  version: number;
  sealed: boolean;
  /** True when the only reason the actor sees the case is an emergency grant (flagged in the audit trail). */
  viaEmergency: boolean;
}

/**
 * "May this actor do this to this case?" Answers with the case's key facts, or throws 404 — never 403 — so
 * that a case's existence does not leak (SPEC §4). One round trip: a reader passes the columns it will
 * answer with (`also`, a constant), and gets them from the same query that checks the scope. The query is
 * built once per role, mode and column set, and runs as a prepared statement.
 */
export async function requireCaseAccess<Also extends SelectedFields = Record<never, never>>(
  db: DbHandle,
  actor: Actor,
  caseId: string,
  mode: CaseAccessMode,
  also?: Also,
): Promise<ScopedCase & SelectResultFields<Also>> {
  if (actor.kind !== 'staff' || !actor.organisationId) throw notFound('case');
  const [row] = await scopedCaseQuery(db, actor.role, mode, also ?? noColumns).execute({ caseId, ...scopeValues(actor) });
  if (!row) throw notFound('case');
  return row as ScopedCase & SelectResultFields<Also>;
}

const noColumns: SelectedFields = {};
const columnSetIds = new WeakMap<SelectedFields, number>();
let columnSetCount = 0;

/** Column sets are module constants: their identity tells the prepared queries apart. */
function columnSetId(also: SelectedFields): number {
  let id = columnSetIds.get(also);
  if (id === undefined) columnSetIds.set(also, (id = columnSetCount++));
  return id;
}

function scopedCaseQuery(db: DbHandle, role: Actor['role'], mode: CaseAccessMode, also: SelectedFields) {
  return preparedOnce(db, `case-scope:${role}:${mode}:${columnSetId(also)}`, () => {
    const subject = placeholderSubject(role);
    const emergencyOnly =
      role === 'social_worker' || role === 'coordinator'
        ? sql<boolean>`not (${normalRuleWithoutGrant(subject)}) and ${holdsEmergencyGrant(subject)}`
        : sql<boolean>`false`;
    return (
      db
        .select({
          ...also,
          id: cases.id,
          organisationId: cases.organisationId,
          citizenId: cases.citizenId,
          teamId: cases.teamId,
          status: cases.status,
          version: cases.version,
          sealed: cases.sealed,
          viaEmergency: emergencyOnly,
        })
        .from(cases)
        .where(and(eq(cases.id, sql.placeholder('caseId')), caseScope(subject, mode)))
        // No name here: the pool's client names every statement after its text (statement-names.ts).
        .prepare('')
    );
  });
}

function normalRuleWithoutGrant(actor: ScopeSubject): SQL {
  return actor.role === 'coordinator' ? sql`(${coordinatesTeam(actor)} or ${assignedToActor(actor)})` : assignedToActor(actor);
}
