/**
 * OpenAPI 3.0 Schema Objects are not JSON Schema: `nullable`, boolean `exclusiveMaximum`/`exclusiveMinimum`
 * (draft-04 style; api-comuni.yaml's Problem.status uses one) and annotations such as `example` and `xml`
 * that Ajv's strict mode rejects. This turns them into draft-07 JSON Schema, walking the schema structure
 * (not every key: a property may well be called `example`).
 */

export type JsonObject = { [key: string]: unknown };

const annotationsOnly = new Set([
  'example',
  'xml',
  'externalDocs',
  'deprecated',
  'discriminator',
  'readOnly',
  'writeOnly',
]);
const schemaLists = ['allOf', 'anyOf', 'oneOf'] as const;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `#/components/schemas/Name` → `<componentsId>#/definitions/Name`. */
function convertRef(ref: string, componentsId: string): string {
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) throw new Error(`unsupported $ref ${ref}`);
  return `${componentsId}#/definitions/${ref.slice(prefix.length)}`;
}

export function toJsonSchema(schema: unknown, componentsId: string): JsonObject {
  if (!isObject(schema)) throw new Error('a schema must be an object');
  if (typeof schema.$ref === 'string') {
    // In OpenAPI 3.0 siblings of $ref are ignored.
    return { $ref: convertRef(schema.$ref, componentsId) };
  }
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (annotationsOnly.has(key) || key === 'nullable') continue;
    if (key === 'properties' && isObject(value)) {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, property]) => [name, toJsonSchema(property, componentsId)]),
      );
    } else if ((key === 'items' || key === 'not') && isObject(value)) {
      out[key] = toJsonSchema(value, componentsId);
    } else if (key === 'additionalProperties' && isObject(value)) {
      out[key] = toJsonSchema(value, componentsId);
    } else if ((schemaLists as readonly string[]).includes(key) && Array.isArray(value)) {
      out[key] = value.map((item) => toJsonSchema(item, componentsId));
    } else if (key === 'exclusiveMaximum' || key === 'exclusiveMinimum') {
      if (value === true) {
        const bound = key === 'exclusiveMaximum' ? 'maximum' : 'minimum';
        out[key] = schema[bound];
      } else if (typeof value === 'number') {
        out[key] = value;
      }
    } else {
      out[key] = value;
    }
  }
  // A boolean exclusive bound replaces the inclusive one it qualified.
  if (schema.exclusiveMaximum === true) delete out.maximum;
  if (schema.exclusiveMinimum === true) delete out.minimum;
  return schema.nullable === true ? allowNull(out) : out;
}

function allowNull(schema: JsonObject): JsonObject {
  if (typeof schema.type === 'string') {
    const nullable: JsonObject = { ...schema, type: [schema.type, 'null'] };
    if (Array.isArray(schema.enum)) nullable.enum = [...schema.enum, null];
    return nullable;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

/** `components.schemas` as one draft-07 document Ajv can resolve `<componentsId>#/definitions/X` against. */
export function componentsDocument(components: unknown, componentsId: string): JsonObject {
  const schemas = isObject(components) && isObject(components.schemas) ? components.schemas : {};
  return {
    $id: componentsId,
    definitions: Object.fromEntries(
      Object.entries(schemas).map(([name, schema]) => [name, toJsonSchema(schema, componentsId)]),
    ),
  };
}
