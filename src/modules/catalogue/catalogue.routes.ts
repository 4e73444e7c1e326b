import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './catalogue.service.js';
import {
  catalogueService,
  catalogueServicePage,
  createOfficeBody,
  createServiceBody,
  office,
  officeListQuery,
  officePage,
  serviceListQuery,
  updateOfficeBody,
  updateServiceBody,
} from './catalogue.schemas.js';

const tags = ['catalogue'];
// The catalogue holds no personal data: reads are not audited, changes are.
const audit = (action: string, resourceType: string) => ({ action, resourceType });

export const catalogueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/services',
    {
      config: { access: 'catalogue:manage', audit: audit('service.create', 'service'), idempotent: true },
      schema: {
        summary: 'Add a service to the organisation’s catalogue (carta dei servizi)',
        tags,
        headers: idempotencyHeader,
        body: createServiceBody,
        response: { 201: catalogueService, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createService(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/services',
    {
      config: { access: 'catalogue:read', audit: false },
      schema: {
        summary: 'List the catalogue’s services',
        tags,
        querystring: serviceListQuery,
        response: { 200: catalogueServicePage, ...problemResponses },
      },
    },
    async (request) => service.listServices(serviceContext(request), request.query),
  );

  app.get(
    '/v1/services/:serviceId',
    {
      config: { access: 'catalogue:read', audit: false },
      schema: {
        summary: 'Read a service of the catalogue',
        tags,
        params: idParams('serviceId'),
        response: { 200: catalogueService, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await service.getService(serviceContext(request), request.params.serviceId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.patch(
    '/v1/services/:serviceId',
    {
      config: { access: 'catalogue:manage', audit: audit('service.update', 'service') },
      schema: {
        summary: 'Change a service (`active: false` withdraws it)',
        tags,
        params: idParams('serviceId'),
        headers: ifMatchHeader,
        body: updateServiceBody,
        response: { 200: catalogueService, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updateService(
        serviceContext(request),
        request.params.serviceId,
        expected,
        request.body,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.post(
    '/v1/offices',
    {
      config: { access: 'catalogue:manage', audit: audit('office.create', 'office'), idempotent: true },
      schema: {
        summary: 'Add an office (sede)',
        tags,
        headers: idempotencyHeader,
        body: createOfficeBody,
        response: { 201: office, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createOffice(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/offices',
    {
      config: { access: 'catalogue:read', audit: false },
      schema: {
        summary: 'List the organisation’s offices',
        tags,
        querystring: officeListQuery,
        response: { 200: officePage, ...problemResponses },
      },
    },
    async (request) => service.listOffices(serviceContext(request), request.query),
  );

  app.get(
    '/v1/offices/:officeId',
    {
      config: { access: 'catalogue:read', audit: false },
      schema: {
        summary: 'Read an office',
        tags,
        params: idParams('officeId'),
        response: { 200: office, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await service.getOffice(serviceContext(request), request.params.officeId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.patch(
    '/v1/offices/:officeId',
    {
      config: { access: 'catalogue:manage', audit: audit('office.update', 'office') },
      schema: {
        summary: 'Change an office (address, opening hours, contacts, accessibility notes)',
        tags,
        params: idParams('officeId'),
        headers: ifMatchHeader,
        body: updateOfficeBody,
        response: { 200: office, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updateOffice(
        serviceContext(request),
        request.params.officeId,
        expected,
        request.body,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );
};
