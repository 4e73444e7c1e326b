import { sql } from 'drizzle-orm';
import { check, date, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, id, tstz, updatedAt, version } from './columns.js';
import { noteConfidentialityEnum, noteKindEnum, planStatusEnum } from './enums.js';
import { cases } from './cases.js';
import { organisations, staff } from './identity.js';

/** Diary notes. The text lives in note_versions: a correction adds a version, the old text stays. */
export const notes = pgTable(
  'notes',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    kind: noteKindEnum('kind').notNull(),
    occurredAt: tstz('occurred_at').notNull(),
    authorId: uuid('author_id').notNull().references(() => staff.id),
    confidentiality: noteConfidentialityEnum('confidentiality').notNull(),
    currentVersion: integer('current_version').notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [index('notes_case_idx').on(t.caseId, t.occurredAt, t.id)],
);

export const noteVersions = pgTable(
  'note_versions',
  {
    noteId: uuid('note_id').notNull().references(() => notes.id),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    reason: text('reason'),
    authorId: uuid('author_id').notNull().references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.noteId, t.version] }), check('note_version_reason', sql`${t.version} = 1 or ${t.reason} is not null`)],
);

export const assessments = pgTable(
  'assessments',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    assessedOn: date('assessed_on').notNull(),
    instrument: text('instrument').notNull(),
    source: text('source').notNull(),
    /** SINA fields (disability and non-self-sufficiency), as the SIUSS XSD names them. */
    sina: jsonb('sina').$type<Record<string, unknown>>(),
    /** SINBA-style fields for minors and families. */
    sinba: jsonb('sinba').$type<Record<string, unknown>>(),
    text: text('text'),
    authorId: uuid('author_id').notNull().references(() => staff.id),
    createdAt: createdAt(),
  },
  (t) => [index('assessments_case_idx').on(t.caseId, t.assessedOn)],
);

export const plans = pgTable(
  'plans',
  {
    id: id(),
    organisationId: uuid('organisation_id').notNull().references(() => organisations.id),
    caseId: uuid('case_id').notNull().references(() => cases.id),
    goals: jsonb('goals').$type<string[]>().notNull(),
    startDate: date('start_date').notNull(),
    reviewDueDate: date('review_due_date').notNull(),
    responsibleStaffId: uuid('responsible_staff_id').notNull().references(() => staff.id),
    status: planStatusEnum('status').notNull().default('draft'),
    createdBy: uuid('created_by').notNull().references(() => staff.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    version: version(),
  },
  (t) => [
    index('plans_case_idx').on(t.caseId),
    index('plans_review_due_idx').on(t.organisationId, t.reviewDueDate).where(sql`${t.status} = 'active'`),
    // Caseload metrics count overdue plans of active cases: read index-only in case order, merged with
    // cases_active_idx (src/modules/metrics/METRICS.md).
    index('plans_active_case_idx').on(t.organisationId, t.caseId, t.reviewDueDate).where(sql`${t.status} = 'active'`),
    check('plan_dates', sql`${t.reviewDueDate} >= ${t.startDate}`),
  ],
);
