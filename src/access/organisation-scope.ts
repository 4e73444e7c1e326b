import type { Actor } from './actor.js';
import { notFound } from '../shared/errors.js';

/**
 * Tenancy (SPEC §2): outside its organisation a resource does not exist. A platform admin works on any
 * organisation but never on case content (its permissions do not include any).
 */
export function requireOrganisation(actor: Actor, organisationId: string): string {
  if (actor.role === 'platform_admin' || actor.organisationId === organisationId) return organisationId;
  throw notFound('organisation');
}

/** The organisation an organisation-bound request works in: the caller's own, or the one a platform admin names. */
export function targetOrganisation(actor: Actor, requested: string | undefined): string {
  if (actor.role === 'platform_admin') {
    if (!requested) throw notFound('organisation');
    return requested;
  }
  if (requested && requested !== actor.organisationId) throw notFound('organisation');
  return actor.organisationId!;
}
