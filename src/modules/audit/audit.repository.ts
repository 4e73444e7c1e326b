import { and, asc, desc, eq, gte, lt, lte, max, type SQL } from 'drizzle-orm';
import { auditEvents, citizens } from '../../db/schema/index.js';
import type { DbHandle } from '../../platform/database.js';
import type { AuditEventRow } from './audit.schemas.js';

/** The events an auditor asks for. Always bound to one organisation (tenancy). */
export interface AuditFilter {
  organisationId: string;
  actorId?: string;
  citizenId?: string;
  caseId?: string;
  action?: string;
  outcome?: string;
  emergency?: boolean;
  from?: string;
  to?: string;
}

const columns = {
  seq: auditEvents.seq,
  occurredAt: auditEvents.occurredAt,
  actorId: auditEvents.actorId,
  actorSubject: auditEvents.actorSubject,
  actorRole: auditEvents.actorRole,
  organisationId: auditEvents.organisationId,
  action: auditEvents.action,
  resourceType: auditEvents.resourceType,
  resourceId: auditEvents.resourceId,
  citizenId: auditEvents.citizenId,
  caseId: auditEvents.caseId,
  outcome: auditEvents.outcome,
  reason: auditEvents.reason,
  emergency: auditEvents.emergency,
  requestId: auditEvents.requestId,
  clientAddress: auditEvents.clientAddress,
  details: auditEvents.details,
};
const columnNames = Object.keys(columns) as (keyof typeof columns)[];

// Each filter matches an index of audit_events ((x, seq) for actor, citizen, case, organisation; time).
function conditions(filter: AuditFilter): SQL | undefined {
  return and(
    eq(auditEvents.organisationId, filter.organisationId),
    filter.actorId ? eq(auditEvents.actorId, filter.actorId) : undefined,
    filter.citizenId ? eq(auditEvents.citizenId, filter.citizenId) : undefined,
    filter.caseId ? eq(auditEvents.caseId, filter.caseId) : undefined,
    filter.action ? eq(auditEvents.action, filter.action) : undefined,
    filter.outcome ? eq(auditEvents.outcome, filter.outcome) : undefined,
    filter.emergency !== undefined ? eq(auditEvents.emergency, filter.emergency) : undefined,
    filter.from ? gte(auditEvents.occurredAt, new Date(filter.from)) : undefined,
    filter.to ? lt(auditEvents.occurredAt, new Date(filter.to)) : undefined,
  );
}

/** Newest first; `beforeSeq` is the keyset cursor. Fetches limit + 1 rows to know whether a page follows. */
export async function listEvents(db: DbHandle, filter: AuditFilter, page: { beforeSeq?: number; limit: number }): Promise<AuditEventRow[]> {
  return db
    .select(columns)
    .from(auditEvents)
    .where(and(conditions(filter), page.beforeSeq !== undefined ? lt(auditEvents.seq, page.beforeSeq) : undefined))
    .orderBy(desc(auditEvents.seq))
    .limit(page.limit + 1) as Promise<AuditEventRow[]>;
}

/**
 * The sequence number of the newest stored event, across organisations (0 for an empty trail). Events are
 * appended one batch at a time under the chain lock, so every event up to it has committed.
 */
export async function lastSeq(db: DbHandle): Promise<number> {
  const [row] = await db.select({ seq: max(auditEvents.seq) }).from(auditEvents);
  return Number(row?.seq ?? 0);
}

/** The export query up to `throughSeq`, oldest first, as SQL text for a cursor stream (rows as arrays, see below). */
export function exportQuery(db: DbHandle, filter: AuditFilter, throughSeq: number): { sql: string; params: unknown[] } {
  return db
    .select(columns)
    .from(auditEvents)
    .where(and(conditions(filter), lte(auditEvents.seq, throughSeq)))
    .orderBy(asc(auditEvents.seq))
    .toSQL();
}

/** A streamed row (node-postgres array mode: int8 arrives as text, timestamptz as Date) as an event. */
export function eventOfExportRow(values: unknown[]): AuditEventRow {
  const event = Object.fromEntries(columnNames.map((name, i) => [name, values[i]])) as Record<string, unknown>;
  return { ...event, seq: Number(event.seq) } as AuditEventRow;
}

export async function citizenExists(db: DbHandle, organisationId: string, citizenId: string): Promise<boolean> {
  const rows = await db
    .select({ id: citizens.id })
    .from(citizens)
    .where(and(eq(citizens.id, citizenId), eq(citizens.organisationId, organisationId)));
  return rows.length > 0;
}
