import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import type { RouteAccess } from '../access/permissions.js';

/**
 * The OpenAPI 3.1 document is generated from the route schemas (SPEC §5): every operation carries the
 * permission it requires (`x-permission`) and its security requirement. `npm run openapi` writes it to
 * openapi/openapi.json; CI checks the committed file matches. /docs serves Swagger UI from the package's
 * own assets, so it works offline.
 */
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

export const openapiInfo = {
  title: 'Cartella — cartella sociale informatizzata',
  version: packageJson.version,
  description:
    'Backend of the computerised social case record for Italian municipal social services: case files, ' +
    'interventions, assignments, audit trail, caseload metrics, anonymised indicators and the SIUSS feed.',
  'x-summary': 'Social case records for municipal social services',
  'x-api-id': 'cartella-v1',
  contact: { name: 'Cartella maintainers', email: 'cartella@example.org', url: 'https://cartella.example' },
  license: { name: 'EUPL-1.2', identifier: 'EUPL-1.2' },
};

export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: openapiInfo,
        servers: [{ url: '/' }],
        components: {
          securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
        },
        security: [{ bearerAuth: [] }],
      },
      transform: (input) => {
        const result = jsonSchemaTransform(input);
        const access = input.route.config?.access as RouteAccess | undefined;
        if (!access) return result;
        const schema = { ...(result.schema as Record<string, unknown>) };
        schema['x-permission'] = access;
        if (access === 'public') schema.security = [];
        return { ...result, schema };
      },
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  },
  { name: 'cartella-openapi' },
);
