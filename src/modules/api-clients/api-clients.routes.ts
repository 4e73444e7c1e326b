import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idempotencyHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './api-clients.service.js';
import { apiClient, apiClientList, apiClientListQuery, createApiClientBody } from './api-clients.schemas.js';

const tags = ['api-clients'];

export const apiClientsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/api-clients',
    {
      config: { access: 'api_client:manage', audit: false, idempotent: true },
      schema: { summary: 'Register a machine client (regional system or INPS SIUSS)', tags, headers: idempotencyHeader, body: createApiClientBody, response: { 201: apiClient, ...problemResponses } },
    },
    async (request, reply) => {
      const created = await service.createApiClient(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/api-clients',
    {
      config: { access: 'api_client:manage', audit: false },
      schema: { summary: 'List the organisation’s machine clients', tags, querystring: apiClientListQuery, response: { 200: apiClientList, ...problemResponses } },
    },
    async (request) => service.listApiClients(serviceContext(request), request.query.organisationId),
  );
};
