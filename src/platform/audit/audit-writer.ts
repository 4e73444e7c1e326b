import pg from 'pg';
import { connectionSettingsOf } from '../database.js';
import type { AuditEventInput } from './audit-event.js';

/**
 * Group-commit writer of the audit trail. Concurrent requests enqueue their events; one batch at a time is
 * appended by `cartella_audit_append` (migration 0013), one statement and its own transaction under an
 * advisory lock, so every instance writing to the same database extends one chain in one gap-free order. A
 * caller's promise resolves only after its batch has committed: the response waits for durability, but
 * many requests share one commit.
 *
 * Hashing happens in SQL (cartella_audit_canonical), the same function verification uses.
 *
 * The writer appends through a connection of its own, not one of the request pool: a write request waits
 * for its event inside its transaction, holding a pool connection, so when every pool connection is held
 * that way a writer drawing from the same pool could never get one (each waiter would time out with 503).
 */
/** One batch, appended in one autocommit statement (migration 0013): one round trip per batch. */
const appendBatchSql = 'SELECT cartella_audit_append($1::jsonb)';

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
    await this.ownConnection().query(appendBatchSql, [JSON.stringify(rows)]);
  }
}
