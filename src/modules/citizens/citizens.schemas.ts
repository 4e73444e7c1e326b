import { z } from 'zod';
import { caseStatuses, sexes, userAreas } from '../../shared/domain.js';
import { pageOf, pageQuery } from '../../shared/pagination.js';
import { isoDate, nonEmpty, timestampOut, uuid } from '../../shared/schemas.js';
import { parseFiscalCode } from './fiscal-code.js';

/**
 * Dates of the record: none before 1900 (also keeps out year 0000, which the pattern admits and PostgreSQL
 * refuses).
 */
export const recordDate = isoDate.refine((date) => date >= '1900-01-01', 'must not be before 1900-01-01');
/** Today in Italy: a date a Rome office can type in at 00:30 must not be "in the future" by UTC. */
export const todayInItaly = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
export const dateNotInFuture = recordDate.refine(
  (date) => date <= todayInItaly(),
  'must not be in the future',
);

export const fiscalCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^([A-Z0-9]{16}|[0-9]{11})$/, 'must be a 16-character codice fiscale or an 11-digit temporary code')
  .refine(
    (code) => parseFiscalCode(code) !== null,
    'is not a valid codice fiscale (check character or birth date)',
  );

/** Belfiore (cadastral) code of an Italian municipality, or Z… for a foreign state. */
const belfioreCode = z.string().regex(/^[A-Z][0-9]{3}$/, 'must be a Belfiore code such as F205');

export const address = z
  .object({
    street: z.string().min(1).max(200).optional(),
    postalCode: z
      .string()
      .regex(/^[0-9]{5}$/, 'must be a 5-digit CAP')
      .optional(),
    municipality: belfioreCode,
    province: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be a 2-letter province code')
      .optional(),
  })
  .meta({ id: 'Address' });

export const contacts = z
  .object({
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ]{5,19}$/, 'must be a phone number')
      .optional(),
    email: z.email().max(254).optional(),
  })
  .meta({ id: 'Contacts' });

const registryFields = {
  givenName: nonEmpty(100),
  familyName: nonEmpty(100),
  sex: z.enum(sexes),
  birthDate: dateNotInFuture,
  /** Belfiore code of the municipality (or Z… state) of birth. */
  birthPlace: belfioreCode,
  /** ISTAT 3-digit code of the citizenship (100 = Italy). */
  citizenship: z.string().regex(/^[0-9]{3}$/, 'must be a 3-digit ISTAT code'),
};

export const createCitizenBody = z.object({
  fiscalCode,
  ...registryFields,
  residence: address.optional(),
  domicile: address.optional(),
  contacts: contacts.optional(),
});
export type CreateCitizenInput = z.infer<typeof createCitizenBody>;

export const updateCitizenBody = z
  .object({
    fiscalCode,
    ...registryFields,
    residence: address.nullable(),
    domicile: address.nullable(),
    contacts: contacts.nullable(),
  })
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'must change at least one field');
export type UpdateCitizenInput = z.infer<typeof updateCitizenBody>;

/**
 * A search names the person either by codice fiscale or by names (SPEC §4: in the body, never in the URL,
 * so identifiers stay out of access logs and proxies).
 */
export const citizenSearchBody = z
  .object({
    fiscalCode: fiscalCode.optional(),
    familyName: nonEmpty(100).optional(),
    givenName: nonEmpty(100).optional(),
    birthDate: recordDate.optional(),
    limit: pageQuery.shape.limit,
    cursor: pageQuery.shape.cursor,
  })
  .superRefine((body, ctx) => {
    const byName =
      body.familyName !== undefined || body.givenName !== undefined || body.birthDate !== undefined;
    if (body.fiscalCode !== undefined && byName) {
      ctx.addIssue({
        code: 'custom',
        path: ['fiscalCode'],
        message: 'search by codice fiscale or by names, not both',
      });
    } else if (body.fiscalCode === undefined) {
      for (const field of ['familyName', 'givenName'] as const) {
        if (body[field] === undefined)
          ctx.addIssue({ code: 'custom', path: [field], message: 'is required unless fiscalCode is given' });
      }
    }
  });
export type CitizenSearchInput = z.infer<typeof citizenSearchBody>;

/** A case as a citizen's record shows it: only cases the caller may see, and only their headline. */
export const citizenCase = z
  .object({ id: uuid, status: z.enum(caseStatuses), userArea: z.enum(userAreas), teamId: uuid })
  .meta({ id: 'CitizenCase' });

export const citizen = z
  .object({
    id: uuid,
    fiscalCode: z.string(),
    fiscalCodeTemporary: z.boolean(),
    givenName: z.string(),
    familyName: z.string(),
    sex: z.enum(sexes),
    birthDate: isoDate,
    birthPlace: z.string(),
    citizenship: z.string(),
    residence: address.nullable(),
    domicile: address.nullable(),
    contacts: contacts.nullable(),
    cases: z.array(citizenCase),
    createdAt: timestampOut,
    updatedAt: timestampOut,
    version: z.number().int(),
  })
  .meta({ id: 'Citizen' });
export const citizenPage = pageOf(citizen).meta({ id: 'CitizenPage' });
