import { date, index, integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { assignmentRoleEnum, caseStatusEnum, userAreaEnum } from './enums.js';
import { organisations, staff, teams } from './identity.js';

/** Cases counted by complexity (1–3) and with a judicial measure: enough to weigh them with any weights. */
const caseCountColumns = () => ({
  complexity1: integer('complexity_1').notNull().default(0),
  complexity2: integer('complexity_2').notNull().default(0),
  complexity3: integer('complexity_3').notNull().default(0),
  judicial: integer('judicial').notNull().default(0),
});

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

/**
 * Caseload counts (src/modules/metrics/METRICS.md), kept by triggers in the same transaction as the change
 * (migrations/0009): per worker, assignment role and user area, the open-ended assignments (`valid_to is
 * null`) on active cases, by the case's complexity and judicial measure, so that weights apply at read
 * time. A key may have several rows, summed when read: a trigger adds to a row no other transaction holds,
 * or adds a row, so writers never wait for one another on a counter. What time changes by itself (rows
 * starting later, rows with an end date) is corrected live at read time from the assignments.
 */
export const caseloadWorkerCounts = pgTable(
  'caseload_worker_counts',
  {
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    staffId: uuid('staff_id').notNull().references(() => staff.id),
    role: assignmentRoleEnum('role').notNull(),
    userArea: userAreaEnum('user_area').notNull(),
    ...caseCountColumns(),
  },
  (t) => [index('caseload_worker_counts_key_idx').on(t.organisationId, t.staffId, t.role, t.userArea)],
);

/** Active cases per team, user area and status, kept the same way (a case's status does not change with time). */
export const caseloadCaseCounts = pgTable(
  'caseload_case_counts',
  {
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    teamId: uuid('team_id').notNull().references(() => teams.id),
    userArea: userAreaEnum('user_area').notNull(),
    status: caseStatusEnum('status').notNull(),
    ...caseCountColumns(),
  },
  (t) => [index('caseload_case_counts_key_idx').on(t.organisationId, t.teamId, t.userArea, t.status)],
);
