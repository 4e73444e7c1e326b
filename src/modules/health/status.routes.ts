import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problemType } from '../../platform/errors.js';

/** GET /status (SPEC §5, AGID ModI): 200 problem+json when healthy, 503 with Retry-After when not. */
const statusBody = z
  .object({ type: z.string(), title: z.string(), status: z.number().int(), detail: z.string() })
  .meta({ id: 'Status' });

export const statusRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/status',
    {
      config: { access: 'public', audit: false },
      schema: {
        summary: 'Service health',
        tags: ['health'],
        security: [],
        response: { 200: statusBody, 503: statusBody },
      },
    },
    async (_request, reply) => {
      reply.type('application/problem+json');
      try {
        await app.db.execute(sql`select 1`);
        return { type: 'about:blank', title: 'OK', status: 200, detail: 'The service and its database are available.' };
      } catch {
        reply.code(503).header('retry-after', '5');
        return { type: problemType('service_unavailable'), title: 'Service unavailable', status: 503, detail: 'The database is unreachable.' };
      }
    },
  );
};
