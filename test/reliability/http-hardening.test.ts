import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import pg from 'pg';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { buildTestApp, testConfig, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';

/**
 * SPEC §5 and §10 protections at the HTTP edge: rate limits (RateLimit-* headers, 429 problem+json with
 * Retry-After, keyed by token subject else by address, applied before authentication), security headers,
 * CORS by origin list, body limit (413), and the request deadline (503 with Retry-After, no commit after it).
 */
let t: TestApp;
let w: World;
const variants: FastifyInstance[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => {
  for (const app of variants) await app.close();
  await t?.close();
});

/** The app with other settings, on the same database. */
async function variant(env: Record<string, string>): Promise<FastifyInstance> {
  const app = await buildApp(testConfig(t.databaseUrl, env), { pool: t.app.pool });
  variants.push(app);
  await app.ready();
  return app;
}

function call(app: FastifyInstance, subject: string | null, options: InjectOptions): Promise<LightMyRequestResponse> {
  const token = subject ? app.jwt.sign({ sub: subject }, { expiresIn: '1h' }) : undefined;
  return app.inject({ ...options, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers } });
}

const expectProblem = (response: LightMyRequestResponse, status: number, code: string) => {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.json()).toMatchObject({ status, code });
};

describe('rate limits', () => {
  it('answers carry RateLimit-Limit/Remaining/Reset and no X- headers', async () => {
    const app = await variant({ RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const first = await call(app, w.a.staff.admin.subject, { method: 'GET', url: '/v1/teams' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['ratelimit-limit']).toBe('5');
    expect(first.headers['ratelimit-remaining']).toBe('4');
    expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(Number(first.headers['ratelimit-reset'])).toBeLessThanOrEqual(60);
    expect(Object.keys(first.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
    const second = await call(app, w.a.staff.admin.subject, { method: 'GET', url: '/v1/teams' });
    expect(second.headers['ratelimit-remaining']).toBe('3');
  });

  it('over the limit: 429 problem+json rate_limited with Retry-After', async () => {
    const app = await variant({ RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_SECONDS: '30' });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(app, w.a.staff.director.subject, { method: 'GET', url: '/v1/teams' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await call(app, w.a.staff.director.subject, { method: 'GET', url: '/v1/teams' });
    expectProblem(refused, 429, 'rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(30);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
  });

  it('is keyed by token subject: colleagues behind one address have their own budgets, one subject shares it across addresses', async () => {
    const app = await variant({ RATE_LIMIT_MAX: '2' });
    const get = (subject: string, remoteAddress: string) => call(app, subject, { method: 'GET', url: '/v1/teams', remoteAddress });
    const coordinator = w.a.staff.coordinator.subject;
    const worker = w.a.staff.socialWorker.subject;
    expect((await get(coordinator, '10.0.0.1')).statusCode).toBe(200);
    expect((await get(coordinator, '10.0.0.2')).statusCode).toBe(200);
    expect((await get(coordinator, '10.0.0.3')).statusCode).toBe(429);
    // Same office address, another person: untouched budget.
    expect((await get(worker, '10.0.0.1')).statusCode).toBe(200);
    expect((await get(worker, '10.0.0.1')).headers['ratelimit-remaining']).toBe('0');
  });

  it('without a token it is keyed by address, and applies before authentication (a flood of bad tokens is limited)', async () => {
    const app = await variant({ RATE_LIMIT_MAX: '2' });
    const anonymous = (remoteAddress: string, authorization?: string) =>
      app.inject({ method: 'GET', url: '/v1/me', remoteAddress, headers: authorization ? { authorization } : {} });
    expect((await anonymous('192.0.2.1')).statusCode).toBe(401);
    expect((await anonymous('192.0.2.1', 'Bearer not-a-jwt')).statusCode).toBe(401);
    expectProblem(await anonymous('192.0.2.1', 'Bearer still-not-a-jwt'), 429, 'rate_limited');
    expect((await anonymous('192.0.2.2')).statusCode).toBe(401);
  });

  it('public routes and unknown routes have their own, stricter limits', async () => {
    const app = await variant({ RATE_LIMIT_MAX: '100', PUBLIC_RATE_LIMIT_MAX: '2', NOT_FOUND_RATE_LIMIT_MAX: '2' });
    const status = async (url: string) => (await app.inject({ method: 'GET', url })).statusCode;
    expect([await status('/status'), await status('/status'), await status('/status')]).toEqual([200, 200, 429]);
    expect([await status('/v1/nothing/1'), await status('/v1/nothing/2'), await status('/v1/nothing/3')]).toEqual([404, 404, 429]);
    const refused = await app.inject({ method: 'GET', url: '/v1/nothing/4' });
    expectProblem(refused, 429, 'rate_limited');
    expect(refused.headers['retry-after']).toBeTruthy();
  });
});

describe('security headers and CORS', () => {
  it('helmet headers, no X-Powered-By, and answers with personal data are not cacheable', async () => {
    const response = await t.as(w.a.staff.admin.subject, { method: 'GET', url: `/v1/staff/${w.a.staff.socialWorker.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'referrer-policy': 'no-referrer',
      'cross-origin-resource-policy': 'same-site',
      'cross-origin-opener-policy': 'same-origin',
      'cache-control': 'no-store',
    });
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('CORS answers only the configured origins, and exposes the headers a front end reads', async () => {
    const app = await variant({ CORS_ORIGINS: 'https://cartella.comune.example, https://backoffice.comune.example' });
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/v1/staff',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,if-match' },
      });
    const allowed = await preflight('https://backoffice.comune.example');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://backoffice.comune.example');
    expect(allowed.headers['access-control-allow-methods']).toMatch(/POST/);
    expect((await preflight('https://evil.example')).headers['access-control-allow-origin']).toBeUndefined();

    const actual = await call(app, w.a.staff.admin.subject, { method: 'GET', url: '/v1/teams', headers: { origin: 'https://cartella.comune.example' } });
    expect(actual.headers['access-control-allow-origin']).toBe('https://cartella.comune.example');
    expect(String(actual.headers['access-control-expose-headers']).split(/,\s*/)).toEqual(
      expect.arrayContaining(['etag', 'request-id', 'retry-after', 'ratelimit-remaining']),
    );
  });

  it('no CORS at all when CORS_ORIGINS is unset', async () => {
    const response = await t.app.inject({ method: 'OPTIONS', url: '/v1/staff', headers: { origin: 'https://cartella.comune.example', 'access-control-request-method': 'GET' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('limits on size and time', () => {
  it('a body over BODY_LIMIT_BYTES is refused 413 problem+json and writes nothing', async () => {
    const app = await variant({ BODY_LIMIT_BYTES: '2048' });
    const count = async () => Number((await t.app.pool.query('select count(*) from staff')).rows[0].count);
    const before = await count();
    const response = await call(app, w.a.staff.admin.subject, {
      method: 'POST',
      url: '/v1/staff',
      payload: { subject: 'big-body', givenName: 'A'.repeat(3000), familyName: 'B', role: 'educator', profile: 'educator', contract: 'permanent' },
    });
    expectProblem(response, 413, 'payload_too_large');
    expect(await count()).toBe(before);
  });

  it('malformed URLs and over-long path parameters are 400 problem+json too', async () => {
    const admin = w.a.staff.admin.subject;
    const tooLong = await t.as(admin, { method: 'GET', url: `/v1/staff/${'x'.repeat(300)}` });
    expectProblem(tooLong, 400, 'validation_failed');
    expect(tooLong.json().invalidParams).toEqual([{ name: 'path', reason: expect.any(String) }]);
    expectProblem(await t.as(admin, { method: 'GET', url: '/v1/staff/%E0%A4%A' }), 400, 'validation_failed');
  });

  it('a client too slow to send its request is cut off after REQUEST_TIMEOUT_MS with a 408 problem+json', async () => {
    const app = await variant({ REQUEST_TIMEOUT_MS: '1000' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    // Headers that never end: the slowloris pattern.
    socket.write('GET /v1/teams HTTP/1.1\r\nHost: cartella\r\n');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    await once(socket, 'close');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeLessThan(2500);
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 408 Request Timeout/);
    expect(head).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(body)).toMatchObject({ status: 408, code: 'request_timeout' });
  });

  it('a request that hangs on the database is answered 503 with Retry-After at the deadline', async () => {
    const app = await variant({ REQUEST_TIMEOUT_MS: '1000' });
    await withLock('LOCK TABLE teams IN ACCESS EXCLUSIVE MODE', 2500, async () => {
      const started = Date.now();
      const response = await call(app, w.a.staff.admin.subject, { method: 'GET', url: '/v1/teams' });
      expectProblem(response, 503, 'service_unavailable');
      expect(response.headers['retry-after']).toBe('5');
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(Date.now() - started).toBeLessThan(2000);
    });
  });

  it('a write answered 503 at the deadline does not commit when the database catches up, and its audit event says error', async () => {
    const app = await variant({ REQUEST_TIMEOUT_MS: '1000' });
    let requestId = '';
    // SHARE blocks INSERT but not the reads of authentication.
    await withLock('LOCK TABLE staff IN SHARE MODE', 1500, async () => {
      const response = await call(app, w.a.staff.admin.subject, {
        method: 'POST',
        url: '/v1/staff',
        payload: { subject: 'late-writer', givenName: 'Late', familyName: 'Writer', role: 'educator', profile: 'educator', contract: 'permanent' },
      });
      expectProblem(response, 503, 'service_unavailable');
      requestId = response.headers['request-id'] as string;
    });
    // The lock is gone: the INSERT went ahead, then the transaction found its deadline passed.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await t.app.pool.query(`select count(*)::int as n from staff where subject = 'late-writer'`)).rows[0].n).toBe(0);
    const events = await t.app.pool.query('select outcome from audit_events where request_id = $1', [requestId]);
    expect(events.rows).toEqual([{ outcome: 'error' }]);
  });
});

async function withLock(statement: string, holdMs: number, work: () => Promise<void>): Promise<void> {
  const locker = new pg.Client({ connectionString: t.databaseUrl });
  await locker.connect();
  await locker.query('BEGIN');
  await locker.query(statement);
  const release = new Promise((resolve) => setTimeout(resolve, holdMs)).then(async () => {
    await locker.query('ROLLBACK');
    await locker.end();
  });
  try {
    await work();
  } finally {
    await release;
  }
}
