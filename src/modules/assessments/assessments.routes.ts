import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './assessments.service.js';
import {
  assessment,
  assessmentListQuery,
  assessmentPage,
  createAssessmentBody,
} from './assessments.schemas.js';

const tags = ['assessments'];
const audit = (action: string) => ({ action, resourceType: 'assessment' });

export const assessmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/cases/:caseId/assessments',
    {
      config: { access: 'assessment:write', audit: audit('assessment.create'), idempotent: true },
      schema: {
        summary: 'Record an assessment: date, instrument, source, SINA / SINBA fields, free text',
        tags,
        params: idParams('caseId'),
        headers: idempotencyHeader,
        body: createAssessmentBody,
        response: { 201: assessment, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.createAssessment(serviceContext(request), request.params.caseId, request.body)),
  );

  app.get(
    '/v1/cases/:caseId/assessments',
    {
      config: { access: 'assessment:read', audit: audit('assessment.list') },
      schema: {
        summary: 'The case’s assessments, newest first',
        tags,
        params: idParams('caseId'),
        querystring: assessmentListQuery,
        response: { 200: assessmentPage, ...problemResponses },
      },
    },
    async (request) => service.listAssessments(serviceContext(request), request.params.caseId, request.query),
  );
};
