import { z } from 'zod';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';

/** SPEC §4: the written reason of a break-the-glass access, at least 20 characters. */
export const createGrantBody = z.object({ reason: z.string().trim().min(20).max(2000) });

export const grantListQuery = pageQuery.extend({
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  unreviewed: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  caseId: uuid.optional(),
});
export type GrantListQuery = z.infer<typeof grantListQuery>;

export const reviewGrantBody = z.object({ note: nonEmpty(2000).optional() });

export const emergencyGrant = z
  .object({
    id: uuid,
    caseId: uuid,
    staffId: uuid,
    reason: z.string(),
    grantedAt: timestampOut,
    expiresAt: timestampOut,
    active: z.boolean(),
    reviewedBy: uuid.nullable(),
    reviewedAt: timestampOut.nullable(),
    reviewNote: z.string().nullable(),
  })
  .meta({ id: 'EmergencyGrant' });
export const emergencyGrantPage = pageOf(emergencyGrant).meta({ id: 'EmergencyGrantPage' });
