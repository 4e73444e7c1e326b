import { Writable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loggerOptions } from '../../src/platform/logging.js';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { testConfig } from '../helpers/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { listOperations } from '../helpers/routes.js';
import { seedWorld, type World } from '../helpers/world.js';

/**
 * SPEC §10: logs never contain names, codici fiscali, note text or tokens. The app runs with the production
 * logger configuration at `trace` level into a captured stream, through a scenario that puts personal data
 * everywhere a request can carry it (bodies, query strings, paths, headers, constraint violations, a
 * database failure with the values in flight); then every line is scanned.
 */
const fiscalCodes = ['BNCLRA85M41H501Z', 'VRDGPP70A01F205K', 'RSSMRA80A01F205X'];
const names = ['Ermenegilda', 'Scarpantibus', 'Filiberta', 'Quattrocchi'];
const noteText = 'Riferisce maltrattamenti da parte del convivente';
const idempotencyKey = 'idem-key-unique-1b7e4c2a9f';
// Any codice fiscale, not only the ones above (omocodia letters included).
const fiscalCodePattern = /[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]/i;

let app: FastifyInstance;
let w: World;
let drop: () => Promise<void>;
let databaseUrl: string;
const lines: string[] = [];
const tokens: string[] = [];

beforeAll(async () => {
  const database = await createTestDatabase();
  databaseUrl = database.url;
  drop = database.drop;
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  // A short statement timeout so that a blocked INSERT fails inside the database driver (values in flight).
  const config = testConfig(database.url, { LOG_LEVEL: 'trace', DB_STATEMENT_TIMEOUT_MS: '300' });
  app = await buildApp(config, { logger: { ...(loggerOptions(config.log) as object), stream } });
  await app.ready();
  w = await seedWorld(app.db);
});
afterAll(async () => {
  await app?.close();
  await drop?.();
});

function as(subject: string | null, options: InjectOptions) {
  const token = subject ? app.jwt.sign({ sub: subject }, { expiresIn: '1h' }) : undefined;
  if (token) tokens.push(token);
  return app.inject({ ...options, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers } });
}

const hasRoute = (method: string, path: string) => listOperations(app).some((op) => op.method === method && op.path === path);

async function scenario(): Promise<void> {
  const admin = w.a.staff.admin.subject;
  const [given0, family0, given1, family1] = names as [string, string, string, string];

  const body = { subject: fiscalCodes[0], givenName: given0, familyName: family0, role: 'social_worker', teamIds: [w.a.teams.minori], profile: 'social_worker', fte: 1, contract: 'permanent' };
  const create = (payload: object) => as(admin, { method: 'POST', url: '/v1/staff', headers: { 'idempotency-key': idempotencyKey }, payload });
  const created = await create(body);
  expect(created.statusCode).toBe(201);
  const staffId = created.json<{ id: string }>().id;
  expect((await as(admin, { method: 'GET', url: `/v1/staff/${staffId}` })).statusCode).toBe(200);
  const renamed = await as(admin, {
    method: 'PATCH',
    url: `/v1/staff/${staffId}`,
    headers: { 'if-match': created.headers.etag as string },
    payload: { givenName: given1, familyName: family1 },
  });
  expect(renamed.statusCode).toBe(200);
  // Replay with the same key, then the same key with another body (422).
  expect((await create(body)).headers['idempotent-replayed']).toBe('true');
  expect((await create({ ...body, familyName: family1 })).statusCode).toBe(422);
  // The same subject again: a unique violation whose database detail quotes the value.
  const duplicate = await as(admin, {
    method: 'POST',
    url: '/v1/staff',
    payload: { subject: fiscalCodes[0], givenName: given0, familyName: family0, role: 'educator', profile: 'educator', contract: 'permanent' },
  });
  expect(duplicate.statusCode).toBe(409);
  // Invalid input carrying personal data.
  expect((await as(admin, { method: 'POST', url: '/v1/staff', payload: { subject: fiscalCodes[1], givenName: given0, familyName: 42, role: 'nobody' } })).statusCode).toBe(400);
  expect((await as(admin, { method: 'POST', url: '/v1/staff', headers: { 'content-type': 'application/json' }, payload: `{"givenName":"${given1}",` })).statusCode).toBe(400);
  // Search terms in a query string and a codice fiscale in a path.
  expect((await as(admin, { method: 'GET', url: `/v1/staff?familyName=${family1}&fiscalCode=${fiscalCodes[1]}` })).statusCode).toBe(200);
  expect((await as(admin, { method: 'GET', url: `/v1/citizens/${fiscalCodes[2]}` })).statusCode).toBeGreaterThanOrEqual(400);
  expect((await as(admin, { method: 'GET', url: `/v1/staff/${fiscalCodes[2]}` })).statusCode).toBe(400);
  // Tokens that fail: a garbage one and one for an unknown subject (a codice fiscale, as SPID subjects can be).
  expect((await app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${fiscalCodes[1]}.${given0}` } })).statusCode).toBe(401);
  expect((await as(fiscalCodes[2]!, { method: 'GET', url: '/v1/me' })).statusCode).toBe(401);
  expect((await as(admin, { method: 'GET', url: '/v1/me' })).statusCode).toBe(200);

  await databaseFailureWithValuesInFlight(admin, given1, family1);
  await recordScenario();
}

/** An INSERT blocked by a lock until the statement timeout: the driver's error quotes the query's values. */
async function databaseFailureWithValuesInFlight(admin: string, givenName: string, familyName: string) {
  const locker = new pg.Client({ connectionString: databaseUrl });
  await locker.connect();
  try {
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE staff IN SHARE MODE');
    const blocked = await as(admin, {
      method: 'POST',
      url: '/v1/staff',
      payload: { subject: `blocked-${fiscalCodes[1]}`, givenName, familyName, role: 'educator', profile: 'educator', contract: 'permanent' },
    });
    expect(blocked.statusCode).toBe(503);
  } finally {
    await locker.query('ROLLBACK');
    await locker.end();
  }
}

/** The record itself (citizens, cases, notes), through whichever of its routes exist now. */
async function recordScenario() {
  const worker = w.a.staff.socialWorker.subject;
  if (hasRoute('POST', '/v1/citizens')) {
    const citizen = await as(worker, {
      method: 'POST',
      url: '/v1/citizens',
      payload: {
        fiscalCode: fiscalCodes[1],
        givenName: names[0],
        familyName: names[1],
        sex: 'M',
        birthDate: '1970-01-01',
        birthPlace: 'F205',
        citizenship: '100',
        residence: { municipality: 'F205', street: `Via ${names[3]} 3`, postalCode: '20100' },
      },
    });
    expect(citizen.statusCode).toBeLessThan(500);
  }
  if (hasRoute('POST', '/v1/citizens/search')) {
    for (const payload of [{ fiscalCode: fiscalCodes[2] }, { familyName: names[1], givenName: names[0] }]) {
      expect((await as(worker, { method: 'POST', url: '/v1/citizens/search', payload })).statusCode).toBeLessThan(500);
    }
  }
  if (hasRoute('GET', '/v1/citizens/{citizenId}')) {
    expect((await as(worker, { method: 'GET', url: `/v1/citizens/${w.citizenId}` })).statusCode).toBeLessThan(500);
  }
  if (hasRoute('POST', '/v1/cases/{caseId}/notes')) {
    const note = await as(worker, {
      method: 'POST',
      url: `/v1/cases/${w.caseId}/notes`,
      payload: { kind: 'interview', occurredAt: '2026-02-01T10:00:00Z', text: noteText, confidentiality: 'team' },
    });
    expect(note.statusCode).toBeLessThan(500);
  }
  if (hasRoute('GET', '/v1/cases/{caseId}/notes')) {
    expect((await as(worker, { method: 'GET', url: `/v1/cases/${w.caseId}/notes` })).statusCode).toBeLessThan(500);
  }
}

describe('logs', () => {
  it('carry no names, codici fiscali, note text, tokens or idempotency keys, at trace level', async () => {
    await scenario();
    await new Promise((resolve) => setImmediate(resolve));

    // The scenario was logged (so an empty capture cannot pass): requests, their ids, the database failure.
    expect(lines.length).toBeGreaterThan(30);
    const entries = lines.map((line) => JSON.parse(line) as { reqId?: string; level: number; err?: unknown });
    expect(entries.filter((e) => e.reqId).length).toBeGreaterThan(30);
    expect(entries.some((e) => e.level >= 40 && e.err)).toBe(true);

    const forbidden = [...fiscalCodes, ...names, noteText, idempotencyKey, ...tokens, ...tokens.map((t) => t.split('.')[1]!)];
    const leaks: string[] = [];
    for (const line of lines) {
      const found = forbidden.find((value) => line.toLowerCase().includes(value.toLowerCase()));
      if (found) leaks.push(`${found.slice(0, 24)} in ${line.slice(0, 300)}`);
      else if (fiscalCodePattern.test(line)) leaks.push(`a codice fiscale in ${line.slice(0, 300)}`);
    }
    expect(leaks).toEqual([]);
  });
});
