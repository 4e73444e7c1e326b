import { sql } from 'drizzle-orm';
import { boolean, char, check, date, index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version } from './columns.js';
import { sexEnum } from './enums.js';
import { organisations } from './identity.js';

export interface Address {
  street?: string;
  postalCode?: string;
  /** Belfiore code of the municipality. */
  municipality: string;
  province?: string;
}

export interface Contacts {
  phone?: string;
  email?: string;
}

export const citizens = pgTable(
  'citizens',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    fiscalCode: text('fiscal_code').notNull(),
    /** An 11-digit provisional code (codice fiscale provvisorio) rather than a full 16-character one. */
    fiscalCodeTemporary: boolean('fiscal_code_temporary').notNull().default(false),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    sex: sexEnum('sex').notNull(),
    birthDate: date('birth_date').notNull(),
    birthPlace: char('birth_place', { length: 4 }).notNull(),
    citizenship: char('citizenship', { length: 3 }).notNull(),
    residence: jsonb('residence').$type<Address>(),
    domicile: jsonb('domicile').$type<Address>(),
    contacts: jsonb('contacts').$type<Contacts>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    uniqueIndex('citizens_organisation_fiscal_code_uq').on(t.organisationId, t.fiscalCode),
    index('citizens_name_idx').on(t.organisationId, sql`lower(${t.familyName})`, sql`lower(${t.givenName})`),
    check('birth_place_format', sql`${t.birthPlace} ~ '^[A-Z][0-9]{3}$'`),
    check('citizenship_format', sql`${t.citizenship} ~ '^[0-9]{3}$'`),
  ],
);

export const households = pgTable(
  'households',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    name: text('name'),
    createdAt: createdAt(),
    version: version(),
  },
  (t) => [index('households_organisation_idx').on(t.organisationId)],
);

export const householdMembers = pgTable(
  'household_members',
  {
    id: id(),
    householdId: uuid('household_id').notNull().references(() => households.id),
    citizenId: uuid('citizen_id').notNull().references(() => citizens.id),
    relation: text('relation').notNull(),
    validFrom: date('valid_from').notNull(),
    validTo: date('valid_to'),
    createdAt: createdAt(),
  },
  (t) => [
    index('household_members_household_idx').on(t.householdId),
    index('household_members_citizen_idx').on(t.citizenId),
    check('member_validity', sql`${t.validTo} is null or ${t.validTo} >= ${t.validFrom}`),
  ],
);
