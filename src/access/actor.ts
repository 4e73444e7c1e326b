import type { Role } from '../shared/domain.js';

/**
 * Who is calling, as the database says (SPEC §6: roles, teams and organisation never come from the token).
 * Staff members and API clients are both actors; `organisationId` is null only for a platform admin.
 */
export interface Actor {
  kind: 'staff' | 'client';
  id: string;
  subject: string;
  role: Role;
  organisationId: string | null;
  teamIds: string[];
  /** Organisations whose anonymised indicators a regional client may read (its own included). */
  servedOrganisationIds: string[];
}

/** An actor as stored, with whether it may still sign in (authentication refuses the inactive ones). */
export interface ActorRecord extends Actor {
  active: boolean;
}

/** The organisation every non-platform actor is bound to. Tenancy is absolute: there is no fallback. */
export function organisationOf(actor: Actor): string {
  if (!actor.organisationId) throw new Error('a platform admin has no organisation');
  return actor.organisationId;
}
