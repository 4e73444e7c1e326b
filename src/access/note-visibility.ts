import { inArray, sql, type SQL } from 'drizzle-orm';
import { cases, notes } from '../db/schema/index.js';
import type { Actor } from './actor.js';
import { assignedToActor } from './case-scope.js';

/**
 * Who may read a `restricted` note (SPEC §3): the social workers assigned to its case and the coordinators
 * of the case's team — not directors, not educators, and not holders of an emergency grant unless they
 * also qualify on their own. It narrows the case scope, never widens it: every query that returns notes
 * joins `cases` under `caseScope(actor)` and adds `noteVisibleTo(actor)`, so a forgotten check in a service
 * cannot hand a restricted note to anyone.
 */
const socialWorkRoles = ['case_manager', 'co_worker'] as const;

/** SQL condition over `cases`: this actor may read (and therefore write) the case's restricted notes. */
export function restrictedNotesVisibleTo(actor: Actor): SQL {
  const assignedAsSocialWorker = assignedToActor(actor, socialWorkRoles);
  switch (actor.role) {
    case 'social_worker':
      return assignedAsSocialWorker;
    case 'coordinator':
      return actor.teamIds.length > 0
        ? sql`(${inArray(cases.teamId, actor.teamIds)} or ${assignedAsSocialWorker})`
        : assignedAsSocialWorker;
    default:
      return sql`false`;
  }
}

/** SQL condition over `notes` joined to their `cases`: the notes of a visible case this actor may read. */
export function noteVisibleTo(actor: Actor): SQL {
  return sql`(${notes.confidentiality} = 'team' or ${restrictedNotesVisibleTo(actor)})`;
}
