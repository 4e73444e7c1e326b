import fastJsonStringify from 'fast-json-stringify';
import type { FastifySerializerCompiler } from 'fastify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

/**
 * Responses are written from their zod schema compiled to a serializer (fast-json-stringify, Fastify's own):
 * only declared properties are written, the guard against leaking what a query returned but the contract
 * does not show, several times faster than encoding through zod, which mattered on large answers (a
 * director's per-worker caseload, a page of cases). The wire form is the schema's input side: a timestamp
 * declared as a codec from an ISO string leaves as that string (fast-json-stringify writes a Date in
 * date-time format with toISOString).
 *
 * A schema JSON Schema cannot express (a transform, a refinement on the way out) keeps zod's encoder.
 */
type ResponseSchema = z.ZodType | { properties: z.ZodType };

export const responseSerializerCompiler: FastifySerializerCompiler<ResponseSchema> = (route) => {
  // Compiled at a route's first answer, not at start: compiling every route's serializer would add
  // seconds to every start (the warm start target is 1.5 s) for routes an instance may never serve.
  let serialize: ((data: unknown) => string) | undefined;
  // Answered as a Buffer, which Fastify sends as it is (its type says string, its reply accepts both). The
  // serializer's string is a rope of many small pieces; as a string Fastify would walk it once to count its
  // bytes for Content-Length and again to write it. Encoded once here, a page of 20 cases costs ~10% less CPU
  // and a page of 100 ~35% less (bench/results/http.md, issue 10).
  return (data) => Buffer.from((serialize ??= compile(route))(data)) as unknown as string;
};

function compile(route: Parameters<FastifySerializerCompiler<ResponseSchema>>[0]): (data: unknown) => string {
  const schema = route.schema instanceof z.ZodType ? route.schema : route.schema.properties;
  try {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'throw', reused: 'inline' });
    return fastJsonStringify(json as Parameters<typeof fastJsonStringify>[0]);
  } catch {
    return zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
  }
}
