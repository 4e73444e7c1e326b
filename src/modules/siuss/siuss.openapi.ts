import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { componentsDocument, toJsonSchema, type JsonObject } from './siuss.openapi-schema.js';
import { referencePath } from './siuss.reference.js';

/**
 * Checks our /waas/v1/* traffic against INPS's own api-comuni.yaml (not against our transcription of it),
 * so a test can prove that what we serve is what the official document describes.
 */

export interface WaasValidation {
  valid: boolean;
  errors: string[];
}

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

const componentsId = 'https://inps.it/waas/api-comuni.yaml/components';
const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface LoadedDocument {
  document: JsonObject;
  ajv: Ajv;
  compiled: Map<string, ValidateFunction>;
}

let loaded: LoadedDocument | undefined;

/** Parses api-comuni.yaml once (or another copy, e.g. in a test) and prepares the validator. */
export function loadWaasOpenApi(file = referencePath('openApi')): JsonObject {
  if (loaded) return loaded.document;
  const document: unknown = parse(readFileSync(file, 'utf8'));
  if (!isObject(document) || typeof document.openapi !== 'string' || !document.openapi.startsWith('3.0.')) {
    throw new Error(`${file} is not an OpenAPI 3.0 document`);
  }
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addSchema(componentsDocument(document.components, componentsId));
  loaded = { document, ajv, compiled: new Map() };
  return document;
}

/** `/waas/v1/flussi?since=0` or `…/organisations/x/waas/v1/flussi` → `/flussi`, the yaml's path key. */
function operationOf(
  document: JsonObject,
  method: string,
  requestPath: string,
): { key: string; operation: JsonObject } {
  const pathname = requestPath.split('?')[0] ?? '';
  const paths = isObject(document.paths) ? document.paths : {};
  const key = Object.keys(paths).find((p) => pathname === p || pathname.endsWith(p));
  const item = key === undefined ? undefined : paths[key];
  const operation = isObject(item) ? item[method.toLowerCase()] : undefined;
  if (key === undefined || !isObject(operation))
    throw new Error(`${method} ${pathname} is not in api-comuni.yaml`);
  return { key, operation };
}

/** Follows `#/components/<kind>/<name>` references (responses, requestBodies). */
function resolve(document: JsonObject, value: unknown): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string') return value;
  const [, , kind = '', name = ''] = value.$ref.split('/');
  const components = isObject(document.components) ? document.components : {};
  const group = components[kind];
  return resolve(document, isObject(group) ? group[name] : undefined);
}

function validateContent(
  cacheKey: string,
  content: unknown,
  body: unknown,
  contentType: string | undefined,
): WaasValidation {
  if (!isObject(content) || Object.keys(content).length === 0) {
    const empty = body === undefined || body === null || body === '';
    return empty
      ? { valid: true, errors: [] }
      : { valid: false, errors: ['the document defines no body here'] };
  }
  const mediaTypes = Object.keys(content);
  const wanted = contentType?.split(';')[0]?.trim().toLowerCase();
  const mediaType = wanted ?? (mediaTypes.length === 1 ? mediaTypes[0] : undefined);
  const media = mediaType === undefined ? undefined : content[mediaType];
  if (!isObject(media) || !isObject(media.schema)) {
    return {
      valid: false,
      errors: [`content type ${wanted ?? '(none)'} is not one of ${mediaTypes.join(', ')}`],
    };
  }
  const state = loaded as LoadedDocument;
  const key = `${cacheKey} ${mediaType}`;
  let validate = state.compiled.get(key);
  if (!validate) {
    validate = state.ajv.compile(toJsonSchema(media.schema, componentsId));
    state.compiled.set(key, validate);
  }
  if (validate(body)) return { valid: true, errors: [] };
  const errors = (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
  return { valid: false, errors };
}

/** Does this answer match the response api-comuni.yaml documents for the operation and status? */
export function validateWaasResponse(
  method: string,
  path: string,
  status: number,
  body: unknown,
  contentType?: string,
): WaasValidation {
  const document = loadWaasOpenApi();
  const { key, operation } = operationOf(document, method, path);
  const responses = isObject(operation.responses) ? operation.responses : {};
  const documented =
    responses[String(status)] ?? responses[`${String(status).charAt(0)}XX`] ?? responses.default;
  const response = resolve(document, documented);
  if (!isObject(response)) {
    return {
      valid: false,
      errors: [`status ${status} is not documented for ${method.toUpperCase()} ${key}`],
    };
  }
  return validateContent(`${method} ${key} ${status}`, response.content, body, contentType);
}

/** Does this request body (POST /esiti) match the yaml's requestBody? */
export function validateWaasRequestBody(
  method: string,
  path: string,
  body: unknown,
  contentType?: string,
): WaasValidation {
  const document = loadWaasOpenApi();
  const { key, operation } = operationOf(document, method, path);
  const requestBody = resolve(document, operation.requestBody);
  if (!isObject(requestBody))
    return { valid: false, errors: [`${method.toUpperCase()} ${key} takes no body`] };
  return validateContent(`${method} ${key} request`, requestBody.content, body, contentType);
}
