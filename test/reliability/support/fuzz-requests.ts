import fc from 'fast-check';
import { JSONSchemaFaker } from 'json-schema-faker';
import { fillPath, type Operation } from '../../helpers/routes.js';

/**
 * Generated requests for the fuzzer: an operation of the OpenAPI document, a caller, and path parameters,
 * query, headers and body drawn by fast-check — the body starts as a valid one from the route's JSON schema
 * (json-schema-faker, seeded with the run's seed so that a failing request is reproducible)
 * and is then mutated: fields dropped, retyped, nulled, made huge or exotic, extra fields, another JSON
 * value altogether, or text that is not JSON.
 */
export interface FuzzCase {
  operation: number;
  caller: number;
  /** Pick the caller among those whose role holds the operation's permission (so that checks behind it run). */
  allowedCaller: boolean;
  baseBody: number;
  pathValues: Record<string, PathValue>;
  query: [string, string][];
  rawQuery: string | null;
  headers: Record<string, string>;
  body: BodyMutation;
}

type PathValue = { kind: 'real' } | { kind: 'literal'; value: string; encode: boolean };

type BodyMutation =
  | { kind: 'valid' }
  | { kind: 'absent' }
  | { kind: 'drop'; pick: number }
  | { kind: 'set'; pick: number; value: unknown }
  | { kind: 'huge'; pick: number; length: number }
  | { kind: 'extra'; key: string; value: unknown }
  | { kind: 'replace'; value: unknown }
  | { kind: 'text'; text: string };

export interface BuiltRequest {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
}

const fiscalCode = 'RSSMRA80A01F205X';

/** Values a field should never accept — or should accept and store as they are. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, 2 ** 53 + 1, '', '   ', '\u0000', 'a\u0000b', '\uD800', '\u202Etxt.exe', '😀👨‍👩‍👧', fiscalCode, 'not-a-uuid', '2026-02-30', '0000-01-01', '9999-12-31T25:00:00Z', "'; drop table staff; --", '<script>alert(1)</script>', '../../etc/passwd', '%00', 'NaN', '1e999', '{"a":1}'),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.uuid(),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 10 }), fc.constant(null)), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 8 })), { maxKeys: 4 }),
);

const deepNesting = (depth: number): unknown => Array.from({ length: depth }).reduce<unknown>((inner) => ({ a: inner }), 1);

const bodyMutation: fc.Arbitrary<BodyMutation> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'valid' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'absent' as const }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick: fc.nat() }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('set' as const), pick: fc.nat(), value: oddValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge' as const), pick: fc.nat(), length: fc.constantFrom(5_000, 200_000, 2_000_000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('extra' as const), key: fc.constantFrom('id', 'organisationId', 'version', 'createdAt', 'role', 'isAdmin', 'constructor', 'x'), value: oddValue }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('replace' as const),
      value: fc.oneof(oddValue, fc.constant([]), fc.constant({}), fc.constant(deepNesting(2000)), fc.array(fc.constant({}), { maxLength: 3 })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('text' as const),
      text: fc.oneof(
        fc.constantFrom('', '{', '{"a":', 'null', '[1,2', '{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{"isAdmin":true}}}', '\u0000', '<xml/>', 'a=1&b=2'),
        fc.string({ maxLength: 50 }),
      ),
    }),
  },
);

const pathValue: fc.Arbitrary<PathValue> = fc.oneof(
  { weight: 7, arbitrary: fc.constant({ kind: 'real' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('literal' as const),
      value: fc.oneof(
        fc.uuid(),
        fc.constantFrom('not-a-uuid', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', fiscalCode, '0', '-1', '99999999999', '2026', 'F205', 'f205', '..', '%2e%2e', ' ', 'null', 'undefined'),
        fc.string({ maxLength: 40 }),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.constant('x'.repeat(3000)),
      ),
      encode: fc.boolean(),
    }),
  },
);

const queryKeys = ['limit', 'cursor', 'status', 'teamId', 'userArea', 'assignedToMe', 'from', 'to', 'period', 'by', 'groupBy', 'year', 'actorId', 'citizenId', 'caseId', 'action', 'outcome', 'emergency', 'organisationId', 'role', 'active', 'since', 'kind'];
const cursorValue = fc.oneof(
  fc.constantFrom('', 'garbage', '%%%', 'eyJ9', Buffer.from('{"at":"x","id":"y"}').toString('base64url'), Buffer.from('{"at":"2026-01-01T00:00:00Z","id":"not-a-uuid"}').toString('base64url'), Buffer.from('[]').toString('base64url'), 'A'.repeat(500)),
  fc.record({ at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), id: fc.uuid() }).map((p) => Buffer.from(JSON.stringify(p)).toString('base64url')),
);
const queryValue = fc.oneof(
  fc.constantFrom('-1', '0', '1', '101', '1e3', 'abc', 'true', 'false', 'yes', '', '2026-13-01', '2026-01-01', 'month', 'quarter', 'worker', 'team', 'area', fiscalCode),
  fc.uuid(),
  fc.string({ maxLength: 20 }),
  cursorValue,
);
const query = fc.array(fc.tuple(fc.oneof(fc.constantFrom(...queryKeys), fc.string({ maxLength: 10 })), queryValue), { maxLength: 4 });

const headers: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    'if-match': fc.constantFrom('"1"', 'W/"1"', '"2"', '*', 'garbage', '"99999999999"', '"-1"', '""', '"1", "2"'),
    'if-none-match': fc.constantFrom('*', '"1"'),
    'idempotency-key': fc.oneof(fc.uuid(), fc.constantFrom('', 'short', 'k'.repeat(300), 'key with spaces', 'ключ-ключ-ключ')),
    'content-type': fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/xml', 'multipart/form-data; boundary=x'),
    accept: fc.constantFrom('application/json', 'text/csv', 'application/x-ndjson', 'application/xml', '*/*', 'text/html'),
    'request-id': fc.oneof(fc.uuid(), fc.string({ maxLength: 80 })),
  },
  { requiredKeys: [] },
);

export function fuzzCases(operationCount: number, callerCount: number): fc.Arbitrary<FuzzCase> {
  return fc.record({
    operation: fc.nat({ max: operationCount - 1 }),
    caller: fc.nat({ max: callerCount - 1 }),
    allowedCaller: fc.boolean(),
    baseBody: fc.nat(),
    pathValues: fc.dictionary(fc.constantFrom('p0', 'p1', 'p2'), pathValue, { maxKeys: 3 }),
    query,
    rawQuery: fc.option(fc.constantFrom('%', '%E0%A4%A', 'a[b]=1', '__proto__[x]=1', 'limit=1&limit=2', '&&&', 'a=%00'), { freq: 10 }),
    headers,
    body: bodyMutation,
  });
}

/** A small seeded generator, so that json-schema-faker draws the same bodies in every run with a seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function uuidFrom(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(random() * 4)]!;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Valid bodies drawn once per operation (json-schema-faker is the slow part of building a request), from a
 * seeded generator: a case picks one and mutates it.
 */
export function validBodies(operations: Operation[], seed: number, perOperation = 24): unknown[][] {
  const random = seededRandom(seed);
  JSONSchemaFaker.option({ random });
  JSONSchemaFaker.format('uuid', () => uuidFrom(random));
  return operations.map((operation) =>
    operation.bodySchema ? Array.from({ length: perOperation }, () => JSONSchemaFaker.generate(operation.bodySchema as never)) : [],
  );
}

/** The paths to every field of a JSON value, nested ones included (object keys and array indexes). */
function fieldPaths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  const children: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : value && typeof value === 'object'
      ? Object.entries(value)
      : [];
  return children.flatMap(([key, child]) => [[...at, key], ...fieldPaths(child, [...at, key])]);
}

function edit(body: unknown, path: (string | number)[], change: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let parent = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path.at(-1)!);
  return copy;
}

function mutatedBody(base: unknown, mutation: BodyMutation): string | undefined {
  const body = base ?? {};
  const fields = fieldPaths(body);
  const pick = (n: number) => fields[n % Math.max(fields.length, 1)] ?? ['field'];
  switch (mutation.kind) {
    case 'valid':
      return base === undefined ? undefined : JSON.stringify(base);
    case 'absent':
      return undefined;
    case 'drop':
      return JSON.stringify(edit(body, pick(mutation.pick), (parent, key) => delete parent[key]));
    case 'set':
      return JSON.stringify(edit(body, pick(mutation.pick), (parent, key) => (parent[key] = mutation.value)));
    case 'huge':
      return JSON.stringify(edit(body, pick(mutation.pick), (parent, key) => (parent[key] = 'é'.repeat(mutation.length))));
    case 'extra':
      return JSON.stringify({ ...(typeof body === 'object' && !Array.isArray(body) ? body : {}), [mutation.key]: mutation.value });
    case 'replace':
      return JSON.stringify(mutation.value) ?? 'null';
    case 'text':
      return mutation.text;
  }
}

export interface Caller {
  authorization: string | undefined;
  /** Whether the caller's role holds the permission of an operation. */
  allowed(operation: Operation): boolean;
}

export function buildRequest(operation: Operation, bodies: unknown[], ids: Record<string, string>, callers: Caller[], fuzz: FuzzCase): BuiltRequest {
  const values: Record<string, string> = {};
  operation.params.forEach((name, index) => {
    const choice = fuzz.pathValues[`p${index}`];
    const real = ids[name];
    if (choice?.kind === 'literal') values[name] = choice.encode ? encodeURIComponent(choice.value) : choice.value;
    else if (real !== undefined) values[name] = real;
  });
  // A raw literal may hold characters a URL cannot carry: percent-encode those, keep the rest as drawn.
  const path = fillPath(operation, values).replace(/[^\x21-\x7e]/gu, (c) => encodeURIComponent(c)).replace(/[?#]/g, encodeURIComponent);
  const search = [...fuzz.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`), ...(fuzz.rawQuery ? [fuzz.rawQuery] : [])].join('&');
  const text = mutatedBody(bodies[fuzz.baseBody % Math.max(bodies.length, 1)], fuzz.body);
  const eligible = fuzz.allowedCaller ? callers.filter((c) => c.allowed(operation)) : [];
  const caller = (eligible.length > 0 ? eligible : callers)[fuzz.caller % (eligible.length || callers.length)]!;
  const headers: Record<string, string> = { ...fuzz.headers };
  if (text === undefined) delete headers['content-type'];
  else headers['content-type'] ??= 'application/json';
  if (caller.authorization) headers.authorization = caller.authorization;
  return { method: operation.method, url: search ? `${path}?${search}` : path, headers, ...(text === undefined ? {} : { payload: text }) };
}
