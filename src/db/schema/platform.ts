import { bigint, boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tstz } from './columns.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * The audit trail (SPEC §7). Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE: custom migration);
 * `seq` is assigned by the one writer under an advisory lock, so the order is total and gap-free across
 * instances, and `hash` = SHA-256(prev_hash || canonical form of the event).
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    occurredAt: tstz('occurred_at').notNull(),
    actorId: uuid('actor_id'),
    actorSubject: text('actor_subject'),
    actorRole: text('actor_role'),
    organisationId: uuid('organisation_id'),
    action: text('action').notNull(),
    resourceType: text('resource_type'),
    resourceId: uuid('resource_id'),
    citizenId: uuid('citizen_id'),
    caseId: uuid('case_id'),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    emergency: boolean('emergency').notNull().default(false),
    requestId: text('request_id'),
    clientAddress: text('client_address'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    prevHash: bytea('prev_hash').notNull(),
    hash: bytea('hash').notNull(),
  },
  (t) => [
    index('audit_events_actor_idx').on(t.actorId, t.seq),
    index('audit_events_citizen_idx').on(t.citizenId, t.seq),
    index('audit_events_case_idx').on(t.caseId, t.seq),
    index('audit_events_organisation_idx').on(t.organisationId, t.seq),
    index('audit_events_time_idx').on(t.occurredAt),
  ],
);

/** Stored first answers of creating POSTs, so a retry with the same Idempotency-Key replays it. */
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    actorId: uuid('actor_id').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code').notNull(),
    responseBody: jsonb('response_body').notNull(),
    createdAt: tstz('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.actorId, t.key] })],
);
