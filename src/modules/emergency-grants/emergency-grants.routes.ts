import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './emergency-grants.service.js';
import {
  createGrantBody,
  emergencyGrant,
  emergencyGrantPage,
  grantListQuery,
  reviewGrantBody,
} from './emergency-grants.schemas.js';

const tags = ['emergency access'];
const audit = (action: string) => ({ action, resourceType: 'emergency_grant' });

export const emergencyGrantsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/cases/:caseId/emergency-grants',
    {
      config: { access: 'emergency_grant:create', audit: audit('emergency_grant.create'), idempotent: true },
      schema: {
        summary:
          'Break the glass: read-only access to a case for a few hours, with a written reason (audited, reviewed)',
        tags,
        params: idParams('caseId'),
        headers: idempotencyHeader,
        body: createGrantBody,
        response: { 201: emergencyGrant, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createGrant(
        serviceContext(request),
        request.params.caseId,
        request.body.reason,
      );
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/emergency-grants',
    {
      config: { access: 'emergency_grant:review', audit: audit('emergency_grant.list') },
      schema: {
        summary:
          'Emergency grants to review: a coordinator’s teams’ cases, or the whole organisation for a director',
        tags,
        querystring: grantListQuery,
        response: { 200: emergencyGrantPage, ...problemResponses },
      },
    },
    async (request) => service.listGrants(serviceContext(request), request.query),
  );

  app.post(
    '/v1/emergency-grants/:grantId/review',
    {
      config: { access: 'emergency_grant:review', audit: audit('emergency_grant.review') },
      schema: {
        summary: 'Mark an emergency grant reviewed, with an optional note',
        tags,
        params: idParams('grantId'),
        body: reviewGrantBody,
        response: { 200: emergencyGrant, ...problemResponses },
      },
    },
    async (request) => service.reviewGrant(serviceContext(request), request.params.grantId, request.body),
  );
};
