import { date, index, integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { organisations, teams } from './identity.js';

/**
 * Flow counters (src/modules/metrics/METRICS.md): cases opened and status changes per organisation, team
 * and local day, kept by triggers in the same transaction as the change (custom migration), so the flow
 * over any period is a sum over a few hundred rows and a read right after a commit reflects it. Events are
 * immutable, so a counter never needs refreshing. Rebuilt from the record by cartella_rebuild_case_flow().
 */
export const caseFlowEvents = pgTable(
  'case_flow_events',
  {
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    /** The case's team when the event happened. */
    teamId: uuid('team_id').notNull().references(() => teams.id),
    /** Local (Europe/Rome) date of the event. */
    day: date('day').notNull(),
    opened: integer('opened').notNull().default(0),
    takenInCharge: integer('taken_in_charge').notNull().default(0),
    reopened: integer('reopened').notNull().default(0),
    closed: integer('closed').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.organisationId, t.day, t.teamId] })],
);

/** Cases first taken in charge, per day and number of days since their referral: the median's histogram. */
export const caseFlowIntakeDays = pgTable(
  'case_flow_intake_days',
  {
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    teamId: uuid('team_id').notNull().references(() => teams.id),
    day: date('day').notNull(),
    days: integer('days').notNull(),
    cases: integer('cases').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.organisationId, t.day, t.teamId, t.days] }),
    // The key plus the count, so a period's histogram is read from the index alone.
    index('case_flow_intake_days_period_idx').on(t.organisationId, t.day, t.teamId, t.days, t.cases),
  ],
);
