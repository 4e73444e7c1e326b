import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { createSigner } from 'fast-jwt';
import pg from 'pg';

/**
 * `npm run soak` (issue 11): measures the capacity of one audited read (GET /v1/staff/{id}: a query and a
 * durable audit event) with autocannon, then holds half of it for SOAK_SECONDS (default 600) against a real
 * server process, printing every 10 s the requests, the error rate, latency and the server's RSS. At the end
 * it checks that every successful read left its audit event, and that SIGTERM exits 0.
 *
 * Database: a scratch database created on DATABASE_URL or TEST_DATABASE_URL (default the machine's
 * PostgreSQL at 127.0.0.1:5432) and dropped afterwards.
 */
const soakSeconds = Number(process.env.SOAK_SECONDS ?? 600);
const capacitySeconds = Number(process.env.SOAK_CAPACITY_SECONDS ?? 10);
const sampleSeconds = 10;
const connections = Number(process.env.SOAK_CONNECTIONS ?? 32);
const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const secret = randomBytes(32).toString('base64url');
const admin = 'soak-platform-admin';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const sign = createSigner({ key: secret, algorithm: 'HS256', expiresIn: 24 * 3_600_000 });
const bearer = (subject: string) => `Bearer ${sign({ sub: subject })}`;

async function call(base: string, method: string, path: string, body?: unknown): Promise<{ id: string }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: bearer(admin), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string };
}

function rssMegabytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(/(\d+)/.exec(line ?? '')?.[1] ?? 0) / 1024);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

async function main(): Promise<void> {
  const database = `cartella_soak_${randomBytes(4).toString('hex')}`;
  const root = new pg.Client({ connectionString: serverUrl });
  await root.connect();
  await root.query(`create database ${database}`);
  const databaseUrl = withDatabase(serverUrl, database);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      JWT_SECRET: secret,
      BOOTSTRAP_ADMIN_SUBJECT: admin,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_MAX: '1000000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = once(server, 'exit');
  try {
    for (let i = 0; ; i++) {
      if ((await fetch(`${base}/status`).then((r) => r.status, () => 0)) === 200) break;
      if (server.exitCode !== null || i > 600) throw new Error('the server did not start');
      await sleep(100);
    }
    const organisation = await call(base, 'POST', '/v1/organisations', { name: 'Comune di Soak', belfioreCode: 'H501', istatCode: '058091' });
    const reader = await call(base, 'POST', '/v1/staff', {
      subject: 'soak-admin', givenName: 'Soak', familyName: 'Admin', role: 'admin', profile: 'administrative', contract: 'permanent', organisationId: organisation.id,
    });
    const target = { url: `${base}/v1/staff/${reader.id}`, headers: { authorization: bearer('soak-admin') } };

    console.log(`capacity: GET /v1/staff/{id} (audited) with ${connections} connections for ${capacitySeconds} s …`);
    const measured = await autocannon({ ...target, connections, duration: capacitySeconds });
    const capacity = Math.round(measured.requests.average);
    const rate = Math.max(1, Math.round(capacity / 2));
    console.log(`capacity ${capacity} req/s (p50 ${measured.latency.p50} ms, p99 ${measured.latency.p99} ms, non-2xx ${measured.non2xx}, errors ${measured.errors}); holding ${rate} req/s for ${soakSeconds} s\n`);
    const auditedBefore = await queryAudited(databaseUrl);

    let sample = { requests: 0, ok: 0, failed: 0, latencies: [] as number[] };
    const totals = { requests: 0, ok: 0, failed: 0 };
    const rows: string[][] = [];
    const soak = autocannon({ ...target, connections, duration: soakSeconds, overallRate: rate }, () => {});
    const done = new Promise<autocannon.Result>((resolve) => soak.on('done', resolve));
    // The tracker emits (client, status, bytes, time); the published types omit the client.
    const events = soak as unknown as NodeJS.EventEmitter;
    events.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      sample.requests++;
      if (statusCode >= 200 && statusCode < 300) sample.ok++;
      else sample.failed++;
      sample.latencies.push(responseTime);
    });
    events.on('reqError', () => {
      sample.requests++;
      sample.failed++;
    });
    const startedAt = Date.now();
    const rssStart = rssMegabytes(server.pid!);
    const timer = setInterval(() => {
      const { requests, ok, failed, latencies } = sample;
      sample = { requests: 0, ok: 0, failed: 0, latencies: [] };
      totals.requests += requests;
      totals.ok += ok;
      totals.failed += failed;
      latencies.sort((a, b) => a - b);
      const row = [
        String(Math.round((Date.now() - startedAt) / 1000)),
        String(requests),
        (requests / sampleSeconds).toFixed(0),
        String(failed),
        requests ? ((100 * failed) / requests).toFixed(3) : '0',
        percentile(latencies, 50).toFixed(1),
        percentile(latencies, 99).toFixed(1),
        String(rssMegabytes(server.pid!)),
      ];
      rows.push(row);
      console.log(row.map((cell) => cell.padStart(9)).join(' |'));
    }, sampleSeconds * 1000);
    console.log(['t (s)', 'requests', 'req/s', 'errors', 'error %', 'p50 ms', 'p99 ms', 'RSS MB'].map((h) => h.padStart(9)).join(' |'));
    const result = await done;
    clearInterval(timer);
    totals.requests += sample.requests;
    totals.ok += sample.ok;
    totals.failed += sample.failed;

    await sleep(500);
    const auditedAfter = await queryAudited(databaseUrl);
    const rssEnd = rssMegabytes(server.pid!);
    const errorRate = totals.requests ? (100 * totals.failed) / totals.requests : 0;
    console.log(
      `\nsoak: ${totals.requests} requests in ${soakSeconds} s at ${rate} req/s target (${(totals.requests / soakSeconds).toFixed(0)} achieved), ` +
        `errors ${totals.failed} (${errorRate.toFixed(4)} %), p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ` +
        `RSS ${rssStart} → ${rssEnd} MB (min ${Math.min(...rows.map((r) => Number(r[7])))}, max ${Math.max(...rows.map((r) => Number(r[7])))})`,
    );
    console.log(`audit: ${auditedAfter - auditedBefore} events written during the soak for ${totals.ok} successful reads`);
    server.kill('SIGTERM');
    const [code] = await exited;
    console.log(`SIGTERM: exit code ${code}`);
    if (code !== 0 || auditedAfter - auditedBefore < totals.ok) process.exitCode = 1;
  } finally {
    if (server.exitCode === null && server.signalCode === null) {
      server.kill('SIGKILL');
      await exited;
    }
    await root.query(`drop database if exists ${database} with (force)`);
    await root.end();
  }
}

async function queryAudited(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ n: number }>('select count(*)::int as n from audit_events')).rows[0]!.n;
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
