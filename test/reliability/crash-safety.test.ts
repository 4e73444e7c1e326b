import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChainInSql } from '../../src/modules/audit/audit.verification.js';
import { listenPort } from '../helpers/ports.js';
import { api, startServer, type ServerProcess } from './support/server-process.js';

/**
 * Crash safety (SPEC §10, "nothing written is lost"): the real server process, on its embedded PostgreSQL,
 * takes concurrent writes of staff members (a row, two team links, an audit event and an Idempotency-Key
 * answer, in one transaction) and is killed with SIGKILL mid-load, its PostgreSQL with an immediate
 * shutdown (no checkpoint: recovery from the WAL). After a restart every write the client saw acknowledged
 * is there and whole, no partial record exists, the audit chain verifies, and the writes whose answer was
 * lost are settled by retrying them with their Idempotency-Key — each exactly once.
 */
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartella-crash-'));
// Traversable by the postgres system user (tests as root), so that the cluster lives in DATA_DIR/postgres.
chmodSync(dataDir, 0o755);
const env = { DATA_DIR: dataDir, EMBEDDED_PG_PORT: String(listenPort()), BOOTSTRAP_ADMIN_SUBJECT: 'crash-root' };
const clusterDir = path.join(dataDir, 'postgres');
let server: ServerProcess | undefined;

afterAll(async () => {
  try {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    // After a failure between the kill and the restart, the PostgreSQL the killed server left behind.
    await stopPostgres('SIGINT');
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

interface Attempt {
  key: string;
  body: { subject: string } & Record<string, unknown>;
  state: 'sent' | 'acknowledged' | 'refused';
  id?: string;
}

/** Signals the cluster's postmaster, if one runs, and waits for it to exit. */
async function stopPostgres(signal: 'SIGQUIT' | 'SIGINT'): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  // A stale file's pid may have been reused: only a postgres serving this cluster is signalled.
  const commandLine = existsSync(`/proc/${pid}/cmdline`) ? readFileSync(`/proc/${pid}/cmdline`, 'utf8') : '';
  if (!commandLine.includes('postgres') || !commandLine.includes(clusterDir)) return;
  for (let i = 0; i < 400; i++) {
    try {
      process.kill(pid, i === 0 ? signal : 0);
    } catch {
      return;
    }
    await sleep(25);
  }
  throw new Error('PostgreSQL did not stop');
}

describe('crash safety', () => {
  it('SIGKILL mid-load: every acknowledged write survives whole, lost answers settle exactly once on retry', async () => {
    server = await startServer(env);
    const root = 'crash-root';
    const org = await api(server.baseUrl, root, 'POST', '/v1/organisations', { name: 'Comune di Prova', belfioreCode: 'H501', istatCode: '058091' });
    expect(org.status).toBe(201);
    const organisationId = (org.body as { id: string }).id;
    const admin = await api(server.baseUrl, root, 'POST', '/v1/staff', {
      subject: 'crash-admin', givenName: 'Ada', familyName: 'Admin', role: 'admin', profile: 'administrative', contract: 'permanent', organisationId,
    });
    expect(admin.status).toBe(201);
    const teamIds: string[] = [];
    for (const name of ['Minori', 'Anziani']) {
      const team = await api(server.baseUrl, 'crash-admin', 'POST', '/v1/teams', { name, area: name.toLowerCase() });
      expect(team.status).toBe(201);
      teamIds.push((team.body as { id: string }).id);
    }

    const attempts: Attempt[] = [];
    let killed = false;
    const baseUrl = server.baseUrl;
    const writer = async () => {
      while (!killed) {
        const attempt: Attempt = {
          key: randomUUID(),
          body: { subject: `w-${randomUUID()}`, givenName: 'Carla', familyName: 'Crash', role: 'social_worker', teamIds, profile: 'social_worker', fte: 0.5, contract: 'fixed_term' },
          state: 'sent',
        };
        attempts.push(attempt);
        try {
          const response = await api(baseUrl, 'crash-admin', 'POST', '/v1/staff', attempt.body, { 'idempotency-key': attempt.key });
          if (response.status === 201) Object.assign(attempt, { state: 'acknowledged', id: (response.body as { id: string }).id });
          else attempt.state = 'refused';
        } catch {
          // The connection died with the server: the outcome of this write is unknown to the client.
        }
      }
    };
    const writers = Array.from({ length: 12 }, writer);
    for (const started = Date.now(); Date.now() - started < 8_000; await sleep(20)) {
      if (attempts.filter((a) => a.state === 'acknowledged').length >= 60) break;
    }
    server.child.kill('SIGKILL');
    killed = true;
    await server.exited;
    await stopPostgres('SIGQUIT'); // an immediate shutdown: no checkpoint, recovery from the WAL at start
    await Promise.all(writers);

    const acknowledged = attempts.filter((a) => a.state === 'acknowledged');
    const unknown = attempts.filter((a) => a.state === 'sent');
    expect(acknowledged.length).toBeGreaterThanOrEqual(20);
    expect(attempts.filter((a) => a.state === 'refused')).toEqual([]);
    expect(unknown.length).toBeGreaterThan(0); // the kill did land mid-load

    server = await startServer(env);
    expect(server.output.join('\n')).toMatch(/Taking over the lock/);

    // Every acknowledged write, read back through the API, whole.
    for (const attempt of acknowledged) {
      const read = await api(server.baseUrl, 'crash-admin', 'GET', `/v1/staff/${attempt.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id: attempt.id, subject: attempt.body.subject, fte: 0.5 });
      expect([...(read.body as { teamIds: string[] }).teamIds].sort()).toEqual([...teamIds].sort());
    }

    const password = readFileSync(path.join(clusterDir, 'cartella.password'), 'utf8').trim();
    const pool = new pg.Pool({ connectionString: `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${env.EMBEDDED_PG_PORT}/cartella`, max: 2 });
    try {
      const { rows: partial } = await pool.query(
        `select s.id,
                (select count(*) from staff_teams st where st.staff_id = s.id)::int as links,
                exists (select 1 from audit_events e where e.resource_id = s.id and e.action = 'staff.create' and e.outcome = 'success') as audited,
                exists (select 1 from idempotency_keys k where k.response_body->>'id' = s.id::text) as answered
         from staff s where s.family_name = 'Crash'`,
      );
      // Written before the kill: the acknowledged ones and perhaps some whose answer was lost; all whole.
      expect(partial.length).toBeGreaterThanOrEqual(acknowledged.length);
      expect(partial.filter((r) => r.links !== 2 || !r.audited || !r.answered)).toEqual([]);
      expect(await verifyAuditChainInSql(pool)).toMatchObject({ valid: true, firstBrokenSequence: null });

      // The client retries what it does not know with the same key and body: one record each, never two.
      for (const attempt of unknown) {
        const retry = await api(server.baseUrl, 'crash-admin', 'POST', '/v1/staff', attempt.body, { 'idempotency-key': attempt.key });
        expect(retry.status).toBe(201);
      }
      const subjects = attempts.map((a) => a.body.subject);
      const { rows: counts } = await pool.query<{ subject: string; n: number }>(
        'select subject, count(*)::int as n from staff where subject = any($1::text[]) group by subject',
        [subjects],
      );
      expect(counts.length).toBe(acknowledged.length + unknown.length);
      expect(counts.filter((c) => c.n !== 1)).toEqual([]);
    } finally {
      await pool.end();
    }

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
  }, 120_000);
});
