import { z } from 'zod';
import { assignmentRoles } from '../../shared/domain.js';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { nonEmpty, timestamp, timestampOut, uuid } from '../../shared/schemas.js';

/**
 * Assignments (SPEC §3): who works on a case, in which role, from when to when. Rows are never deleted or
 * rewritten: a handover ends one row and adds another; an absence cover is a row with a future `validTo`.
 * Times relative to "now" (not in the past…) are checked by the service, after the case scope, so that a
 * caller outside the scope learns nothing from a validation message.
 */
export const createAssignmentBody = z.object({
  staffId: uuid,
  role: z.enum(assignmentRoles),
  /** Default: now. A future start plans a handover or a cover; the past is never rewritten. */
  validFrom: timestamp.optional(),
  /** Absence cover: the assignment ends by itself at this instant. */
  validTo: timestamp.optional(),
  reason: nonEmpty(1000).optional(),
  /** Only with role case_manager: end the current case manager's row at `validFrom`, in the same transaction. */
  replaceCurrent: z.boolean().default(false),
});

export const endAssignmentBody = z.object({
  /** Default: now. Only ending or bringing forward the end is possible. */
  validTo: timestamp.optional(),
  endReason: nonEmpty(1000),
});

export const assignmentListQuery = pageQuery;

export const assignment = z
  .object({
    id: uuid,
    caseId: uuid,
    staffId: uuid,
    role: z.enum(assignmentRoles),
    validFrom: timestampOut,
    validTo: timestampOut.nullable(),
    /** Computed now: validFrom <= now < validTo. */
    active: z.boolean(),
    reason: z.string().nullable(),
    endReason: z.string().nullable(),
    createdBy: uuid,
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'Assignment' });
export const assignmentPage = pageOf(assignment).meta({ id: 'AssignmentPage' });

export type CreateAssignmentInput = z.infer<typeof createAssignmentBody>;
export type EndAssignmentInput = z.infer<typeof endAssignmentBody>;
