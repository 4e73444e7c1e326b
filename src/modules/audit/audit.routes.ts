import { z } from 'zod';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { serviceContext } from '../../platform/request-context.js';
import { pageQuery } from '../../shared/pagination.js';
import { idParams, problem, problemResponses } from '../../shared/schemas.js';
import { negotiateFormat } from './audit.export.js';
import * as service from './audit.service.js';
import { accessLogPage, auditEventPage, auditQuery, chainVerification, exportFormats } from './audit.schemas.js';

const tags = ['audit'];

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/audit-events',
    {
      config: { access: 'audit:read', audit: { action: 'audit.list', resourceType: 'audit_event' } },
      schema: {
        summary: 'Query the audit trail of your organisation, newest first; or export it (Accept: text/csv or application/x-ndjson)',
        description:
          'Filters combine with AND; `from` is inclusive, `to` exclusive. With `Accept: text/csv` or ' +
          '`application/x-ndjson` every matching event is streamed, oldest first (`limit` and `cursor` do not ' +
          'apply); CSV cells that start with = + - @, tab or CR are prefixed with an apostrophe.',
        tags,
        querystring: auditQuery,
        response: {
          200: {
            description: 'A page of events, or the streamed export',
            content: {
              'application/json': { schema: auditEventPage },
              [exportFormats.csv]: { schema: z.string() },
              [exportFormats.ndjson]: { schema: z.string() },
            },
          },
          ...problemResponses,
          406: problem,
        },
      },
    },
    async (request, reply) => {
      const format = negotiateFormat(request.headers.accept);
      const ctx = serviceContext(request);
      if (format === 'json') return reply.type('application/json; charset=utf-8').send(await service.listEvents(ctx, request.query));
      const stream = await service.exportEvents(ctx, request.query, format, (error) => request.log.error({ err: error }, 'audit export failed midway'));
      // The typed reply knows the schemas' payloads; a stream is sent as bytes, past the serializer.
      return (reply as FastifyReply)
        .type(`${exportFormats[format]}; charset=utf-8`)
        .header('content-disposition', `attachment; filename="audit-events.${format}"`)
        .send(stream);
    },
  );

  app.get(
    '/v1/audit-events/verification',
    {
      config: { access: 'audit:read', audit: { action: 'audit.verify', resourceType: 'audit_event' } },
      schema: {
        summary: 'Verify the hash chain of the whole audit trail and name the first broken link',
        tags,
        response: { 200: chainVerification, ...problemResponses },
      },
    },
    async (request) => service.verifyChain(serviceContext(request)),
  );

  app.get(
    '/v1/citizens/:citizenId/access-log',
    {
      config: { access: 'citizen:access_log', audit: { action: 'citizen.access_log', resourceType: 'citizen' } },
      schema: {
        summary: "Who accessed this citizen's record, when and with what outcome (GDPR art. 15)",
        tags,
        params: idParams('citizenId'),
        querystring: pageQuery,
        response: { 200: accessLogPage, ...problemResponses },
      },
    },
    async (request) => service.citizenAccessLog(serviceContext(request), request.params.citizenId, request.query),
  );
};
