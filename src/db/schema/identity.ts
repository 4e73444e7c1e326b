import { sql } from 'drizzle-orm';
import { boolean, char, check, index, integer, jsonb, numeric, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt, version } from './columns.js';
import { contractTypeEnum, roleEnum, staffProfileEnum } from './enums.js';
import type { ClientRole, StaffRole } from '../../shared/domain.js';

/** Caseload weights (SPEC §8): per complexity level, plus an extra weight for a judicial measure. */
export interface CaseloadWeights {
  complexity: { '1': number; '2': number; '3': number };
  judicialMeasure: number;
}

export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    name: text('name').notNull(),
    belfioreCode: char('belfiore_code', { length: 4 }).notNull().unique(),
    istatCode: char('istat_code', { length: 6 }).notNull(),
    caseloadWeights: jsonb('caseload_weights')
      .$type<CaseloadWeights>()
      .notNull()
      .default({ complexity: { '1': 1, '2': 1.5, '3': 2 }, judicialMeasure: 0.5 }),
    caseloadThreshold: numeric('caseload_threshold', { precision: 8, scale: 2 }).notNull().default('60'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [check('belfiore_code_format', sql`${t.belfioreCode} ~ '^[A-Z][0-9]{3}$'`), check('istat_code_format', sql`${t.istatCode} ~ '^[0-9]{6}$'`)],
);

export const organisationPopulations = pgTable(
  'organisation_populations',
  {
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    year: integer('year').notNull(),
    residents: integer('residents').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.year] }), check('residents_non_negative', sql`${t.residents} >= 0`)],
);

export const teams = pgTable(
  'teams',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    name: text('name').notNull(),
    area: text('area').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [index('teams_organisation_idx').on(t.organisationId)],
);

/** Staff members. A platform admin has no organisation; everyone else belongs to exactly one. */
export const staff = pgTable(
  'staff',
  {
    id: id(),
    organisationId: uuid('organisation_id').references(() => organisations.id),
    subject: text('subject').notNull().unique(),
    givenName: text('given_name').notNull(),
    familyName: text('family_name').notNull(),
    role: roleEnum('role').$type<StaffRole>().notNull(),
    profile: staffProfileEnum('profile').notNull(),
    fte: numeric('fte', { precision: 3, scale: 2 }).notNull().default('1.00'),
    contract: contractTypeEnum('contract').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('staff_organisation_idx').on(t.organisationId),
    check('fte_range', sql`${t.fte} >= 0 and ${t.fte} <= 1`),
    check('organisation_unless_platform_admin', sql`(${t.role} = 'platform_admin') = (${t.organisationId} is null)`),
    check('staff_role_not_client', sql`${t.role} not in ('regional', 'siuss')`),
  ],
);

export const staffTeams = pgTable(
  'staff_teams',
  {
    staffId: uuid('staff_id').notNull().references(() => staff.id),
    teamId: uuid('team_id').notNull().references(() => teams.id),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.teamId] }), index('staff_teams_team_idx').on(t.teamId)],
);

/** Machine clients (regional observatories, INPS through PDND). */
export const apiClients = pgTable(
  'api_clients',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    subject: text('subject').notNull().unique(),
    name: text('name').notNull(),
    role: roleEnum('role').$type<ClientRole>().notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    version: version(),
  },
  (t) => [check('client_role', sql`${t.role} in ('regional', 'siuss')`)],
);

/** Further organisations a regional client serves (an ambito or a region pulls several enti). */
export const apiClientOrganisations = pgTable(
  'api_client_organisations',
  {
    apiClientId: uuid('api_client_id').notNull().references(() => apiClients.id),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
  },
  (t) => [primaryKey({ columns: [t.apiClientId, t.organisationId] })],
);
