import { randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createDatabase, createPool } from '../../src/platform/database.js';
import { prepareDatabase } from '../../src/platform/startup.js';
import { testConfig } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';

/**
 * SPEC §10: "a database outage gives 503s and recovers by itself; nothing written is lost". Traffic of
 * audited reads and writes runs against the app while its own PostgreSQL is stopped and started again:
 * during the outage every answer is a 503 problem+json with Retry-After within the deadline (no crash, no
 * hang); afterwards the same app instance serves again without help; every acknowledged write is there.
 */
const deadlineMs = 3000;
let database: PrivatePostgres;
let app: FastifyInstance;
let w: World;

beforeAll(async () => {
  database = await startPrivatePostgres('outage');
  const setupPool = createPool({ url: database.url, size: 2, statementTimeoutMs: 30_000 });
  try {
    await prepareDatabase(setupPool, undefined);
    w = await seedWorld(createDatabase(setupPool));
  } finally {
    await setupPool.end();
  }
  app = await buildApp(testConfig(database.url, { REQUEST_TIMEOUT_MS: String(deadlineMs), DB_POOL_SIZE: '4' }));
  await app.ready();
});
afterAll(async () => {
  try {
    await app?.close();
  } finally {
    await database?.destroy();
  }
});

interface Outcome {
  phase: Phase;
  kind: 'team' | 'staff' | 'read';
  status: number;
  ms: number;
  problem: boolean;
  retryAfter: string | undefined;
  createdId?: string;
}
type Phase = 'before' | 'outage' | 'after';

describe('database outage', () => {
  it('503 with Retry-After while PostgreSQL is down, recovery without a restart, no acknowledged write lost', async () => {
    let phase: Phase = 'before';
    let running = true;
    const outcomes: Outcome[] = [];
    const token = app.jwt.sign({ sub: w.a.staff.admin.subject }, { expiresIn: '1h' });
    const headers = { authorization: `Bearer ${token}` };

    const send = async (kind: Outcome['kind']): Promise<void> => {
      const started = Date.now();
      const at = phase;
      let response: LightMyRequestResponse;
      if (kind === 'team') {
        response = await app.inject({ method: 'POST', url: '/v1/teams', headers: { ...headers, 'idempotency-key': randomUUID() }, payload: { name: `T ${randomUUID()}`, area: 'anziani' } });
      } else if (kind === 'staff') {
        response = await app.inject({
          method: 'POST',
          url: '/v1/staff',
          headers,
          payload: { subject: `s-${randomUUID()}`, givenName: 'Ada', familyName: 'Outage', role: 'educator', teamIds: [w.a.teams.minori, w.a.teams.anziani], profile: 'educator', contract: 'permanent' },
        });
      } else {
        response = await app.inject({ method: 'GET', url: `/v1/staff/${w.a.staff.socialWorker.id}`, headers });
      }
      outcomes.push({
        phase: at === phase ? at : 'outage', // a request that straddles a transition counts with the outage
        kind,
        status: response.statusCode,
        ms: Date.now() - started,
        problem: /^application\/problem\+json/.test(String(response.headers['content-type'])),
        retryAfter: response.headers['retry-after'] as string | undefined,
        createdId: response.statusCode === 201 ? response.json<{ id: string }>().id : undefined,
      });
    };
    const client = async (kinds: Outcome['kind'][]) => {
      for (let i = 0; running; i++) {
        await send(kinds[i % kinds.length]!);
        if (phase === 'outage') await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const clients = [client(['team', 'read']), client(['staff', 'read']), client(['staff', 'team']), client(['read'])];

    await new Promise((resolve) => setTimeout(resolve, 1500));
    phase = 'outage';
    await database.stop();
    const status = await app.inject({ method: 'GET', url: '/status' });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await database.restart();
    const restartedAt = Date.now();
    // Recovery: the same app instance, by itself. Traffic goes on; wait for the first success after restart.
    phase = 'after';
    let recoveredMs = -1;
    while (Date.now() - restartedAt < 15_000) {
      if (outcomes.some((o) => o.phase === 'after' && o.status < 300)) {
        recoveredMs = Date.now() - restartedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    running = false;
    await Promise.all(clients);

    expect(status.statusCode).toBe(503);
    expect(status.headers['retry-after']).toBe('5');
    expect(status.headers['content-type']).toMatch(/^application\/problem\+json/);

    const byPhase = (p: Phase) => outcomes.filter((o) => o.phase === p);
    expect(byPhase('before').length).toBeGreaterThan(20);
    expect(byPhase('before').every((o) => o.status < 300)).toBe(true);
    // During the outage: nothing but 503 problem+json with Retry-After, and never a hang past the deadline.
    const during = byPhase('outage');
    expect(during.filter((o) => o.status === 503).length).toBeGreaterThan(20);
    const wrong = during.filter((o) => o.status >= 300 && (o.status !== 503 || !o.problem || !o.retryAfter));
    expect(wrong).toEqual([]);
    expect(Math.max(...during.map((o) => o.ms))).toBeLessThan(deadlineMs + 1000);
    // After: recovered by itself within seconds, and then everything succeeds again.
    expect(recoveredMs).toBeGreaterThanOrEqual(0);
    expect(recoveredMs).toBeLessThan(10_000);
    const after = byPhase('after');
    const lastSecond = after.slice(-Math.floor(after.length / 2));
    expect(lastSecond.length).toBeGreaterThan(10);
    expect(lastSecond.filter((o) => o.status >= 300)).toEqual([]);
    expect(after.filter((o) => o.status >= 300 && o.status !== 503)).toEqual([]);

    await expectAcknowledgedWritesPresent(outcomes);
  }, 60_000);
});

async function expectAcknowledgedWritesPresent(outcomes: Outcome[]): Promise<void> {
  const teamIds = outcomes.filter((o) => o.kind === 'team' && o.createdId).map((o) => o.createdId!);
  const staffIds = outcomes.filter((o) => o.kind === 'staff' && o.createdId).map((o) => o.createdId!);
  expect(teamIds.length).toBeGreaterThan(5);
  expect(staffIds.length).toBeGreaterThan(5);
  const { rows: teams } = await app.pool.query<{ id: string }>('select id from teams where id = any($1::uuid[])', [teamIds]);
  expect(teams.map((r) => r.id).sort()).toEqual([...teamIds].sort());
  // Each acknowledged staff member whole: both team links and its creation in the audit trail.
  const { rows: staff } = await app.pool.query<{ id: string; links: number; audited: number }>(
    `select s.id,
            (select count(*)::int from staff_teams st where st.staff_id = s.id) as links,
            (select count(*)::int from audit_events e where e.resource_id = s.id and e.action = 'staff.create' and e.outcome = 'success') as audited
     from staff s where s.id = any($1::uuid[])`,
    [staffIds],
  );
  expect(staff.length).toBe(staffIds.length);
  expect(staff.filter((r) => r.links !== 2 || r.audited !== 1)).toEqual([]);
  // And no partial staff member anywhere (one without its team links), acknowledged or not.
  const { rows: partial } = await app.pool.query(
    `select s.id from staff s where s.family_name = 'Outage' and (select count(*) from staff_teams st where st.staff_id = s.id) <> 2`,
  );
  expect(partial).toEqual([]);
}
