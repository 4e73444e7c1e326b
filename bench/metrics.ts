import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createPool } from '../src/platform/database.js';
import { prepareDatabase } from '../src/platform/startup.js';
import { runSeed } from '../src/tools/synthetic-data/seed.js';

/**
 * `npm run bench:metrics`: latency of the metrics endpoints on a regional-scale data set (issue 7).
 *
 * Database: a scratch database `cartella_bench_metrics_<cases>` on the server of DATABASE_URL or
 * TEST_DATABASE_URL (else 127.0.0.1:5432), seeded once by the synthetic-data generator and reused while the
 * parameters and the generator's source are unchanged (recorded in the database's comment). Requests go
 * through the real app with `app.inject` (routing, auth, access gate, audit, serialisation), one at a
 * time; the baseline is a bare `select count(*) from cases where organisation_id = $1` on the same pool.
 * Prints a table and writes bench/results/metrics.md.
 */
const seedOptions = {
  organisations: Number(process.env.BENCH_METRICS_ORGANISATIONS ?? 20),
  cases: Number(process.env.BENCH_METRICS_CASES ?? 1_000_000),
  staff: Number(process.env.BENCH_METRICS_STAFF ?? 3000),
  seed: 42,
};
const iterations = Number(process.env.BENCH_METRICS_ITERATIONS ?? 200);
const warmup = 20;
const targetP95Ms = 50;
const here = path.dirname(fileURLToPath(import.meta.url));
const serverUrl = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function databaseUrl(name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Parameters plus a digest of the generator's source: a changed generator means a fresh data set. */
function marker(): string {
  const dir = path.join(here, '../src/tools/synthetic-data');
  const hash = createHash('sha256');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()) hash.update(readFileSync(path.join(dir, file)));
  const p = seedOptions;
  return `cartella synthetic data: organisations=${p.organisations} cases=${p.cases} staff=${p.staff} seed=${p.seed} generator=${hash.digest('hex').slice(0, 12)}`;
}

async function scratchDatabase(): Promise<{ url: string; seededNow: boolean; seedSeconds: number | null }> {
  const name = `cartella_bench_metrics_${seedOptions.cases}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const { rows } = await admin.query<{ comment: string | null }>('select shobj_description(oid, $2) as comment from pg_database where datname = $1', [name, 'pg_database']);
  const wanted = marker();
  const reuse = rows[0]?.comment === wanted;
  if (!reuse) {
    if (rows[0]) await admin.query(`drop database ${name} with (force)`);
    await admin.query(`create database ${name}`);
  }
  const url = databaseUrl(name);
  const pool = createPool({ url, size: 2, statementTimeoutMs: 0 });
  await prepareDatabase(pool, undefined);
  await pool.end();
  let seedSeconds: number | null = null;
  if (!reuse) {
    console.log(`seeding ${name}: ${wanted}`);
    const started = Date.now();
    await runSeed({ ...seedOptions, databaseUrl: url, progress: true });
    seedSeconds = Math.round((Date.now() - started) / 1000);
    await admin.query(`comment on database ${name} is '${wanted.replaceAll("'", "''")}'`);
  }
  await admin.end();
  return { url, seededNow: !reuse, seedSeconds };
}

interface Subjects {
  organisationId: string;
  name: string;
  cases: number;
  activeCases: number;
  director: string;
  electedOfficial: string;
  coordinator: string;
  socialWorker: string;
}

/** The largest organisation and the median one, with a subject per role (the busiest coordinator and worker). */
async function organisations(pool: pg.Pool): Promise<Subjects[]> {
  const { rows } = await pool.query<{ id: string; name: string; cases: number; active: number }>(`
    select o.id, o.name, count(*)::int as cases, (count(*) filter (where c.status in ('open', 'in_charge')))::int as active
    from organisations o join cases c on c.organisation_id = o.id group by o.id order by cases desc`);
  const picked = [rows[0]!, rows[Math.floor(rows.length / 2)]!].filter((o, i, all) => all.indexOf(o) === i);
  return Promise.all(
    picked.map(async (o) => {
      const subject = async (query: string) => (await pool.query<{ subject: string }>(query, [o.id])).rows[0]!.subject;
      return {
        organisationId: o.id,
        name: o.name,
        cases: o.cases,
        activeCases: o.active,
        director: await subject(`select subject from staff where organisation_id = $1 and role = 'director' and active limit 1`),
        electedOfficial: await subject(`select subject from staff where organisation_id = $1 and role = 'elected_official' and active limit 1`),
        coordinator: await subject(`
          select s.subject from staff s join staff_teams st on st.staff_id = s.id join cases c on c.team_id = st.team_id and c.status in ('open', 'in_charge')
          where s.organisation_id = $1 and s.role = 'coordinator' and s.active group by s.subject order by count(*) desc limit 1`),
        socialWorker: await subject(`
          select s.subject from staff s join assignments a on a.staff_id = s.id and a.valid_to is null
          where s.organisation_id = $1 and s.role = 'social_worker' and s.active group by s.subject order by count(*) desc limit 1`),
      };
    }),
  );
}

interface Row {
  organisation: string;
  what: string;
  caller: string;
  p50: number;
  p95: number;
  max: number;
  bytes: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function measure(run: () => Promise<number>): Promise<{ p50: number; p95: number; max: number; bytes: number }> {
  let bytes = 0;
  for (let i = 0; i < warmup; i++) bytes = await run();
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times.at(-1)!, bytes };
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg();
  const { url, seededNow, seedSeconds } = await scratchDatabase();
  const config = loadConfig({ DATABASE_URL: url, JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', LOG_LEVEL: 'silent', RATE_LIMIT_MAX: '1000000', DB_POOL_SIZE: '10' });
  const app = await buildApp(config);
  await app.ready();
  const results: Row[] = [];
  try {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Rome' }).format(new Date());
    const yearAgo = new Date(Date.parse(today) - 364 * 86_400_000).toISOString().slice(0, 10);
    const { rows: version } = await app.pool.query<{ v: string }>("select current_setting('server_version') as v");
    for (const org of await organisations(app.pool)) {
      const label = `${org.name} (${org.cases.toLocaleString('en')} cases, ${org.activeCases.toLocaleString('en')} active)`;
      const http = (subject: string, urlPath: string) => async () => {
        const r = await app.inject({ method: 'GET', url: urlPath, headers: { authorization: `Bearer ${app.jwt.sign({ sub: subject }, { expiresIn: '1h' })}` } });
        if (r.statusCode !== 200) throw new Error(`${urlPath} as ${subject}: ${r.statusCode} ${r.body}`);
        return r.rawPayload.length;
      };
      const cases: [string, string, () => Promise<number>][] = [
        ['baseline: select count(*) from cases where organisation_id = $1', '—', async () => { await app.pool.query('select count(*) from cases where organisation_id = $1', [org.organisationId]); return 0; }],
        ['caseload?groupBy=worker', 'director', http(org.director, '/v1/metrics/caseload?groupBy=worker')],
        ['caseload?groupBy=team', 'director', http(org.director, '/v1/metrics/caseload?groupBy=team')],
        ['caseload?groupBy=area', 'elected official', http(org.electedOfficial, '/v1/metrics/caseload?groupBy=area')],
        ['caseload?groupBy=worker', 'coordinator', http(org.coordinator, '/v1/metrics/caseload?groupBy=worker')],
        ['caseload?groupBy=worker', 'social worker', http(org.socialWorker, '/v1/metrics/caseload?groupBy=worker')],
        [`flow?from=${yearAgo}&to=${today}`, 'director', http(org.director, `/v1/metrics/flow?from=${yearAgo}&to=${today}`)],
        [`flow (same year)`, 'coordinator', http(org.coordinator, `/v1/metrics/flow?from=${yearAgo}&to=${today}`)],
        [`flow (same year)`, 'social worker', http(org.socialWorker, `/v1/metrics/flow?from=${yearAgo}&to=${today}`)],
        ['staffing', 'director', http(org.director, '/v1/metrics/staffing')],
      ];
      for (const [what, caller, run] of cases) {
        const m = await measure(run);
        results.push({ organisation: label, what, caller, ...m });
        console.log(`${label.padEnd(52)} ${what.padEnd(48)} ${caller.padEnd(16)} p50 ${m.p50.toFixed(1).padStart(6)} ms  p95 ${m.p95.toFixed(1).padStart(6)} ms`);
      }
    }
    const loadAfter = os.loadavg();
    writeResults({ results, seededNow, seedSeconds, pgVersion: version[0]!.v, load: [loadBefore[0]!, loadAfter[0]!] });
  } finally {
    await app.close();
  }
}

function writeResults(run: { results: Row[]; seededNow: boolean; seedSeconds: number | null; pgVersion: string; load: [number, number] }): void {
  const p = seedOptions;
  const endpointRows = run.results.filter((r) => !r.what.startsWith('baseline'));
  const worst = Math.max(...endpointRows.map((r) => r.p95));
  const lines = [
    '# Metrics benchmark',
    '',
    `Written by \`npm run bench:metrics\` (bench/metrics.ts) on ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `- Data set: synthetic (\`runSeed\`), ${p.organisations} organisations, ${p.cases.toLocaleString('en')} cases, ${p.staff.toLocaleString('en')} staff, seed ${p.seed}` +
      (run.seededNow ? `; seeded in this run in ${run.seedSeconds} s.` : '; reused from an earlier run (same parameters and generator).'),
    `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB; PostgreSQL ${run.pgVersion}; Node ${process.version}.`,
    `- Load average (1 min) before / after: ${run.load[0].toFixed(1)} / ${run.load[1].toFixed(1)} — other work on the machine shows up in these figures.`,
    `- Method: the real app through \`app.inject\` (token, access gate, audit, serialisation), one request at a time, ${warmup} warm-up then ${iterations} timed requests per line; p50/p95 in milliseconds. Baseline: a bare count of the organisation's cases on the same pool.`,
    `- Target: p95 ≤ ${targetP95Ms} ms. Worst p95 of a metrics endpoint in this run: ${worst.toFixed(1)} ms.`,
    '',
    '| organisation | request | caller | p50 ms | p95 ms | max ms | response bytes |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...run.results.map((r) => `| ${r.organisation} | ${r.what} | ${r.caller} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.bytes.toLocaleString('en')} |`),
    '',
  ];
  mkdirSync(path.join(here, 'results'), { recursive: true });
  writeFileSync(path.join(here, 'results/metrics.md'), lines.join('\n'));
  console.log(`\nworst p95 ${worst.toFixed(1)} ms (target ${targetP95Ms} ms); written to bench/results/metrics.md`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
