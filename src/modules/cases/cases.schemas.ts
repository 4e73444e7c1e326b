import { z } from 'zod';
import { caseStatuses, closureReasons, siussAreas, userAreas } from '../../shared/domain.js';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { isoDate, nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';
import { dateNotInFuture } from '../citizens/citizens.schemas.js';

const caseFields = {
  householdId: uuid,
  userArea: z.enum(userAreas),
  /** SIUSS area: 1 famiglia e minori, 2 disabilità e non autosufficienza, 3 povertà ed esclusione sociale. */
  siussArea: z.literal(siussAreas),
  teamId: uuid,
  referralSource: nonEmpty(200),
  referralDate: dateNotInFuture,
  complexity: z.number().int().min(1).max(3),
  judicialMeasure: z.boolean(),
};

export const createCaseBody = z.object({
  citizenId: uuid,
  ...caseFields,
  householdId: caseFields.householdId.optional(),
  /** Required when a coordinator opens the case; a social worker who opens one becomes its case manager. */
  caseManagerId: uuid.optional(),
});
export type CreateCaseInput = z.infer<typeof createCaseBody>;

export const updateCaseBody = z
  .object({ ...caseFields, householdId: caseFields.householdId.nullable() })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
export type UpdateCaseInput = z.infer<typeof updateCaseBody>;

/** A coded closure reason goes with closing, and only with closing. */
export const statusChangeBody = z
  .object({
    status: z.enum(caseStatuses),
    closureReason: z.enum(closureReasons).optional(),
    note: nonEmpty(2000).optional(),
  })
  .superRefine((change, ctx) => {
    if (change.status === 'closed' && change.closureReason === undefined) {
      ctx.addIssue({ code: 'custom', path: ['closureReason'], message: 'is required to close a case' });
    }
    if (change.status !== 'closed' && change.closureReason !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['closureReason'], message: 'is only given when closing a case' });
    }
  });
export type StatusChangeInput = z.infer<typeof statusChangeBody>;

export const caseListQuery = pageQuery.extend({
  status: z.enum(caseStatuses).optional(),
  teamId: uuid.optional(),
  userArea: z.enum(userAreas).optional(),
  assignedToMe: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type CaseListQuery = z.infer<typeof caseListQuery>;

export const sealBody = z
  .object({ sealed: z.boolean(), staffIds: z.array(uuid).max(100) })
  .superRefine((seal, ctx) => {
    if (seal.sealed && seal.staffIds.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['staffIds'],
        message: 'must name at least one staff member for a sealed case',
      });
    }
    if (!seal.sealed && seal.staffIds.length > 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['staffIds'],
        message: 'must be empty when the case is unsealed',
      });
    }
  });

export const caseRecord = z
  .object({
    id: uuid,
    citizenId: uuid,
    householdId: uuid.nullable(),
    teamId: uuid,
    userArea: z.enum(userAreas),
    siussArea: z.number().int(),
    referralSource: z.string(),
    referralDate: isoDate,
    complexity: z.number().int(),
    judicialMeasure: z.boolean(),
    status: z.enum(caseStatuses),
    closureReason: z.enum(closureReasons).nullable(),
    takenInChargeAt: timestampOut.nullable(),
    closedAt: timestampOut.nullable(),
    sealed: z.boolean(),
    /** The active case manager, if any. */
    caseManagerId: uuid.nullable(),
    createdBy: uuid,
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'Case' });
export const casePage = pageOf(caseRecord).meta({ id: 'CasePage' });

export const caseStatusChange = z
  .object({
    id: uuid,
    fromStatus: z.enum(caseStatuses).nullable(),
    toStatus: z.enum(caseStatuses),
    closureReason: z.enum(closureReasons).nullable(),
    note: z.string().nullable(),
    changedBy: uuid,
    changedAt: timestampOut,
  })
  .meta({ id: 'CaseStatusChange' });
export const caseStatusHistory = z
  .object({ items: z.array(caseStatusChange) })
  .meta({ id: 'CaseStatusHistory' });

export const caseSeal = z
  .object({ caseId: uuid, sealed: z.boolean(), staffIds: z.array(uuid) })
  .meta({ id: 'CaseSeal' });
