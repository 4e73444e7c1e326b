import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './organisations.service.js';
import { createOrganisationBody, organisation, populationBody, populationParams, updateOrganisationBody } from './organisations.schemas.js';

const tags = ['organisations'];

export const organisationsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/organisations',
    {
      config: { access: 'organisation:create', audit: false, idempotent: true },
      schema: { summary: 'Create an organisation (ente)', tags, headers: idempotencyHeader, body: createOrganisationBody, response: { 201: organisation, ...problemResponses } },
    },
    async (request, reply) => {
      const created = await service.createOrganisation(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/organisations/:organisationId',
    {
      config: { access: 'organisation:read', audit: false },
      schema: { summary: 'Read an organisation', tags, params: idParams('organisationId'), response: { 200: organisation, ...problemResponses } },
    },
    async (request, reply) => {
      const found = await service.getOrganisation(serviceContext(request), request.params.organisationId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.patch(
    '/v1/organisations/:organisationId',
    {
      config: { access: 'organisation:manage', audit: false },
      schema: {
        summary: 'Change an organisation’s name or caseload settings',
        tags,
        params: idParams('organisationId'),
        headers: ifMatchHeader,
        body: updateOrganisationBody,
        response: { 200: organisation, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updateOrganisation(serviceContext(request), request.params.organisationId, expected, request.body);
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.put(
    '/v1/organisations/:organisationId/population/:year',
    {
      config: { access: 'organisation:manage', audit: false },
      schema: {
        summary: 'Set the resident population of a year (for the LEPS ratio)',
        tags,
        params: populationParams,
        body: populationBody,
        response: { 200: organisation, ...problemResponses },
      },
    },
    async (request) => {
      const { organisationId, year } = request.params;
      return service.setPopulation(serviceContext(request), organisationId, year, request.body.residents);
    },
  );
};
