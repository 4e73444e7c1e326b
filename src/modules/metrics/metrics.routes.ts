import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { serviceContext } from '../../platform/request-context.js';
import { problemResponses } from '../../shared/schemas.js';
import * as service from './metrics.service.js';
import { caseloadMetrics, caseloadQuery, flowMetrics, flowQuery, staffingMetrics, staffingQuery } from './metrics.schemas.js';

const tags = ['metrics'];

export const metricsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/metrics/caseload',
    {
      // Per-worker rows carry staff names and workloads, so every caseload read is in the audit trail.
      config: { access: 'metrics:read', audit: { action: 'metrics.caseload', resourceType: 'caseload' } },
      schema: {
        summary: 'Caseload by worker, team or user area, computed live within the caller’s scope (METRICS.md)',
        tags,
        querystring: caseloadQuery,
        response: { 200: caseloadMetrics, ...problemResponses },
      },
    },
    async (request) => service.caseload(serviceContext(request), request.query),
  );

  app.get(
    '/v1/metrics/flow',
    {
      config: { access: 'metrics:read', audit: false },
      schema: {
        summary: 'Cases opened, taken in charge and closed in a period; days from referral to taking in charge; overdue plans',
        tags,
        querystring: flowQuery,
        response: { 200: flowMetrics, ...problemResponses },
      },
    },
    async (request) => service.flow(serviceContext(request), request.query),
  );

  app.get(
    '/v1/metrics/staffing',
    {
      config: { access: 'metrics:read', audit: false },
      schema: {
        summary: 'LEPS staffing: residents per permanent social-worker FTE against 1:5,000 and 1:4,000 (L. 178/2020)',
        tags,
        querystring: staffingQuery,
        response: { 200: staffingMetrics, ...problemResponses },
      },
    },
    async (request) => service.staffing(serviceContext(request), request.query),
  );
};
