import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActorRecord } from '../../src/access/actor.js';
import { ActorCache } from '../../src/platform/actor-cache.js';
import { connectionSettingsOf } from '../../src/platform/database.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { seedWorld, type World } from '../helpers/world.js';

/**
 * The actor cache (src/platform/actor-cache.ts) must never let a changed role, team or activity be used:
 * changes made by another instance or by hand in the database arrive by NOTIFY; without its listening
 * connection the cache is off.
 */
let t: TestApp;
let w: World;
beforeAll(async () => {
  t = await buildTestApp();
  w = await seedWorld(t.app.db);
});
afterAll(async () => t?.close());

async function eventually(check: () => Promise<boolean>, timeoutMs = 3_000): Promise<boolean> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

const me = (subject: string) => t.as(subject, { method: 'GET', url: '/v1/me' });

describe('actor cache', () => {
  it('a deactivation written straight to the database (another instance, an operator) reaches this instance', async () => {
    const subject = w.a.staff.educator.subject;
    expect((await me(subject)).statusCode).toBe(200);
    expect((await me(subject)).statusCode).toBe(200); // now answered from the cache
    await t.app.pool.query('update staff set active = false where subject = $1', [subject]);
    expect(await eventually(async () => (await me(subject)).statusCode === 401)).toBe(true);
    await t.app.pool.query('update staff set active = true where subject = $1', [subject]);
    expect(await eventually(async () => (await me(subject)).statusCode === 200)).toBe(true);
  });

  it('a team change written straight to the database changes what the caller may see', async () => {
    const subject = w.a.staff.coordinator.subject;
    const before = await me(subject);
    expect(before.json().teams).toHaveLength(1);
    await t.app.pool.query('insert into staff_teams (staff_id, team_id) values ($1, $2)', [w.a.staff.coordinator.id, w.a.teams.anziani]);
    expect(await eventually(async () => (await me(subject)).json().teams.length === 2)).toBe(true);
    await t.app.pool.query('delete from staff_teams where staff_id = $1 and team_id = $2', [w.a.staff.coordinator.id, w.a.teams.anziani]);
    expect(await eventually(async () => (await me(subject)).json().teams.length === 1)).toBe(true);
  });

  it('after losing its listening connection the cache listens again, and changes still arrive', async () => {
    const subject = w.a.staff.socialWorker.subject;
    expect((await me(subject)).statusCode).toBe(200);
    const listener = () =>
      t.app.pool.query<{ pid: number }>(`select pid from pg_stat_activity where application_name = 'cartella-actor-cache' and datname = current_database()`);
    const [first] = (await listener()).rows;
    expect(first).toBeDefined();
    await t.app.pool.query('select pg_terminate_backend($1)', [first!.pid]);
    expect(await eventually(async () => (await listener()).rows.some((r) => r.pid !== first!.pid))).toBe(true);
    await t.app.pool.query('update staff set active = false where subject = $1', [subject]);
    expect(await eventually(async () => (await me(subject)).statusCode === 401)).toBe(true);
    await t.app.pool.query('update staff set active = true where subject = $1', [subject]);
  });

  it('with AUTH_ACTOR_CACHE_SECONDS=0 every request reads its actor: a change behind its back counts at once', async () => {
    const uncached = await buildTestApp({ env: { AUTH_ACTOR_CACHE_SECONDS: '0' } });
    try {
      const world = await seedWorld(uncached.app.db);
      const subject = world.a.staff.educator.subject;
      const ask = () => uncached.as(subject, { method: 'GET', url: '/v1/me' });
      expect((await ask()).statusCode).toBe(200);
      const listeners = await uncached.app.pool.query(
        `select 1 from pg_stat_activity where application_name = 'cartella-actor-cache' and datname = current_database()`,
      );
      expect(listeners.rowCount).toBe(0);
      await uncached.app.pool.query('update staff set active = false where subject = $1', [subject]);
      expect((await ask()).statusCode).toBe(401);
    } finally {
      await uncached.close();
    }
  });

  it('a token remembered as verified still expires on time', async () => {
    const strict = await buildTestApp({ env: { JWT_CLOCK_SKEW_SECONDS: '0' } });
    try {
      const world = await seedWorld(strict.app.db);
      const token = strict.app.jwt.sign({ sub: world.a.staff.educator.subject }, { expiresIn: 1 });
      const ask = () => strict.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect((await ask()).statusCode).toBe(200);
      expect((await ask()).statusCode).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await ask()).statusCode).toBe(401);
    } finally {
      await strict.close();
    }
  });

  it('an answer read while a change was announced is used once, not kept', async () => {
    const cache = new ActorCache(connectionSettingsOf(t.app.pool), 60_000);
    await cache.start();
    try {
      const actor: ActorRecord = {
        kind: 'staff', id: w.a.staff.director.id, subject: 'race', role: 'director', organisationId: w.a.id,
        teamIds: [], servedOrganisationIds: [], active: true,
      };
      let loads = 0;
      const racing = async () => {
        loads++;
        cache.invalidate(); // a notification arriving while the database answers
        return actor;
      };
      await cache.lookup('race', racing);
      await cache.lookup('race', async () => (loads++, actor));
      expect(loads).toBe(2);
      await cache.lookup('race', async () => (loads++, actor));
      expect(loads).toBe(2); // the second answer was kept
    } finally {
      await cache.close();
    }
  });
});
