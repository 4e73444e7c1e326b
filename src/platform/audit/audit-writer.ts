import pg from 'pg';
import { connectionSettingsOf } from '../database.js';
import type { AuditEventInput } from './audit-event.js';

/**
 * Group-commit writer of the audit trail. Concurrent requests enqueue their events; one batch at a time is
 * appended in its own transaction under an advisory lock, so every instance writing to the same database
 * extends one chain in one gap-free order. A caller's promise resolves only after its batch has committed:
 * the response waits for durability, but many requests share one commit.
 *
 * Hashing happens in SQL (cartella_audit_canonical), the same function verification uses.
 *
 * The writer appends through a connection of its own, not one of the request pool: a write request waits
 * for its event inside its transaction, holding a pool connection, so when every pool connection is held
 * that way a writer drawing from the same pool could never get one (each waiter would time out with 503).
 */
const chainLock = 'cartella:audit-chain';

const appendBatchSql = `
WITH RECURSIVE input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
    ord int, occurred_at timestamptz, actor_id uuid, actor_subject text, actor_role text, organisation_id uuid,
    action text, resource_type text, resource_id uuid, citizen_id uuid, case_id uuid, outcome text, reason text,
    emergency boolean, request_id text, client_address text, details jsonb)
), head AS (
  SELECT coalesce(max(seq), 0) AS seq,
         coalesce((SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1), '\\x${'00'.repeat(32)}'::bytea) AS hash
  FROM audit_events
), chain AS (
  SELECT 0 AS ord, seq, hash FROM head
  UNION ALL
  SELECT i.ord, c.seq + 1, sha256(c.hash || cartella_audit_canonical(c.seq + 1, i.occurred_at, i.actor_id,
    i.actor_subject, i.actor_role, i.organisation_id, i.action, i.resource_type, i.resource_id, i.citizen_id,
    i.case_id, i.outcome, i.reason, i.emergency, i.request_id, i.client_address, i.details))
  FROM chain c JOIN input i ON i.ord = c.ord + 1
)
INSERT INTO audit_events (seq, occurred_at, actor_id, actor_subject, actor_role, organisation_id, action,
  resource_type, resource_id, citizen_id, case_id, outcome, reason, emergency, request_id, client_address,
  details, prev_hash, hash)
SELECT c.seq, i.occurred_at, i.actor_id, i.actor_subject, i.actor_role, i.organisation_id, i.action,
  i.resource_type, i.resource_id, i.citizen_id, i.case_id, i.outcome, i.reason, i.emergency, i.request_id,
  i.client_address, i.details, p.hash, c.hash
FROM chain c JOIN input i ON i.ord = c.ord JOIN chain p ON p.ord = c.ord - 1`;

interface Pending {
  event: AuditEventInput;
  resolve(): void;
  reject(error: unknown): void;
}

export class AuditWriter {
  private queue: Pending[] = [];
  private draining: Promise<void> | null = null;
  private connection: pg.Pool | null = null;

  constructor(
    private readonly pool: pg.Pool,
    private readonly batchMax: number,
  ) {}

  /** Resolves once the event is committed; rejects if it could not be stored. */
  append(event: AuditEventInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ event, resolve, reject });
      this.draining ??= this.drain();
    });
  }

  /** Events waiting for their batch (exposed as an operations metric). */
  get depth(): number {
    return this.queue.length;
  }

  /** Waits for everything already enqueued, then closes the writer's connection (graceful shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
    const connection = this.connection;
    this.connection = null;
    await connection?.end();
  }

  /** A one-connection pool on the request pool's settings: it reconnects by itself after a failure. */
  private ownConnection(): pg.Pool {
    if (!this.connection) {
      this.connection = new pg.Pool({ ...connectionSettingsOf(this.pool), max: 1, min: 0 });
      // A server that goes away (restart, failover) must not crash the process: idle or between the batch's
      // queries, the error is dropped here and the next batch fails and reconnects.
      this.connection.on('error', () => {});
      this.connection.on('connect', (client) => client.on('error', () => {}));
    }
    return this.connection;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.batchMax);
        try {
          await this.write(batch.map((p) => p.event));
          for (const p of batch) p.resolve();
        } catch (error) {
          for (const p of batch) p.reject(error);
        }
      }
    } finally {
      this.draining = null;
    }
  }

  private async write(events: AuditEventInput[]): Promise<void> {
    const rows = events.map((e, index) => ({
      ord: index + 1,
      occurred_at: e.occurredAt.toISOString(),
      actor_id: e.actorId,
      actor_subject: e.actorSubject,
      actor_role: e.actorRole,
      organisation_id: e.organisationId,
      action: e.action,
      resource_type: e.resourceType,
      resource_id: e.resourceId,
      citizen_id: e.citizenId,
      case_id: e.caseId,
      outcome: e.outcome,
      reason: e.reason,
      emergency: e.emergency,
      request_id: e.requestId,
      client_address: e.clientAddress,
      details: e.details,
    }));
    const client = await this.ownConnection().connect();
    let broken: Error | undefined;
    try {
      // One round trip for both (simple protocol, no parameters): the lock is the chain's order.
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(hashtext('${chainLock}'))`);
      await client.query(appendBatchSql, [JSON.stringify(rows)]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch((e: Error) => (broken = e));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
