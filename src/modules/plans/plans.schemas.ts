import { z } from 'zod';
import { planStatuses } from '../../shared/domain.js';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { isoDate, nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';

/**
 * The individual plan (progetto individualizzato, SPEC §3): goals, start, when it must be reviewed, who is
 * responsible, and its status. `draft` → `active` → `completed`; `draft` or `active` → `cancelled`.
 */
const day = isoDate.pipe(z.string().refine((d) => d >= '1900-01-01', 'must not be before 1900-01-01'));
const goals = z.array(nonEmpty(1000)).min(1).max(50);

export const createPlanBody = z.object({
  goals,
  startDate: day,
  /** On or after startDate; an active plan past this day is listed in /v1/plans/overdue-reviews. */
  reviewDueDate: day,
  /** An active social worker, coordinator or educator of the organisation. */
  responsibleStaffId: uuid,
  status: z.enum(['draft', 'active']).default('draft'),
});

export const updatePlanBody = z
  .object({
    goals,
    startDate: day,
    reviewDueDate: day,
    responsibleStaffId: uuid,
    status: z.enum(planStatuses),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'names nothing to change');

export const planListQuery = pageQuery;

export const plan = z
  .object({
    id: uuid,
    caseId: uuid,
    goals: z.array(z.string()),
    startDate: isoDate,
    reviewDueDate: isoDate,
    responsibleStaffId: uuid,
    status: z.enum(planStatuses),
    createdBy: uuid,
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'Plan' });
export const planPage = pageOf(plan).meta({ id: 'PlanPage' });

export type CreatePlanInput = z.infer<typeof createPlanBody>;
export type UpdatePlanInput = z.infer<typeof updatePlanBody>;
