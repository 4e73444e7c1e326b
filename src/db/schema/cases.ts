import { sql } from 'drizzle-orm';
import { boolean, check, date, index, pgTable, primaryKey, smallint, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt, version } from './columns.js';
import { assignmentRoleEnum, caseStatusEnum, closureReasonEnum, userAreaEnum } from './enums.js';
import { citizens, households } from './citizens.js';
import { organisations, staff, teams } from './identity.js';

/** The cartella. Never deleted: closing is a status. */
export const cases = pgTable(
  'cases',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    citizenId: uuid('citizen_id').notNull().references(() => citizens.id),
    householdId: uuid('household_id').references(() => households.id),
    teamId: uuid('team_id').notNull().references(() => teams.id),
    userArea: userAreaEnum('user_area').notNull(),
    siussArea: smallint('siuss_area').notNull(),
    referralSource: text('referral_source').notNull(),
    referralDate: date('referral_date').notNull(),
    complexity: smallint('complexity').notNull(),
    judicialMeasure: boolean('judicial_measure').notNull().default(false),
    status: caseStatusEnum('status').notNull().default('referred'),
    closureReason: closureReasonEnum('closure_reason'),
    takenInChargeAt: tstz('taken_in_charge_at'),
    closedAt: tstz('closed_at'),
    /** Sealed: only the staff in case_seal_members may see it, whatever their role (SPEC §4). */
    sealed: boolean('sealed').notNull().default(false),
    createdBy: uuid('created_by').notNull().references(() => staff.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('cases_organisation_created_idx').on(t.organisationId, t.createdAt, t.id),
    // Anonymised indicators count cases by referral month (src/modules/indicators).
    index('cases_organisation_referral_idx').on(t.organisationId, t.referralDate),
    index('cases_team_created_idx').on(t.teamId, t.createdAt, t.id),
    index('cases_citizen_idx').on(t.citizenId),
    // Metrics read the active cases of an organisation from this index alone: in id order to merge-join
    // them with the active plans, and one by one for the assignments whose dates are ahead (METRICS.md).
    index('cases_active_idx')
      .on(t.organisationId, t.id, t.teamId, t.userArea, t.complexity, t.judicialMeasure, t.status)
      .where(sql`${t.status} in ('open', 'in_charge')`),
    check('siuss_area_range', sql`${t.siussArea} between 1 and 3`),
    check('complexity_range', sql`${t.complexity} between 1 and 3`),
    check('closure_reason_when_closed', sql`(${t.status} = 'closed') = (${t.closureReason} is not null)`),
  ],
);

export const caseStatusChanges = pgTable(
  'case_status_changes',
  {
    id: id(),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    fromStatus: caseStatusEnum('from_status'),
    toStatus: caseStatusEnum('to_status').notNull(),
    closureReason: closureReasonEnum('closure_reason'),
    note: text('note'),
    changedBy: uuid('changed_by').notNull().references(() => staff.id),
    changedAt: tstz('changed_at').notNull().defaultNow(),
  },
  (t) => [index('case_status_changes_case_idx').on(t.caseId, t.changedAt)],
);

export const caseSealMembers = pgTable(
  'case_seal_members',
  {
    caseId: uuid('case_id').notNull().references(() => cases.id),
    staffId: uuid('staff_id').notNull().references(() => staff.id),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.staffId] }), index('case_seal_members_staff_idx').on(t.staffId)],
);

/**
 * Time-bounded assignment rows: a row is active while valid_from <= now() < coalesce(valid_to, infinity), so
 * an absence cover with a future valid_to ends by itself. Rows are never deleted; ending one sets valid_to.
 * The "one case manager at a time" rule is an exclusion constraint (custom migration), not only code.
 */
export const assignments = pgTable(
  'assignments',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    staffId: uuid('staff_id').notNull().references(() => staff.id),
    role: assignmentRoleEnum('role').notNull(),
    validFrom: tstz('valid_from').notNull().defaultNow(),
    validTo: tstz('valid_to'),
    reason: text('reason'),
    endReason: text('end_reason'),
    createdBy: uuid('created_by').notNull().references(() => staff.id),
    /**
     * The case's own `created_at`, which never changes, copied here by the database (trigger of migration
     * 0012; NOT NULL there, so nothing inserts it): "my cases" is ordered by it, and with it in
     * `assignments_staff_newest_case_idx` the first page reads a worker's newest assignments from the index
     * and only then the cases it shows, instead of every assigned case before sorting them.
     */
    caseCreatedAt: tstz('case_created_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    // With the validity in the key, "is this worker assigned to this case now" is read from the index alone.
    index('assignments_staff_case_idx').on(t.staffId, t.caseId, t.validFrom, t.validTo),
    index('assignments_staff_newest_case_idx').on(t.staffId, t.caseCreatedAt, t.caseId, t.validFrom, t.validTo),
    index('assignments_case_idx').on(t.caseId, t.validFrom),
    // A case's manager now, for every case read and every row of a list: without it the planner reaches
    // for the exclusion constraint's GiST index, several times slower.
    index('assignments_case_manager_idx').on(t.caseId, t.validFrom, t.validTo, t.staffId).where(sql`${t.role} = 'case_manager'`),
    // Caseload metrics correct the trigger-kept counts (which hold the open-ended rows) with the rows whose
    // validity boundary is still ahead: open-ended rows starting later, and rows with an end date (of which
    // only the few ending in the future are read). Ordered by that boundary, so a read touches only those.
    index('assignments_starting_idx').on(t.organisationId, t.validFrom, t.caseId, t.staffId, t.role).where(sql`${t.validTo} is null`),
    index('assignments_ending_idx').on(t.organisationId, t.validTo, t.caseId, t.staffId, t.role, t.validFrom).where(sql`${t.validTo} is not null`),
    check('assignment_validity', sql`${t.validTo} is null or ${t.validTo} > ${t.validFrom}`),
  ],
);

/** Break-the-glass grants (SPEC §4): read-only, time-limited, reviewed by the case's coordinators. */
export const emergencyGrants = pgTable(
  'emergency_grants',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    staffId: uuid('staff_id').notNull().references(() => staff.id),
    reason: text('reason').notNull(),
    grantedAt: tstz('granted_at').notNull().defaultNow(),
    expiresAt: tstz('expires_at').notNull(),
    reviewedBy: uuid('reviewed_by').references(() => staff.id),
    reviewedAt: tstz('reviewed_at'),
    /** What the reviewing coordinator or director concluded about the grant's justification. */
    reviewNote: text('review_note'),
  },
  (t) => [
    index('emergency_grants_staff_idx').on(t.staffId, t.caseId, t.expiresAt),
    index('emergency_grants_case_idx').on(t.caseId, t.grantedAt),
    check('emergency_reason_length', sql`char_length(${t.reason}) >= 20`),
  ],
);
