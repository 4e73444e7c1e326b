import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timestampOut } from '../shared/schemas.js';
import { responseSerializerCompiler } from './response-serializer.js';

const compile = (schema: z.ZodType) =>
  responseSerializerCompiler({ schema, method: 'GET', url: '/x', httpStatus: '200' });

describe('response serializer', () => {
  it('writes only declared properties, at every depth, and timestamps as RFC 3339 UTC', () => {
    const serialize = compile(
      z.object({ id: z.string(), at: timestampOut, inner: z.object({ name: z.string() }), n: z.number().nullable() }),
    );
    const out = serialize({
      id: 'a',
      at: new Date('2026-03-04T05:06:07.089Z'),
      inner: { name: 'x', fiscalCode: 'RSSMRA80A01H501U' },
      n: null,
      restricted: 'not in the contract',
    });
    expect(JSON.parse(out)).toEqual({ id: 'a', at: '2026-03-04T05:06:07.089Z', inner: { name: 'x' }, n: null });
  });

  it('falls back to zod for a schema JSON Schema cannot express, with the same guard', () => {
    expect(() => z.toJSONSchema(z.date())).toThrow();
    const serialize = compile(z.object({ at: z.date() }));
    expect(JSON.parse(serialize({ at: new Date('2026-03-04T05:06:07.089Z'), secret: 1 }))).toEqual({
      at: '2026-03-04T05:06:07.089Z',
    });
  });

  it('answers through Fastify as UTF-8 bytes, with their Content-Length, whatever the characters', async () => {
    const app = Fastify();
    app.setSerializerCompiler(responseSerializerCompiler);
    const name = 'Nicolò D’Alò — città di Forlì 🏠';
    app.get('/x', { schema: { response: { 200: z.object({ name: z.string() }) } } }, async () => ({ name, hidden: 1 }));
    const r = await app.inject({ method: 'GET', url: '/x' });
    expect(r.headers['content-type']).toContain('application/json');
    expect(Number(r.headers['content-length'])).toBe(Buffer.byteLength(r.body));
    expect(r.json()).toEqual({ name });
    await app.close();
  });
});
