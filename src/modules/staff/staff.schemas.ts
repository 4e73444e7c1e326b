import { z } from 'zod';
import { contractTypes, staffProfiles, staffRoles } from '../../shared/domain.js';
import { pageQuery, pageOf } from '../../shared/pagination.js';
import { nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';

const fte = z.number().min(0).max(1).multipleOf(0.01);

export const createStaffBody = z.object({
  subject: nonEmpty(200),
  givenName: nonEmpty(100),
  familyName: nonEmpty(100),
  role: z.enum(staffRoles),
  teamIds: z.array(uuid).max(50).default([]),
  profile: z.enum(staffProfiles),
  fte: fte.default(1),
  contract: z.enum(contractTypes),
  /** Only a platform admin names the organisation (to create its first admin); others create in their own. */
  organisationId: uuid.optional(),
});

export const updateStaffBody = z
  .object({
    givenName: nonEmpty(100),
    familyName: nonEmpty(100),
    role: z.enum(staffRoles),
    teamIds: z.array(uuid).max(50),
    profile: z.enum(staffProfiles),
    fte,
    contract: z.enum(contractTypes),
    active: z.boolean(),
  })
  .partial();

export const staffListQuery = pageQuery.extend({
  organisationId: uuid.optional(),
  teamId: uuid.optional(),
  role: z.enum(staffRoles).optional(),
  active: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const staffMember = z
  .object({
    id: uuid,
    organisationId: uuid.nullable(),
    subject: z.string(),
    givenName: z.string(),
    familyName: z.string(),
    role: z.enum(staffRoles),
    teamIds: z.array(uuid),
    profile: z.enum(staffProfiles),
    fte: z.number(),
    contract: z.enum(contractTypes),
    active: z.boolean(),
    createdAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'StaffMember' });
export const staffPage = pageOf(staffMember).meta({ id: 'StaffPage' });
