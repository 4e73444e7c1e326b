import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as service from './assignments.service.js';
import {
  assignment,
  assignmentListQuery,
  assignmentPage,
  createAssignmentBody,
  endAssignmentBody,
} from './assignments.schemas.js';

const tags = ['assignments'];
const audit = (action: string) => ({ action, resourceType: 'assignment' });

export const assignmentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/cases/:caseId/assignments',
    {
      config: { access: 'assignment:write', audit: audit('assignment.create'), idempotent: true },
      schema: {
        summary: 'Assign a worker to a case (coordinators of the case’s team)',
        description:
          'Roles: case_manager and co_worker (social workers, coordinators), educator (educators). A case has one case manager at ' +
          'a time: to hand over, send role case_manager with replaceCurrent: true — the current row ends at validFrom and the new ' +
          'one starts there, in one transaction. An assignment with a validTo ends by itself (absence cover).',
        tags,
        params: idParams('caseId'),
        headers: idempotencyHeader,
        body: createAssignmentBody,
        response: { 201: assignment, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createAssignment(
        serviceContext(request),
        request.params.caseId,
        request.body,
      );
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/cases/:caseId/assignments',
    {
      config: { access: 'assignment:read', audit: audit('assignment.list') },
      schema: {
        summary: 'Who works and worked on a case: active and ended assignments, newest first',
        tags,
        params: idParams('caseId'),
        querystring: assignmentListQuery,
        response: { 200: assignmentPage, ...problemResponses },
      },
    },
    async (request) => service.listAssignments(serviceContext(request), request.params.caseId, request.query),
  );

  app.patch(
    '/v1/assignments/:assignmentId',
    {
      config: { access: 'assignment:write', audit: audit('assignment.update') },
      schema: {
        summary: 'End an assignment (now or at validTo), or bring its end forward',
        description:
          'Rows are never deleted or extended. Ending an in_charge case’s case manager needs a successor (409 otherwise).',
        tags,
        params: idParams('assignmentId'),
        headers: ifMatchHeader,
        body: endAssignmentBody,
        response: { 200: assignment, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.endAssignment(
        serviceContext(request),
        request.params.assignmentId,
        expected,
        request.body,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );
};
