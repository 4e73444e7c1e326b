import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './citizens.service.js';
import {
  citizen,
  citizenPage,
  citizenSearchBody,
  createCitizenBody,
  updateCitizenBody,
} from './citizens.schemas.js';

const tags = ['citizens'];
const audit = (action: string) => ({ action, resourceType: 'citizen' });

export const citizensRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/citizens',
    {
      config: { access: 'citizen:create', audit: audit('citizen.create'), idempotent: true },
      schema: {
        summary: 'Register a citizen (codice fiscale unique in the organisation)',
        tags,
        headers: idempotencyHeader,
        body: createCitizenBody,
        response: { 201: citizen, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createCitizen(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/v1/citizens/search',
    {
      config: { access: 'citizen:search', audit: audit('citizen.search') },
      schema: {
        summary:
          'Find citizens by codice fiscale or by names (in the body, never in the URL); only the cases you may see are listed',
        tags,
        body: citizenSearchBody,
        response: { 200: citizenPage, ...problemResponses },
      },
    },
    async (request) => service.searchCitizens(serviceContext(request), request.body),
  );

  app.get(
    '/v1/citizens/:citizenId',
    {
      config: { access: 'citizen:read', audit: audit('citizen.read') },
      schema: {
        summary: 'Read a citizen’s registry record and the cases you may see',
        tags,
        params: idParams('citizenId'),
        response: { 200: citizen, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await service.getCitizen(serviceContext(request), request.params.citizenId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.patch(
    '/v1/citizens/:citizenId',
    {
      config: { access: 'citizen:update', audit: audit('citizen.update') },
      schema: {
        summary: 'Change a citizen’s registry data',
        tags,
        params: idParams('citizenId'),
        headers: ifMatchHeader,
        body: updateCitizenBody,
        response: { 200: citizen, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updateCitizen(
        serviceContext(request),
        request.params.citizenId,
        expected,
        request.body,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );
};
