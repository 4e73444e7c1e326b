import { z } from 'zod';
import { userAreas } from '../../shared/domain.js';
import { pageQuery, pageOf } from '../../shared/pagination.js';
import { nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';

/**
 * The service catalogue (carta dei servizi) and the offices (sedi). SIUSS benefit codes are data the
 * organisation enters: only their shape is checked here, never an official label.
 */
export const siussCode = z
  .string()
  .regex(/^[A-Z][0-9]\.[0-9]{2}(\.[0-9]{2})?$/, 'must be a SIUSS benefit code such as A1.01 or A1.01.02');
/** PresenzaProvaMezzi of PS_PSA_SINA201812.xsd: 1 ISEE, 2 other means test, 3 ISEE waived for the person, 4 none. */
export const meansTestType = z.number().int().min(1).max(4);
const userAreaList = z
  .array(z.enum(userAreas))
  .max(userAreas.length)
  .refine((areas) => new Set(areas).size === areas.length, 'must not repeat an area');

export const createServiceBody = z.object({
  name: nonEmpty(200),
  description: nonEmpty(4000),
  eligibility: nonEmpty(4000).optional(),
  howToApply: nonEmpty(4000).optional(),
  /** The office that provides the service; it must be an office of the same organisation. */
  officeId: uuid.optional(),
  userAreas: userAreaList.default([]),
  siussCode,
  periodic: z.boolean(),
  meansTestType,
});

export const updateServiceBody = z
  .object({
    name: nonEmpty(200),
    description: nonEmpty(4000),
    eligibility: nonEmpty(4000).nullable(),
    howToApply: nonEmpty(4000).nullable(),
    officeId: uuid.nullable(),
    userAreas: userAreaList,
    siussCode,
    periodic: z.boolean(),
    meansTestType,
    /** `false` withdraws the service: it leaves the public catalogue and takes no new interventions. */
    active: z.boolean(),
  })
  .partial();

export const serviceListQuery = pageQuery.extend({
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  userArea: z.enum(userAreas).optional(),
  officeId: uuid.optional(),
});

export const catalogueService = z
  .object({
    id: uuid,
    organisationId: uuid,
    name: z.string(),
    description: z.string(),
    eligibility: z.string().nullable(),
    howToApply: z.string().nullable(),
    officeId: uuid.nullable(),
    userAreas: z.array(z.enum(userAreas)),
    siussCode: z.string(),
    periodic: z.boolean(),
    meansTestType: z.number().int().nullable(),
    active: z.boolean(),
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'CatalogueService' });
export const catalogueServicePage = pageOf(catalogueService).meta({ id: 'CatalogueServicePage' });

const phone = z
  .string()
  .trim()
  .regex(/^\+?[0-9][0-9 ./-]{3,23}$/, 'must be a phone number (digits, spaces, . / -)');

export const createOfficeBody = z.object({
  name: nonEmpty(200),
  address: nonEmpty(400),
  openingHours: nonEmpty(1000),
  phone: phone.optional(),
  email: z.email().max(254).optional(),
  accessibilityNotes: nonEmpty(2000).optional(),
});

export const updateOfficeBody = z
  .object({
    name: nonEmpty(200),
    address: nonEmpty(400),
    openingHours: nonEmpty(1000),
    phone: phone.nullable(),
    email: z.email().max(254).nullable(),
    accessibilityNotes: nonEmpty(2000).nullable(),
  })
  .partial();

export const officeListQuery = pageQuery;

export const office = z
  .object({
    id: uuid,
    organisationId: uuid,
    name: z.string(),
    address: z.string(),
    openingHours: z.string(),
    phone: z.string().nullable(),
    email: z.string().nullable(),
    accessibilityNotes: z.string().nullable(),
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'Office' });
export const officePage = pageOf(office).meta({ id: 'OfficePage' });

export type CreateServiceInput = z.infer<typeof createServiceBody>;
export type UpdateServiceInput = z.infer<typeof updateServiceBody>;
export type CreateOfficeInput = z.infer<typeof createOfficeBody>;
export type UpdateOfficeInput = z.infer<typeof updateOfficeBody>;
