import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './plans.service.js';
import { createPlanBody, plan, planListQuery, planPage, updatePlanBody } from './plans.schemas.js';

const tags = ['plans'];
const audit = (action: string) => ({ action, resourceType: 'plan' });

export const plansRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/cases/:caseId/plans',
    {
      config: { access: 'plan:write', audit: audit('plan.create'), idempotent: true },
      schema: {
        summary: 'Draw up an individual plan (progetto individualizzato) for a case',
        tags,
        params: idParams('caseId'),
        headers: idempotencyHeader,
        body: createPlanBody,
        response: { 201: plan, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createPlan(serviceContext(request), request.params.caseId, request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/cases/:caseId/plans',
    {
      config: { access: 'plan:read', audit: audit('plan.list') },
      schema: {
        summary: 'The case’s plans, newest first',
        tags,
        params: idParams('caseId'),
        querystring: planListQuery,
        response: { 200: planPage, ...problemResponses },
      },
    },
    async (request) => service.listPlans(serviceContext(request), request.params.caseId, request.query),
  );

  app.get(
    '/v1/plans/overdue-reviews',
    {
      config: { access: 'plan:read', audit: audit('plan.overdue.list') },
      schema: {
        summary: 'Active plans whose review is overdue, on the caller’s cases (newest plans first)',
        description:
          'Overdue: reviewDueDate before today (Europe/Rome). Cases seen only through an emergency grant are not listed.',
        tags,
        querystring: planListQuery,
        response: { 200: planPage, ...problemResponses },
      },
    },
    async (request) => service.listOverdueReviews(serviceContext(request), request.query),
  );

  app.get(
    '/v1/plans/:planId',
    {
      config: { access: 'plan:read', audit: audit('plan.read') },
      schema: {
        summary: 'Read a plan',
        tags,
        params: idParams('planId'),
        response: { 200: plan, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await service.getPlan(serviceContext(request), request.params.planId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.patch(
    '/v1/plans/:planId',
    {
      config: { access: 'plan:write', audit: audit('plan.update') },
      schema: {
        summary: 'Change a plan: goals, dates, responsible worker, status',
        description:
          'Status: draft → active | cancelled; active → completed | cancelled. Completed and cancelled plans are kept as they were (409).',
        tags,
        params: idParams('planId'),
        headers: ifMatchHeader,
        body: updatePlanBody,
        response: { 200: plan, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updatePlan(
        serviceContext(request),
        request.params.planId,
        expected,
        request.body,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );
};
