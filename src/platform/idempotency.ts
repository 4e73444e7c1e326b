import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { idempotencyKeys } from '../db/schema/index.js';
import type { Database, DbHandle } from './database.js';
import { AppError, invalid } from '../shared/errors.js';

/**
 * Idempotency-Key on creating POSTs (SPEC §5). The first answer is stored in the same transaction as the
 * record it created, so a retry after a lost response replays it, a concurrent duplicate waits for the first
 * and then replays it, and the same key with another body is refused (422).
 */
export interface IdempotencyClaim {
  actorId: string;
  key: string;
  route: string;
  requestHash: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    idempotency: IdempotencyClaim | null;
  }
}

const keyPattern = /^[\x21-\x7e]{8,200}$/;

function claimOf(request: FastifyRequest): IdempotencyClaim | null {
  const key = request.headers['idempotency-key'];
  if (key === undefined || !request.actor) return null;
  if (typeof key !== 'string' || !keyPattern.test(key)) {
    throw invalid('header/idempotency-key', 'must be 8–200 visible ASCII characters (a UUID is ideal)');
  }
  const route = `${request.method} ${request.routeOptions.url}`;
  const requestHash = createHash('sha256').update(`${request.url}\n${JSON.stringify(request.body ?? null)}`).digest('hex');
  return { actorId: request.actor.id, key, route, requestHash };
}

async function storedAnswer(db: DbHandle, claim: IdempotencyClaim) {
  const [row] = await db
    .select()
    .from(idempotencyKeys)
    .where(and(eq(idempotencyKeys.actorId, claim.actorId), eq(idempotencyKeys.key, claim.key)));
  if (!row) return undefined;
  if (row.route !== claim.route || row.requestHash !== claim.requestHash) {
    throw new AppError('idempotency_key_reused', 'This Idempotency-Key was already used for a different request.');
  }
  return row;
}

/**
 * The stored answer is the response exactly as serialised (the route's 201 schema applied: undeclared
 * fields dropped, dates as strings), so a replay sends the same bytes without serialising again.
 */
export async function rememberAnswer(tx: DbHandle, claim: IdempotencyClaim, request: FastifyRequest, result: unknown) {
  const schema = (request.routeOptions.schema?.response as Record<number, unknown> | undefined)?.[201];
  const body = schema instanceof z.ZodType ? z.encode(schema, result) : result;
  await tx.insert(idempotencyKeys).values({ ...claim, statusCode: 201, responseBody: body as object });
}

/** Thrown when a concurrent twin committed first: the error handler answers with the twin's answer. */
export class ReplayedAnswer extends Error {
  constructor(readonly statusCode: number, readonly body: unknown) {
    super('idempotent replay');
  }
}

export async function replayAfterRace(db: DbHandle, claim: IdempotencyClaim): Promise<never> {
  const row = await storedAnswer(db, claim);
  if (!row) throw new AppError('conflict', 'A request with this Idempotency-Key is in progress.');
  throw new ReplayedAnswer(row.statusCode, row.responseBody);
}

export function sendReplay(reply: FastifyReply, statusCode: number, body: unknown) {
  return reply.code(statusCode).header('idempotent-replayed', 'true').type('application/json; charset=utf-8').send(JSON.stringify(body));
}

export const idempotencyPlugin = fp(
  async (app: FastifyInstance, options: { db: Database }) => {
    app.decorateRequest('idempotency', null);
    app.addHook('preHandler', async (request, reply) => {
      if (!request.routeOptions.config.idempotent) return;
      const claim = claimOf(request);
      if (!claim) return;
      const stored = await storedAnswer(options.db, claim);
      if (stored) {
        request.audit?.record({ details: { idempotentReplay: true } });
        return sendReplay(reply, stored.statusCode, stored.responseBody);
      }
      request.idempotency = claim;
    });
    // Keys are kept a day: long enough for any client retry, short enough not to grow without bound.
    app.decorate('purgeIdempotencyKeys', () =>
      options.db.delete(idempotencyKeys).where(sql`${idempotencyKeys.createdAt} < now() - interval '1 day'`),
    );
  },
  { name: 'cartella-idempotency', dependencies: ['cartella-access-gate'] },
);
