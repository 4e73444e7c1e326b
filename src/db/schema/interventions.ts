import { sql } from 'drizzle-orm';
import { check, date, index, numeric, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt, version } from './columns.js';
import { interventionStatusEnum } from './enums.js';
import { cases } from './cases.js';
import { services } from './catalogue.js';
import { organisations, staff } from './identity.js';

/** Money is numeric, never float: amounts travel as decimal strings end to end. */
const money = (name: string) => numeric(name, { precision: 12, scale: 2 });

export const interventions = pgTable(
  'interventions',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    serviceId: uuid('service_id').notNull().references(() => services.id),
    status: interventionStatusEnum('status').notNull(),
    plannedStart: date('planned_start'),
    plannedEnd: date('planned_end'),
    actualStart: date('actual_start'),
    actualEnd: date('actual_end'),
    provider: text('provider'),
    monthlyHours: numeric('monthly_hours', { precision: 6, scale: 2 }),
    amountTotal: money('amount_total'),
    amountMonthly: money('amount_monthly'),
    shareOrganisation: money('share_organisation'),
    shareUser: money('share_user'),
    shareHealthService: money('share_health_service'),
    iseeThreshold: money('isee_threshold'),
    dsuProtocol: text('dsu_protocol'),
    dsuDate: date('dsu_date'),
    createdBy: uuid('created_by').notNull().references(() => staff.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('interventions_case_idx').on(t.caseId, t.createdAt, t.id),
    index('interventions_organisation_idx').on(t.organisationId, t.serviceId),
    // Anonymised indicators count interventions by the month they started (src/modules/indicators).
    index('interventions_organisation_start_idx').on(t.organisationId, t.actualStart),
    check('intervention_planned_dates', sql`${t.plannedEnd} is null or ${t.plannedStart} is null or ${t.plannedEnd} >= ${t.plannedStart}`),
    check('intervention_actual_dates', sql`${t.actualEnd} is null or ${t.actualStart} is null or ${t.actualEnd} >= ${t.actualStart}`),
  ],
);

export const interventionStatusChanges = pgTable(
  'intervention_status_changes',
  {
    id: id(),
    interventionId: uuid('intervention_id').notNull().references(() => interventions.id),
    fromStatus: interventionStatusEnum('from_status'),
    toStatus: interventionStatusEnum('to_status').notNull(),
    reason: text('reason'),
    changedBy: uuid('changed_by').notNull().references(() => staff.id),
    changedAt: tstz('changed_at').notNull().defaultNow(),
  },
  (t) => [index('intervention_status_changes_idx').on(t.interventionId, t.changedAt)],
);
