import { and, eq, sql, type SQL } from 'drizzle-orm';
import { assignments, cases, caseSealMembers, emergencyGrants } from '../db/schema/index.js';
import type { DbHandle } from '../platform/database.js';
import { notFound } from '../shared/errors.js';
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

const activeNow = (validFrom: SQL | unknown, validTo: unknown) =>
  sql`${validFrom} <= now() and (${validTo} is null or ${validTo} > now())`;

export const assignedToActor = (actor: Actor, roles?: readonly string[]) => sql`exists (
  select 1 from ${assignments} a where a.case_id = ${cases.id} and a.staff_id = ${actor.id}
  and ${activeNow(sql`a.valid_from`, sql`a.valid_to`)}
  ${roles ? sql`and a.role in (${sql.join(roles.map((r) => sql`${r}`), sql`, `)})` : sql``})`;

const coordinatesTeam = (actor: Actor) =>
  actor.role === 'coordinator' && actor.teamIds.length > 0
    ? sql`${cases.teamId} in (${sql.join(actor.teamIds.map((t) => sql`${t}::uuid`), sql`, `)})`
    : sql`false`;

const holdsEmergencyGrant = (actor: Actor) => sql`exists (
  select 1 from ${emergencyGrants} g where g.case_id = ${cases.id} and g.staff_id = ${actor.id}
  and g.expires_at > now())`;

const onSealList = (actor: Actor) => sql`exists (
  select 1 from ${caseSealMembers} m where m.case_id = ${cases.id} and m.staff_id = ${actor.id})`;

function normalRule(actor: Actor, mode: CaseAccessMode): SQL {
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
export function caseScope(actor: Actor, mode: CaseAccessMode = 'read'): SQL {
  if (!actor.organisationId || actor.kind !== 'staff') return sql`false`;
  const rule = normalRule(actor, mode);
  const sealedRule = mode === 'read' ? onSealList(actor) : sql`(${onSealList(actor)} and ${rule})`;
  return and(eq(cases.organisationId, actor.organisationId), sql`(case when ${cases.sealed} then ${sealedRule} else ${rule} end)`)!;
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
 * that a case's existence does not leak (SPEC §4). One round trip.
 */
export async function requireCaseAccess(db: DbHandle, actor: Actor, caseId: string, mode: CaseAccessMode): Promise<ScopedCase> {
  const emergencyOnly =
    actor.role === 'social_worker' || actor.role === 'coordinator'
      ? sql<boolean>`not (${normalRuleWithoutGrant(actor)}) and ${holdsEmergencyGrant(actor)}`
      : sql<boolean>`false`;
  const [row] = await db
    .select({
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
    .where(and(eq(cases.id, caseId), caseScope(actor, mode)));
  if (!row) throw notFound('case');
  return row;
}

function normalRuleWithoutGrant(actor: Actor): SQL {
  return actor.role === 'coordinator' ? sql`(${coordinatesTeam(actor)} or ${assignedToActor(actor)})` : assignedToActor(actor);
}
