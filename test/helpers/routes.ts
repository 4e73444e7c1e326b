import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { JSONSchemaFaker } from 'json-schema-faker';
import type { RouteAccess } from '../../src/access/permissions.js';

/**
 * The API's operations as the generated OpenAPI document lists them — so suites that walk "every route"
 * (authorization matrix, audit coverage, fuzzing) follow the code, including routes added later.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  access: RouteAccess;
  bodySchema?: object;
  params: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { 'x-permission'?: RouteAccess; requestBody?: { content?: Record<string, { schema?: object }> } }>>;
  components?: object;
}

export function listOperations(app: FastifyInstance): Operation[] {
  const document = app.swagger() as unknown as OpenApiDocument;
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!operation['x-permission']) continue;
      const body = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        access: operation['x-permission'],
        bodySchema: body ? { ...body, components: document.components } : undefined,
        params: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
      });
    }
  }
  return operations.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}

export function fillPath(operation: Operation, ids: Record<string, string>): string {
  return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? randomUUID());
}

JSONSchemaFaker.format('uuid', () => randomUUID());
JSONSchemaFaker.option({ alwaysFakeOptionals: false, optionalsProbability: 0.5, useDefaultValue: true, failOnInvalidTypes: false, maxItems: 2, maxLength: 40 });

/**
 * Bodies for the routes whose schema has cross-field rules a JSON-schema generator cannot meet. They are
 * harmless to the world's state (the status change is one the case's status refuses with 409).
 */
const exampleBodies: Record<string, unknown> = {
  'PATCH /v1/citizens/{citizenId}': { contacts: { phone: '+39 030 1234567' } },
  'PATCH /v1/cases/{caseId}': { complexity: 2 },
  'POST /v1/cases/{caseId}/status-changes': { status: 'open' },
};

/** A body that satisfies the route's request schema (so that checks behind validation are reached). */
export function validBody(operation: Operation): unknown {
  const example = exampleBodies[`${operation.method} ${operation.path}`];
  if (example !== undefined) return example;
  return operation.bodySchema ? JSONSchemaFaker.generate(operation.bodySchema as never) : undefined;
}
