import { organisationOf, type Actor } from '../../access/actor.js';
import { forbidden } from '../../shared/errors.js';

/**
 * Whose figures a caller sees (SPEC §8, METRICS.md §Visibility): social workers and educators their own,
 * coordinators their teams and their teams' workers, directors and elected officials the organisation.
 * Always inside the caller's organisation.
 */
export type MetricScope =
  | { kind: 'organisation'; organisationId: string }
  | { kind: 'teams'; organisationId: string; teamIds: string[] }
  | { kind: 'self'; organisationId: string; staffId: string };

export function metricScopeOf(actor: Actor): MetricScope {
  const organisationId = organisationOf(actor);
  switch (actor.role) {
    case 'director':
    case 'elected_official':
      return { kind: 'organisation', organisationId };
    case 'coordinator':
      return { kind: 'teams', organisationId, teamIds: actor.teamIds };
    case 'social_worker':
    case 'educator':
      return { kind: 'self', organisationId, staffId: actor.id };
    default:
      // The permission map keeps every other role out before this point.
      throw forbidden('metrics:read');
  }
}
