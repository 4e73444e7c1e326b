import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { problem } from '../../shared/schemas.js';
import * as service from './public-catalogue.service.js';
import {
  belfioreParams,
  notModified,
  publicOfficeList,
  publicServiceList,
} from './public-catalogue.schemas.js';

const tags = ['public catalogue'];
const publicProblems = { 400: problem, 404: problem, 429: problem, 503: problem } as const;

/** A strong validator of the representation itself, so any change to the catalogue changes it. */
const contentEtag = (body: unknown) =>
  `"${createHash('sha256').update(JSON.stringify(body)).digest('base64url')}"`;

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): `W/` prefixes are ignored, `*` matches. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const candidate = tag.trim().replace(/^W\//, '');
    return candidate === '*' || candidate === etag;
  });
}

/** Citizens' portals poll this: a five-minute shared cache and conditional GETs keep the load small. */
function sendCacheable<T>(request: FastifyRequest, reply: FastifyReply, body: T) {
  const etag = contentEtag(body);
  reply
    .header('etag', etag)
    .header('cache-control', 'public, max-age=300')
    .header('access-control-allow-origin', '*');
  if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) return reply.code(304).send();
  return body;
}

/**
 * Open to anyone: the platform's per-caller limiter (src/platform/security.ts) gives `access: 'public'`
 * routes the tighter PUBLIC_RATE_LIMIT_MAX, counted before anything else runs.
 */
export const publicCatalogueRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/public/organisations/:belfioreCode/services',
    {
      config: { access: 'public', audit: false },
      schema: {
        summary: 'The organisation’s active services (carta dei servizi), without a token',
        tags,
        params: belfioreParams,
        response: { 200: publicServiceList, 304: notModified, ...publicProblems },
      },
    },
    async (request, reply) =>
      sendCacheable(
        request,
        reply,
        await service.publishedServices(request.server.db, request.params.belfioreCode),
      ),
  );

  app.get(
    '/v1/public/organisations/:belfioreCode/offices',
    {
      config: { access: 'public', audit: false },
      schema: {
        summary: 'The organisation’s offices (sedi), without a token',
        tags,
        params: belfioreParams,
        response: { 200: publicOfficeList, 304: notModified, ...publicProblems },
      },
    },
    async (request, reply) =>
      sendCacheable(
        request,
        reply,
        await service.publishedOffices(request.server.db, request.params.belfioreCode),
      ),
  );
};
