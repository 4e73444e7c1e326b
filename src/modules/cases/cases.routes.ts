import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, idempotencyHeader, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import * as statusService from './case-status.service.js';
import * as service from './cases.service.js';
import {
  caseListQuery,
  casePage,
  caseRecord,
  caseSeal,
  caseStatusHistory,
  createCaseBody,
  sealBody,
  statusChangeBody,
  updateCaseBody,
} from './cases.schemas.js';

const tags = ['cases'];
const audit = (action: string) => ({ action, resourceType: 'case' });
const bothHeaders = ifMatchHeader.extend(idempotencyHeader.shape);

export const casesRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/cases',
    {
      config: { access: 'case:create', audit: audit('case.create'), idempotent: true },
      schema: {
        summary:
          'Open a case (status referred); its case manager is the social worker opening it, or the one a coordinator names',
        tags,
        headers: idempotencyHeader,
        body: createCaseBody,
        response: { 201: caseRecord, ...problemResponses },
      },
    },
    async (request, reply) => {
      const created = await service.createCase(serviceContext(request), request.body);
      setEtag(reply, created.version);
      return reply.code(201).send(created);
    },
  );

  app.get(
    '/v1/cases',
    {
      config: { access: 'case:read', audit: audit('case.list') },
      schema: {
        summary: 'List the cases you may see, newest first',
        tags,
        querystring: caseListQuery,
        response: { 200: casePage, ...problemResponses },
      },
    },
    async (request) => service.listCases(serviceContext(request), request.query),
  );

  app.get(
    '/v1/cases/:caseId',
    {
      config: { access: 'case:read', audit: audit('case.read') },
      schema: {
        summary: 'Read a case',
        tags,
        params: idParams('caseId'),
        response: { 200: caseRecord, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await service.getCase(serviceContext(request), request.params.caseId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.patch(
    '/v1/cases/:caseId',
    {
      config: { access: 'case:update', audit: audit('case.update') },
      schema: {
        summary: 'Change a case’s classification, team, referral or household',
        tags,
        params: idParams('caseId'),
        headers: ifMatchHeader,
        body: updateCaseBody,
        response: { 200: caseRecord, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await service.updateCase(
        serviceContext(request),
        request.params.caseId,
        expected,
        request.body,
      );
      setEtag(reply, updated.version);
      return updated;
    },
  );

  app.post(
    '/v1/cases/:caseId/status-changes',
    {
      config: { access: 'case:change_status', audit: audit('case.change_status'), idempotent: true },
      schema: {
        summary: 'Move a case to another status (If-Match: the case’s ETag); answers the case',
        tags,
        params: idParams('caseId'),
        headers: bothHeaders,
        body: statusChangeBody,
        response: { 201: caseRecord, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = requireIfMatch(request);
      const updated = await statusService.changeStatus(
        serviceContext(request),
        request.params.caseId,
        expected,
        request.body,
      );
      setEtag(reply, updated.version);
      return reply.code(201).send(updated);
    },
  );

  app.get(
    '/v1/cases/:caseId/status-changes',
    {
      config: { access: 'case:read', audit: audit('case.status_history') },
      schema: {
        summary: 'The case’s full status history: who, when, from, to',
        tags,
        params: idParams('caseId'),
        response: { 200: caseStatusHistory, ...problemResponses },
      },
    },
    async (request) => statusService.listStatusChanges(serviceContext(request), request.params.caseId),
  );

  app.put(
    '/v1/cases/:caseId/seal',
    {
      config: { access: 'case:seal', audit: audit('case.seal') },
      schema: {
        summary: 'Seal (or unseal) a case: only the listed staff may then see it, whatever their role',
        tags,
        params: idParams('caseId'),
        body: sealBody,
        response: { 200: caseSeal, ...problemResponses },
      },
    },
    async (request) => service.sealCase(serviceContext(request), request.params.caseId, request.body),
  );
};
