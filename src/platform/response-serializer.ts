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
  return (data) => flattened((serialize ??= compile(route))(data));
};

/**
 * The serializer's answer is a rope: a string of many small pieces joined. Fastify first counts its UTF-8
 * bytes (Content-Length), then writes it, and each pass over a rope costs more than over a flat string.
 * Flattened here once (ToNumber makes V8 flatten a string in place: the `flatstr` idiom), a page of 20
 * cases costs the server ~20% less CPU (`BENCH_ROUTES=list npm run bench`, issue 10). Encoding it to a
 * Buffer instead saved a little less and kept ~15 MB more memory outside V8's heap.
 */
function flattened(json: string): string {
  // eslint-disable-next-line @typescript-eslint/no-unused-expressions
  (json as unknown as number) | 0;
  return json;
}

function compile(route: Parameters<FastifySerializerCompiler<ResponseSchema>>[0]): (data: unknown) => string {
  const schema = route.schema instanceof z.ZodType ? route.schema : route.schema.properties;
  try {
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'throw', reused: 'inline' });
    return fastJsonStringify(json as Parameters<typeof fastJsonStringify>[0]);
  } catch {
    return zodSerializerCompiler(route as Parameters<typeof zodSerializerCompiler>[0]);
  }
}
