import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { asAppError, problemType } from '../../platform/errors.js';
import { serviceContext } from '../../platform/request-context.js';
import { AppError } from '../../shared/errors.js';
import * as service from './siuss.service.js';
import {
  elencoEsitiSchema,
  emittedEntriesSchema,
  flussiQuerySchema,
  problemSchema,
  type Problem,
} from './siuss.schemas.js';

/**
 * INPS's WaaS e-service, exactly as api-comuni.yaml describes it (SPEC §9), under /waas/v1. Registered as an
 * encapsulated plugin because its errors follow the yaml's Problem — no extra properties (so no `code` or
 * field list: the invalid fields are named in `detail`), `type` and `instance` absolute URIs — rather than
 * Cartella's own problem+json. `instance` names the request (`urn:cartella:request:<request-id>`), which is
 * also the `request-id` response header and the audit event's request id.
 */
const waasProblem = problemSchema.meta({ id: 'WaasProblem' });
const waasEntries = emittedEntriesSchema.meta({ id: 'WaasEntries' });
const waasElencoEsiti = elencoEsitiSchema.meta({ id: 'WaasElencoEsiti' });
const waasProblemResponses = {
  400: waasProblem,
  401: waasProblem,
  403: waasProblem,
  404: waasProblem,
  429: waasProblem,
  500: waasProblem,
  503: waasProblem,
} as const;
const tags = ['siuss (INPS WaaS)'];

const clip = (text: string) => (text.length > 4096 ? text.slice(0, 4096) : text);

export function toWaasProblem(error: AppError, requestId: string): Problem {
  return {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: clip(error.detail ?? error.title),
    instance: `urn:cartella:request:${encodeURIComponent(requestId)}`,
  };
}

function sendWaasProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  request.problemCode = error.code;
  if (error.extras.retryAfterSeconds !== undefined)
    reply.header('retry-after', String(error.extras.retryAfterSeconds));
  return reply.code(error.status).type('application/problem+json').send(toWaasProblem(error, request.id));
}

export const waasRoutes: FastifyPluginAsyncZod = async (app) => {
  app.setErrorHandler(async (error: unknown, request, reply) => {
    const appError = asAppError(error);
    if (appError.status >= 500) request.log.error({ err: error, code: appError.code }, 'WaaS request failed');
    return sendWaasProblem(request, reply, appError);
  });
  app.setNotFoundHandler(
    {
      preHandler: app.rateLimit({
        max: app.config.rateLimit.notFoundMax,
        timeWindow: app.config.rateLimit.windowSeconds * 1000,
      }),
    },
    async (request, reply) =>
      sendWaasProblem(
        request,
        reply,
        new AppError('not_found', 'There is no such resource in this e-service.'),
      ),
  );

  app.get(
    '/flussi',
    {
      config: { access: 'siuss:feed', audit: { action: 'siuss.flows.read', resourceType: 'siuss_flow' } },
      schema: {
        summary: 'Flows updated after `since` (ms), oldest first (INPS WaaS GET /flussi)',
        tags,
        querystring: flussiQuerySchema,
        response: { 200: waasEntries, ...waasProblemResponses },
      },
    },
    async (request) => service.listFlows(serviceContext(request), request.query),
  );

  app.post(
    '/esiti',
    {
      config: { access: 'siuss:feed', audit: { action: 'siuss.outcomes.write', resourceType: 'siuss_flow' } },
      schema: {
        summary: 'Outcomes of the flows INPS acquired (INPS WaaS POST /esiti)',
        tags,
        body: waasElencoEsiti,
        response: { 204: z.null().describe('Notifica recepita'), ...waasProblemResponses },
      },
    },
    async (request, reply) => {
      const { unknownFlowIds } = await service.recordOutcomes(serviceContext(request), request.body);
      // Flow ids carry no personal data: logged so an operator can chase them with INPS.
      if (unknownFlowIds.length > 0)
        request.log.warn({ unknownFlowIds }, 'SIUSS outcomes for flows this organisation never issued');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/status',
    {
      // The yaml declares no security for /status.
      config: { access: 'public', audit: false },
      schema: {
        summary: 'E-service health (INPS WaaS GET /status)',
        tags,
        security: [],
        response: { 200: waasProblem, 503: waasProblem },
      },
    },
    async (request, reply) => {
      reply.type('application/problem+json');
      try {
        await app.db.execute(sql`select 1`);
        return {
          type: 'about:blank',
          title: 'OK',
          status: 200,
          detail: 'The e-service and its database are available.',
        };
      } catch {
        reply.code(503).header('retry-after', '5');
        return toWaasProblem(new AppError('service_unavailable', 'The database is unreachable.'), request.id);
      }
    },
  );
};
