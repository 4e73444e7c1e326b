import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './interventions.service.js';
import {
  createInterventionBody,
  intervention,
  interventionListQuery,
  interventionPage,
  interventionStatusChangeList,
  updateInterventionBody,
} from './interventions.schemas.js';

const tags = ['interventions'];
const audit = (action: string) => ({ action, resourceType: 'intervention' });

export const interventionsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/cases/:caseId/interventions',
    {
      config: { access: 'intervention:write', audit: audit('intervention.create'), idempotent: true },
      schema: {
        summary: 'Record an intervention (a service of the catalogue) on a case',
        tags,
        params: idParams('caseId'),
        headers: idempotencyHeader,
        body: createInterventionBody,
        response: { 201: intervention, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createIntervention(
        serviceContext(request),
        request.params.caseId,
        request.body,
      );
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/cases/:caseId/interventions',
    {
      config: { access: 'intervention:read', audit: audit('intervention.list') },
      schema: {
        summary: 'List a case’s interventions, newest first',
        tags,
        params: idParams('caseId'),
        querystring: interventionListQuery,
        response: { 200: interventionPage, ...problemResponses },
      },
    },
    async (request) =>
      service.listInterventions(serviceContext(request), request.params.caseId, request.query),
  );

  app.get(
    '/v1/interventions/:interventionId',
    {
      config: { access: 'intervention:read', audit: audit('intervention.read') },
      schema: {
        summary: 'Read an intervention',
        tags,
        params: idParams('interventionId'),
        response: { 200: intervention, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await service.getIntervention(serviceContext(request), request.params.interventionId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.patch(
    '/v1/interventions/:interventionId',
    {
      config: { access: 'intervention:write', audit: audit('intervention.update') },
      schema: {
        summary:
          'Change an intervention: dates, provider, hours, amounts, and `status` (with `statusReason`)',
        description:
          'Lifecycle: requested → waitlisted | active | ended; waitlisted → active | ended; active → suspended | ended; ' +
          'suspended → active | ended; ended is final. Other moves answer 409 invalid_transition. Suspending or ending needs a statusReason.',
        tags,
        params: idParams('interventionId'),
        headers: ifMatchHeader,
        body: updateInterventionBody,
        response: { 200: intervention, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updateIntervention(
        serviceContext(request),
        request.params.interventionId,
        expected,
        request.body,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.get(
    '/v1/interventions/:interventionId/status-changes',
    {
      config: { access: 'intervention:read', audit: audit('intervention.status.list') },
      schema: {
        summary: 'The intervention’s status history, oldest first (who, when, why)',
        tags,
        params: idParams('interventionId'),
        response: { 200: interventionStatusChangeList, ...problemResponses },
      },
    },
    async (request) => service.listStatusChanges(serviceContext(request), request.params.interventionId),
  );
};
