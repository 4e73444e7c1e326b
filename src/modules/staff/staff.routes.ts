import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './staff.service.js';
import { createStaffBody, staffListQuery, staffMember, staffPage, updateStaffBody } from './staff.schemas.js';

const tags = ['staff'];
const audit = (action: string) => ({ action, resourceType: 'staff' });

export const staffRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/staff',
    {
      config: { access: 'staff:manage', audit: audit('staff.create'), idempotent: true },
      schema: { summary: 'Create a staff member', tags, headers: idempotencyHeader, body: createStaffBody, response: { 201: staffMember, ...problemResponses } },
    },
    async (request, reply) => {
      const created = await service.createStaff(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/staff',
    {
      config: { access: 'staff:read', audit: audit('staff.list') },
      schema: { summary: 'List staff members', tags, querystring: staffListQuery, response: { 200: staffPage, ...problemResponses } },
    },
    async (request) => service.listStaff(serviceContext(request), request.query),
  );

  app.get(
    '/v1/staff/:staffId',
    {
      config: { access: 'staff:read', audit: audit('staff.read') },
      schema: { summary: 'Read a staff member', tags, params: idParams('staffId'), response: { 200: staffMember, ...problemResponses } },
    },
    async (request, reply) => {
      const found = await service.getStaff(serviceContext(request), request.params.staffId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.patch(
    '/v1/staff/:staffId',
    {
      config: { access: 'staff:manage', audit: audit('staff.update'), changesActors: true },
      schema: {
        summary: 'Change a staff member (role, teams, FTE, contract; `active: false` deactivates at once)',
        tags,
        params: idParams('staffId'),
        headers: ifMatchHeader,
        body: updateStaffBody,
        response: { 200: staffMember, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updateStaff(serviceContext(request), request.params.staffId, expected, request.body);
      setEtag(reply, updated.version);
      return updated;
    },
  );
};
