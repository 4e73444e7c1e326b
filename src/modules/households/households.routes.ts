import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './households.service.js';
import { addMemberBody, createHouseholdBody, household } from './households.schemas.js';

const tags = ['households'];

export const householdsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/households',
    {
      config: {
        access: 'household:write',
        audit: { action: 'household.create', resourceType: 'household' },
        idempotent: true,
      },
      schema: {
        summary: 'Create a household (nucleo)',
        tags,
        headers: idempotencyHeader,
        body: createHouseholdBody,
        response: { 201: household, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createHousehold(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/v1/households/:householdId/members',
    {
      config: {
        access: 'household:write',
        audit: { action: 'household_member.create', resourceType: 'household_member' },
        idempotent: true,
      },
      schema: {
        summary:
          'Add a citizen of the organisation to a household, with relation and validity dates; answers the household',
        tags,
        params: idParams('householdId'),
        headers: idempotencyHeader,
        body: addMemberBody,
        response: { 201: household, ...problemResponses },
      },
    },
    async (request, reply) => {
      const updated = await service.addMember(
        serviceContext(request),
        request.params.householdId,
        request.body,
      );
      setEtag(reply, updated.version);
      return reply.code(201).send(updated);
    },
  );

  app.get(
    '/v1/households/:householdId',
    {
      config: { access: 'household:read', audit: { action: 'household.read', resourceType: 'household' } },
      schema: {
        summary: 'Read a household with its members and their validity dates',
        tags,
        params: idParams('householdId'),
        response: { 200: household, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await service.getHousehold(serviceContext(request), request.params.householdId);
      setEtag(reply, found.version);
      return found;
    },
  );
};
