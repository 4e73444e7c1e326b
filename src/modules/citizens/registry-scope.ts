import { and, eq, sql, type SQL } from 'drizzle-orm';
import { organisationOf, type Actor } from '../../access/actor.js';
import { caseScope, type CaseAccessMode, type ScopeSubject } from '../../access/case-scope.js';
import { roleHas } from '../../access/permissions.js';
import { cases, citizens, emergencyGrants, householdMembers, households } from '../../db/schema/index.js';

/**
 * Who sees a person's registry record. Roles that search the registry (social workers, coordinators,
 * directors) see every citizen of their organisation: at intake they must find an existing record rather
 * than create a duplicate. Everyone else (educators) sees a citizen only through a case they may see, so a
 * registry record never tells them about people outside their own work. Another organisation's citizens do
 * not exist for anyone.
 */
const readsWholeRegistry = (actor: Actor) => roleHas(actor.role, 'citizen:search');

const caseOfCitizenInScope = (
  actor: Actor,
  citizenId: SQL | typeof citizens.id,
  mode: CaseAccessMode = 'read',
) =>
  sql`exists (select 1 from ${cases} where ${cases.citizenId} = ${citizenId} and ${caseScope(actor, mode)})`;

export function citizenInScope(actor: Actor, mode: CaseAccessMode = 'read'): SQL {
  const ownOrganisation = eq(citizens.organisationId, organisationOf(actor));
  return readsWholeRegistry(actor)
    ? ownOrganisation
    : and(ownOrganisation, caseOfCitizenInScope(actor, citizens.id, mode))!;
}

/** A household follows its members: seen by registry readers, else only when a member's case is in scope. */
export function householdInScope(actor: Actor): SQL {
  const ownOrganisation = eq(households.organisationId, organisationOf(actor));
  if (readsWholeRegistry(actor)) return ownOrganisation;
  return and(
    ownOrganisation,
    sql`(exists (select 1 from ${cases} where ${cases.householdId} = ${households.id} and ${caseScope(actor)})
      or exists (select 1 from ${householdMembers} hm where hm.household_id = ${households.id}
        and ${caseOfCitizenInScope(actor, sql`hm.citizen_id`)}))`,
  )!;
}

const holdsActiveGrant = (actor: ScopeSubject) =>
  sql`exists (select 1 from ${emergencyGrants} g where g.case_id = ${cases.id} and g.staff_id = ${actor.id} and g.expires_at > now())`;

/**
 * True when the caller sees the case only through an emergency grant: such reads are flagged in the audit
 * trail. (Write scope never comes from a grant, so "holds a grant and may not write" is it.) Built from
 * nested fragments on purpose: in a single-table select list drizzle strips the table name from top-level
 * columns, and a bare "id" inside the subquery would then name the grant's own id.
 */
export const seenOnlyThroughGrant = (actor: ScopeSubject) =>
  sql<boolean>`(${holdsActiveGrant(actor)} and not ${caseScope(actor, 'write')})`;
