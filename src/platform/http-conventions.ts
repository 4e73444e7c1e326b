import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/errors.js';

/**
 * Optimistic concurrency (SPEC §5): every versioned resource answers with ETag "<version>", and every
 * update must send it back in If-Match: missing → 428, stale → 412. The update itself is conditional in
 * SQL (`where version = $expected`), so two writers with the same ETag cannot both win.
 */
export const etagOf = (version: number) => `"${version}"`;

export function setEtag(reply: FastifyReply, version: number): void {
  reply.header('etag', etagOf(version));
}

export function requireIfMatch(request: FastifyRequest): number {
  const header = request.headers['if-match'];
  if (!header) throw new AppError('precondition_required', 'Send the ETag you read in an If-Match header.');
  const match = /^(?:W\/)?"(\d{1,9})"$/.exec(header.trim());
  if (!match) throw new AppError('precondition_failed', 'The If-Match header does not match the current version.');
  return Number(match[1]);
}

export const staleVersion = () =>
  new AppError('precondition_failed', 'The resource has changed since you read it; read it again and retry.');
