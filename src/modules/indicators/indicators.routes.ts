import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { serviceContext } from '../../platform/request-context.js';
import { problemResponses } from '../../shared/schemas.js';
import { indicatorKinds } from './indicators.release.js';
import { indicatorCsvSchema, indicatorQuery, indicatorTableSchema } from './indicators.schemas.js';
import * as service from './indicators.service.js';
import { indicatorCsv, prefersCsv } from './indicators.table.js';

const tags = ['indicators'];

export const indicatorsRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const indicator of indicatorKinds) {
    app.get(
      `/v1/indicators/${indicator}`,
      {
        // Anonymised aggregates, but who pulled which statistics is still worth a trace: ids and codes only.
        config: {
          access: 'indicators:read',
          audit: { action: 'indicators.read', resourceType: 'indicator' },
        },
        schema: {
          summary:
            indicator === 'cases'
              ? 'Cases referred in a period, anonymised (small cells suppressed)'
              : 'Interventions started in a period, anonymised (small cells suppressed)',
          description: 'JSON, or CSV with `Accept: text/csv`. What is counted and how: INDICATORS.md.',
          tags,
          querystring: indicatorQuery(indicator),
          response: {
            200: {
              content: {
                'application/json': { schema: indicatorTableSchema },
                'text/csv': { schema: indicatorCsvSchema },
              },
            },
            ...problemResponses,
          },
        },
      },
      async (request, reply) => {
        const table = await service.readIndicator(serviceContext(request), indicator, request.query);
        if (prefersCsv(request.headers.accept)) {
          return reply
            .type('text/csv; charset=utf-8')
            .header(
              'content-disposition',
              `attachment; filename="${indicator}-${table.organisation}-${table.period}.csv"`,
            )
            .send(indicatorCsv(table));
        }
        return reply.type('application/json; charset=utf-8').send(table);
      },
    );
  }
};
