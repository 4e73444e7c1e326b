import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type pg from 'pg';
import { copyOut } from '../../src/modules/audit/audit.copy-out.js';
import type { AuditEventInput } from '../../src/platform/audit/audit-event.js';

/** Audit events appended through the app's own writer (hash chain and all), for query fixtures. */
export async function appendEvents(app: FastifyInstance, events: Partial<AuditEventInput>[]): Promise<void> {
  await Promise.all(
    events.map((event) =>
      app.auditWriter.append({
        occurredAt: new Date(),
        actorId: null,
        actorSubject: null,
        actorRole: null,
        organisationId: null,
        action: 'case.read',
        resourceType: 'case',
        resourceId: null,
        citizenId: null,
        caseId: null,
        outcome: 'success',
        reason: null,
        emergency: false,
        requestId: randomUUID(),
        clientAddress: '127.0.0.1',
        details: null,
        ...event,
      }),
    ),
  );
}

export interface StoredEvent {
  seq: number;
  action: string;
  actor_id: string | null;
  actor_subject: string | null;
  organisation_id: string | null;
  outcome: string;
  reason: string | null;
  citizen_id: string | null;
  case_id: string | null;
  resource_id: string | null;
  details: Record<string, unknown> | null;
}

export async function eventsOfRequest(pool: pg.Pool, requestId: string): Promise<StoredEvent[]> {
  const { rows } = await pool.query<StoredEvent>(
    `SELECT seq::float8 AS seq, action, actor_id, actor_subject, organisation_id, outcome, reason, citizen_id, case_id, resource_id, details
     FROM audit_events WHERE request_id = $1 ORDER BY seq`,
    [requestId],
  );
  return rows;
}

/** A request id the app accepts (`request-id` header) and that finds the request's events afterwards. */
export const newRequestId = () => `t-${randomUUID()}`;

/** Changes the stored chain behind the database's back, as only the table owner could. */
export async function tamper(pool: pg.Pool, statement: string, values: unknown[] = []): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete');
    await client.query(statement, values);
    await client.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** The raw protocol bytes of a `COPY … TO STDOUT`, as the verifier receives them from the socket. */
export async function rawCopy(pool: pg.Pool, sql: string): Promise<Buffer> {
  const client = await pool.connect();
  const chunks: Buffer[] = [];
  try {
    await copyOut(client, sql, { onChunk: (chunk) => chunks.push(Buffer.from(chunk)) });
  } finally {
    client.release();
  }
  return Buffer.concat(chunks);
}
