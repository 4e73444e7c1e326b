import { z } from 'zod';
import { isoDate, nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';
import { recordDate } from '../citizens/citizens.schemas.js';

/** Relation of a member to the household's reference person (as in the stato di famiglia). */
export const householdRelations = [
  'head',
  'spouse',
  'partner',
  'child',
  'parent',
  'sibling',
  'grandparent',
  'grandchild',
  'other_relative',
  'cohabitant',
  'other',
] as const;
export type HouseholdRelation = (typeof householdRelations)[number];

export const createHouseholdBody = z.object({ name: nonEmpty(200).optional() });

export const addMemberBody = z
  .object({
    citizenId: uuid,
    relation: z.enum(householdRelations),
    validFrom: recordDate,
    validTo: recordDate.optional(),
  })
  .refine((m) => m.validTo === undefined || m.validTo >= m.validFrom, {
    path: ['validTo'],
    message: 'must not be before validFrom',
  });
export type AddMemberInput = z.infer<typeof addMemberBody>;

export const householdMember = z
  .object({
    id: uuid,
    citizenId: uuid,
    relation: z.enum(householdRelations),
    validFrom: isoDate,
    validTo: isoDate.nullable(),
    createdAt: timestampOut,
  })
  .meta({ id: 'HouseholdMember' });

export const household = z
  .object({
    id: uuid,
    name: z.string().nullable(),
    members: z.array(householdMember),
    createdAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'Household' });
