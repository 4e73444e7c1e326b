import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { createSigner } from 'fast-jwt';
import pg from 'pg';
import { createPool } from '../src/platform/database.js';
import { prepareDatabase } from '../src/platform/startup.js';
import { listenPort } from '../test/helpers/ports.js';

/**
 * `npm run bench`: the service's hot paths against a bare Fastify + pg baseline on the same database, in
 * the same run (issue 10). Prints req/s, p50/p99 latency and the ratio to the baseline, the service's RSS,
 * and the warm start time of the embedded default; writes bench/results/http.md.
 *
 * Database: DATABASE_URL or TEST_DATABASE_URL (a scratch database `cartella_bench_<cases>` is created and
 * seeded once with the synthetic data command), otherwise the machine's PostgreSQL at 127.0.0.1:5432.
 */
const cases = Number(process.env.BENCH_CASES ?? 100_000);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = 3;
const connections = 50;
/** `BENCH_ROUTES=read,list`: measure only these (read, list, note, public); baselines always run. */
const only = process.env.BENCH_ROUTES?.split(',');
/** `BENCH_CPU_PROF=<dir>`: the service writes a V8 CPU profile there when it stops (open it in DevTools). */
const profileDir = process.env.BENCH_CPU_PROF;
const secret = 'bench-secret-bench-secret-bench-secret-0123';
const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function scratchDatabase(): Promise<string> {
  const name = `cartella_bench_${cases}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount;
  if (!exists) await admin.query(`create database ${name}`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const pool = createPool({ url, size: 2, statementTimeoutMs: 0 });
  await prepareDatabase(pool, undefined);
  const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from cases');
  await pool.end();
  if (rows[0]!.n < cases) {
    console.log(`seeding ${cases} cases into ${name} …`);
    const { runSeed } = await import('../src/tools/synthetic-data/seed.js');
    await runSeed({ databaseUrl: url, organisations: 4, cases, staff: Math.max(100, Math.round(cases / 250)), seed: 42, progress: true });
  }
  return url;
}

interface Target {
  subject: string;
  caseId: string;
  belfioreCode: string;
}

/** A social worker who manages an in_charge case, and an organisation with a public catalogue. */
async function pickTarget(url: string): Promise<Target> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<Target>(`
    select s.subject, c.id as "caseId", o.belfiore_code as "belfioreCode"
    from assignments a join cases c on c.id = a.case_id join staff s on s.id = a.staff_id
    join organisations o on o.id = c.organisation_id
    where a.role = 'case_manager' and a.valid_to is null and c.status = 'in_charge' and s.active and not c.sealed
      and exists (select 1 from services sv where sv.organisation_id = o.id and sv.active)
    limit 1`);
  await client.end();
  if (!rows[0]) throw new Error('the seeded database has no managed in_charge case');
  return rows[0];
}

/** The Node flags of `npm start` (package.json), so that the bench runs the server exactly as it starts. */
const startFlags = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { scripts: { start: string } }
).scripts.start
  .split(' ')
  .filter((word) => word.startsWith('--'));

/** TypeScript entry points run through tsx; the compiled server (what `npm start` runs) directly. */
function start(command: string[], env: Record<string, string>, nodeOptions: string[] = []): ChildProcess {
  const loader = command[0]!.endsWith('.ts') ? ['--import', 'tsx'] : [];
  return spawn(process.execPath, [...nodeOptions, ...loader, ...command], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function waitFor(url: string, timeoutMs = 30_000): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return Date.now() - started;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${url} did not answer in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Figures {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** CPU time per request, µs: the server process, and its database backends. */
  cpuServer: number;
  cpuDatabase: number;
  /** The server process's CPU over the measured seconds, as a share of one core: near 100, its one thread is the limit. */
  serverCorePercent: number;
  /** Idle share of all the machine's CPUs over the same seconds: near 0, the machine is the limit. */
  machineIdlePercent: number;
}

/** Who serves a measured route: the server process, and the application_name of its database sessions. */
interface Server {
  pid: number;
  applicationName: string;
}

/** utime + stime of a process, in µs (0 once it has gone). */
function cpuMicros(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1e6) / clockTicks;
  } catch {
    return 0;
  }
}
const clockTicks = 100;

/** Idle and total time of all CPUs so far, in clock ticks (first line of /proc/stat; idle includes iowait). */
function machineTicks(): { idle: number; total: number } {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: ticks[3]! + ticks[4]!, total: ticks.reduce((sum, t) => sum + t, 0) };
}

async function backendPids(url: string, applicationName: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>(
    'select pid from pg_stat_activity where application_name = $1 and datname = current_database()',
    [applicationName],
  );
  await client.end();
  return rows.map((r) => r.pid);
}

/**
 * Throughput and latency, plus CPU per request: on a machine shared with other work, req/s moves with the
 * load, while CPU per request (server process + its PostgreSQL backends) says what the route itself costs.
 */
async function measure(name: string, options: autocannon.Options, server: Server): Promise<Figures> {
  await autocannon({ ...options, connections, duration: warmupSeconds });
  const backends = await backendPids(url, server.applicationName);
  const before = {
    server: cpuMicros(server.pid),
    backends: new Map(backends.map((pid) => [pid, cpuMicros(pid)])),
    machine: machineTicks(),
    at: performance.now(),
  };
  const result = await autocannon({ ...options, connections, duration: seconds });
  const serverCpu = cpuMicros(server.pid) - before.server;
  const elapsedMicros = (performance.now() - before.at) * 1000;
  const machine = machineTicks();
  let databaseCpu = 0;
  for (const pid of await backendPids(url, server.applicationName)) databaseCpu += cpuMicros(pid) - (before.backends.get(pid) ?? 0);
  const errors = result.errors + result.timeouts + result.non2xx;
  const requests = Math.max(1, result.requests.total);
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    cpuServer: serverCpu / requests,
    cpuDatabase: databaseCpu / requests,
    serverCorePercent: (100 * serverCpu) / elapsedMicros,
    machineIdlePercent: (100 * (machine.idle - before.machine.idle)) / Math.max(1, machine.total - before.machine.total),
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function warmStartMs(): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartella-bench-start-'));
  const port = String(listenPort());
  const env = { DATA_DIR: dataDir, PORT: port, EMBEDDED_PG_PORT: String(Number(port) + 1), LOG_LEVEL: 'warn', DATABASE_URL: '' };
  try {
    // What `npm start` runs: the build made by `npm install` (prepare).
    const first = start(['dist/server.js'], env, startFlags);
    await waitFor(`http://127.0.0.1:${port}/status`);
    first.kill('SIGTERM');
    await new Promise((resolve) => first.once('exit', resolve));
    const second = start(['dist/server.js'], env, startFlags);
    const ms = await waitFor(`http://127.0.0.1:${port}/status`);
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
    return ms;
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const url = await scratchDatabase();
const target = await pickTarget(url);
const token = createSigner({ key: secret, algorithm: 'HS256', expiresIn: '2h' })({ sub: target.subject });
const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const servicePort = listenPort();
const baselinePort = servicePort + 1;
// The compiled server, as `npm start` runs it (`npm run bench` builds first).
const service = start(['dist/server.js'], {
  DATABASE_URL: url, JWT_SECRET: secret, PORT: String(servicePort), LOG_LEVEL: 'warn',
  RATE_LIMIT_MAX: '1000000', PUBLIC_RATE_LIMIT_MAX: '1000000',
}, [...startFlags, ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])]);
const baseline = start(['bench/baseline-server.ts'], { DATABASE_URL: url, PORT: String(baselinePort) });
try {
  await waitFor(`http://127.0.0.1:${servicePort}/status`);
  await waitFor(`http://127.0.0.1:${baselinePort}/cases/${target.caseId}`);
  const s = `http://127.0.0.1:${servicePort}`;
  const b = `http://127.0.0.1:${baselinePort}`;
  const noteBody = JSON.stringify({ kind: 'phone_call', occurredAt: new Date().toISOString(), text: 'Telefonata di verifica', confidentiality: 'team' });

  const onBaseline: Server = { pid: baseline.pid!, applicationName: 'bench-baseline' };
  const onService: Server = { pid: service.pid!, applicationName: 'cartella' };
  const baseSelect = await measure('baseline: select by id', { url: `${b}/cases/${target.caseId}` }, onBaseline);
  const baseInsert = await measure('baseline: insert', { url: `${b}/rows`, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ payload: 'x' }) }, onBaseline);
  const routes: [key: string, name: string, options: autocannon.Options, base: Figures][] = [
    ['read', 'read a case (assigned worker)', { url: `${s}/v1/cases/${target.caseId}`, headers: auth }, baseSelect],
    ['list', 'list my cases (first page)', { url: `${s}/v1/cases?assignedToMe=true&limit=20`, headers: auth }, baseSelect],
    ['note', 'add a note', { url: `${s}/v1/cases/${target.caseId}/notes`, method: 'POST', headers: auth, body: noteBody }, baseInsert],
    ['public', 'public catalogue', { url: `${s}/v1/public/organisations/${target.belfioreCode}/services` }, baseSelect],
  ];
  const rows: [Figures, Figures][] = [];
  for (const [key, name, options, base] of routes) {
    if (!only || only.includes(key)) rows.push([await measure(name, options, onService), base]);
  }
  const rss = rssMb(service.pid!);
  const warm = await warmStartMs();

  const lines = [
    `| route | req/s | p50 ms | p99 ms | errors | baseline | baseline req/s | ratio | CPU µs/req server | CPU µs/req db | server % of a core | machine idle % |`,
    `| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |`,
    ...([...rows, [baseSelect, baseSelect], [baseInsert, baseInsert]] as [Figures, Figures][]).map(
      ([f, base]) => `| ${f.name} | ${f.rps.toFixed(0)} | ${f.p50} | ${f.p99} | ${f.errors} | ${base.name.replace('baseline: ', '')} | ${base.rps.toFixed(0)} | ${(f.rps / base.rps).toFixed(2)} | ${f.cpuServer.toFixed(0)} | ${f.cpuDatabase.toFixed(0)} | ${f.serverCorePercent.toFixed(0)} | ${f.machineIdlePercent.toFixed(0)} |`,
    ),
  ];
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  const report = [
    `# HTTP benchmark`,
    '',
    `${new Date().toISOString()} — ${machine}; ${cases} cases; ${connections} connections, ${warmupSeconds} s warm-up, ${seconds} s measured.`,
    '',
    ...lines,
    '',
    `Service RSS after the runs: ${rss.toFixed(0)} MB. Warm start of the embedded default (npm start → GET /status 200): ${warm} ms.`,
    '',
  ].join('\n');
  console.log(report);
  // A partial run (BENCH_ROUTES) is for investigating: only a complete one is the committed record.
  if (!only) writeFileSync(new URL('./results/http.md', import.meta.url), report);
} finally {
  const stopped = new Promise((resolve) => service.once('exit', resolve));
  service.kill('SIGTERM');
  baseline.kill('SIGTERM');
  // The CPU profile is written as the service exits.
  await stopped;
}
