import { sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';
import type { Config } from '../config.js';
import type { Database, DbHandle } from './database.js';
import { replayAfterRace, rememberAnswer } from './idempotency.js';
import type { AuditFacts, RequestAudit } from './audit/request-audit.js';
import { requireActor } from './access-gate.js';
import { AppError } from '../shared/errors.js';

/**
 * What a service method receives: the caller, the database, the request's audit event and the config.
 * Services own their transactions through `transaction`, which also (before commit) checks deferred
 * constraints, stores the Idempotency-Key answer and makes the audit event durable — so a change is never
 * committed without its trace.
 */
export interface ServiceContext {
  actor: Actor;
  db: Database;
  config: Readonly<Config>;
  audit(facts: AuditFacts): void;
  transaction<T>(work: (tx: DbHandle) => Promise<T>, options?: TransactionOptions): Promise<T>;
}

export interface TransactionOptions {
  /**
   * False when the work touches no table with deferred rules (migration 0001: cases, assignments): their
   * check before the audit event is then skipped, a round trip saved on hot writes. Default true.
   */
  deferredRules?: boolean;
}

export function serviceContext(request: FastifyRequest): ServiceContext {
  const { db, config } = request.server;
  const audit = request.audit;
  return {
    actor: requireActor(request),
    db,
    config,
    audit: (facts) => audit?.record(facts),
    transaction: (work, options) => runTransaction(db, audit, request, work, options?.deferredRules ?? true),
  };
}

async function runTransaction<T>(
  db: Database,
  audit: RequestAudit | null,
  request: FastifyRequest,
  work: (tx: DbHandle) => Promise<T>,
  deferredRules: boolean,
): Promise<T> {
  const claim = request.idempotency;
  try {
    return await db.transaction(async (tx) => {
      const result = await work(tx);
      // Deferred rules (e.g. an in_charge case needs a case manager) fail here, not at COMMIT, so that the
      // audit event below only records changes that are about to commit.
      if (deferredRules) await tx.execute(sql`set constraints all immediate`);
      if (claim) await rememberAnswer(tx, claim, request, result);
      // Already answered 503 (deadline, src/platform/security.ts): the client was told it failed, so roll back.
      if (request.timedOut) throw new AppError('service_unavailable', 'The request could not be completed in time.');
      await audit?.flush('success');
      return result;
    });
  } catch (error) {
    if (claim && (error as { cause?: { constraint?: string } }).cause?.constraint === 'idempotency_keys_actor_id_key_pk') {
      return replayAfterRace(db, claim);
    }
    throw error;
  }
}
