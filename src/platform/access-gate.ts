import { Readable } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { Actor } from '../access/actor.js';
import { roleHas, type RouteAccess } from '../access/permissions.js';
import { AppError, forbidden } from '../shared/errors.js';
import { outcomeOfStatus } from './audit/audit-event.js';
import type { AuditWriter } from './audit/audit-writer.js';
import { RequestAudit, type AuditSpec } from './audit/request-audit.js';
import { UnknownSubjectError } from './authentication.js';
import { toProblem } from './errors.js';

/**
 * The access gate: every API route declares who may call it (`config.access`) and what it records in the
 * audit trail (`config.audit`, or `false` for routes that touch no personal data). A route under /v1 or
 * /waas without both is a programming error and stops the service from starting. For each request the
 * gate authenticates, checks the role's permission (403), opens the request's audit event, and makes sure
 * that event is durably stored before any response leaves — a request whose event cannot be stored is
 * answered 503 without its data.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
    audit?: AuditSpec | false;
    /** Creating POSTs: an Idempotency-Key header replays the first answer (src/platform/idempotency.ts). */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    audit: RequestAudit | null;
  }
}

const guardedPrefixes = ['/v1/', '/waas/'];

export function requireActor(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('unauthenticated');
  return request.actor;
}

export const accessGatePlugin = fp(
  async (app: FastifyInstance, options: { auditWriter: AuditWriter }) => {
    app.decorateRequest('actor', null);
    app.decorateRequest('audit', null);

    app.addHook('onRoute', (route: RouteOptions) => {
      if (!guardedPrefixes.some((p) => route.url.startsWith(p))) return;
      if (route.method === 'HEAD') return;
      const config = route.config as { access?: RouteAccess; audit?: AuditSpec | false } | undefined;
      if (!config?.access || config.audit === undefined) {
        throw new Error(`Route ${String(route.method)} ${route.url} must declare config.access and config.audit`);
      }
    });

    app.addHook('onRequest', async (request) => {
      const { access, audit } = request.routeOptions.config;
      if (!access) return;
      if (audit) request.audit = new RequestAudit(options.auditWriter, audit, request);
      if (access === 'public') return;
      try {
        request.actor = await app.authenticate(request);
      } catch (error) {
        if (error instanceof UnknownSubjectError && request.audit) request.audit.unknownSubject = error.subject;
        throw error;
      }
      if (request.audit) request.audit.actor = request.actor;
      if (access !== 'authenticated' && !roleHas(request.actor.role, access)) throw forbidden(access);
    });

    // The audit event leaves with the response, or the response does not leave.
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
      const audit = request.audit;
      if (!audit || audit.isFlushed) return payload;
      try {
        await audit.flush(outcomeOfStatus(reply.statusCode), request.problemCode);
        return payload;
      } catch (error) {
        request.log.error({ err: error }, 'audit event could not be stored; response withheld');
        // A streamed body (an export) holds a database cursor: the stream is dropped, so close it here.
        if (payload instanceof Readable) payload.destroy();
        const problem = error instanceof AppError ? error : new AppError('audit_unavailable');
        reply.removeHeader('etag');
        reply.removeHeader('content-length');
        sendProblemHeaders(reply, problem);
        // Built here rather than through the error handler, which would re-enter this hook.
        return JSON.stringify(toProblem(problem, request.url.split('?')[0]!));
      }
    });
  },
  { name: 'cartella-access-gate', dependencies: ['cartella-authentication'] },
);

function sendProblemHeaders(reply: FastifyReply, problem: AppError): void {
  reply.code(problem.status).header('content-type', 'application/problem+json; charset=utf-8');
  reply.header('retry-after', String(problem.extras.retryAfterSeconds ?? 5));
}
