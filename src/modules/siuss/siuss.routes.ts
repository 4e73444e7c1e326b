import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requireIfMatch, setEtag } from '../../platform/http-conventions.js';
import { serviceContext } from '../../platform/request-context.js';
import { idParams, ifMatchHeader, problemResponses } from '../../shared/schemas.js';
import { configureSiussRuntime } from './siuss.runtime.js';
import * as service from './siuss.service.js';
import * as settingsService from './siuss.settings.service.js';
import {
  interventionFlows,
  rejectedFlowsPage,
  rejectedFlowsQuery,
  siussSettings,
  siussSettingsBody,
} from './siuss.v1.schemas.js';
import { waasRoutes } from './siuss.waas.routes.js';

const tags = ['siuss'];

/** The SIUSS feed: INPS's WaaS e-service under /waas/v1, and Cartella's own views of it under /v1. */
export const siussRoutes: FastifyPluginAsyncZod = async (app) => {
  configureSiussRuntime(app.config, app.log);
  await app.register(waasRoutes, { prefix: '/waas/v1' });

  app.get(
    '/v1/interventions/:interventionId/siuss-flows',
    {
      config: {
        access: 'intervention:read',
        audit: { action: 'siuss_flow.list', resourceType: 'intervention' },
      },
      schema: {
        summary: 'The SIUSS flows of an intervention and INPS’s outcomes (acquisition code or error)',
        tags,
        params: idParams('interventionId'),
        response: { 200: interventionFlows, ...problemResponses },
      },
    },
    async (request) => service.interventionFlows(serviceContext(request), request.params.interventionId),
  );

  app.get(
    '/v1/siuss/rejected-flows',
    {
      config: {
        access: 'siuss:rejections:read',
        audit: { action: 'siuss_flow.list_rejected', resourceType: 'siuss_flow' },
      },
      schema: {
        summary: 'Flows that did not reach SIUSS: not produced, or rejected by INPS (ids and errors only)',
        tags,
        querystring: rejectedFlowsQuery,
        response: { 200: rejectedFlowsPage, ...problemResponses },
      },
    },
    async (request) => service.rejectedFlows(serviceContext(request), request.query),
  );

  app.get(
    '/v1/organisations/:organisationId/siuss-settings',
    {
      config: {
        access: 'organisation:manage',
        audit: { action: 'siuss_settings.read', resourceType: 'organisation' },
      },
      schema: {
        summary: 'The organisation’s SIUSS settings (the operator codice fiscale of the flows)',
        tags,
        params: idParams('organisationId'),
        response: { 200: siussSettings, ...problemResponses },
      },
    },
    async (request, reply) => {
      const found = await settingsService.getSettings(serviceContext(request), request.params.organisationId);
      setEtag(reply, found.version);
      return found;
    },
  );

  app.put(
    '/v1/organisations/:organisationId/siuss-settings',
    {
      config: {
        access: 'organisation:manage',
        audit: { action: 'siuss_settings.update', resourceType: 'organisation' },
      },
      schema: {
        summary: 'Set the organisation’s SIUSS settings (If-Match required once they exist)',
        tags,
        params: idParams('organisationId'),
        headers: ifMatchHeader,
        body: siussSettingsBody,
        response: { 200: siussSettings, ...problemResponses },
      },
    },
    async (request, reply) => {
      const expected = request.headers['if-match'] === undefined ? undefined : requireIfMatch(request);
      const saved = await settingsService.putSettings(
        serviceContext(request),
        request.params.organisationId,
        expected,
        request.body,
      );
      setEtag(reply, saved.version);
      return saved;
    },
  );
};
