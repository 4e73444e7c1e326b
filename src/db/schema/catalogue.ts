import { sql } from 'drizzle-orm';
import { boolean, check, index, jsonb, pgTable, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version } from './columns.js';
import { organisations } from './identity.js';
import type { UserArea } from '../../shared/domain.js';

/** Offices (sedi) published to citizens. */
export const offices = pgTable(
  'offices',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    name: text('name').notNull(),
    address: text('address').notNull(),
    openingHours: text('opening_hours').notNull(),
    phone: text('phone'),
    email: text('email'),
    accessibilityNotes: text('accessibility_notes'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('offices_organisation_idx').on(t.organisationId)],
);

/** The service catalogue (carta dei servizi). SIUSS codes are data the organisation enters. */
export const services = pgTable(
  'services',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    name: text('name').notNull(),
    description: text('description').notNull(),
    eligibility: text('eligibility'),
    howToApply: text('how_to_apply'),
    officeId: uuid('office_id').references(() => offices.id),
    userAreas: jsonb('user_areas').$type<UserArea[]>().notNull().default([]),
    siussCode: text('siuss_code').notNull(),
    periodic: boolean('periodic').notNull(),
    /** Means test type 1–4 as in PS_PSA_SINA201812.xsd; null when none applies. */
    meansTestType: smallint('means_test_type'),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('services_organisation_idx').on(t.organisationId),
    check('siuss_code_format', sql`${t.siussCode} ~ '^[A-Z][0-9]\\.[0-9]{2}(\\.[0-9]{2})?$'`),
    check('means_test_type_range', sql`${t.meansTestType} is null or ${t.meansTestType} between 1 and 4`),
  ],
);
