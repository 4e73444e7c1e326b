import { parseArgs } from 'node:util';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createPool, runMigrations } from '../src/platform/database.js';
import { runSeed } from '../src/tools/synthetic-data/seed.js';

/**
 * Anonymised indicators benchmark (SPEC §8, issue 8):
 *   npm run bench:indicators -- [--cases 1000000] [--organisations 20] [--runs 5] [--database <url>]
 * Seeds a synthetic deployment (src/tools/synthetic-data) in a database on the server of TEST_DATABASE_URL
 * (or DATABASE_URL), kept for later runs, or uses the one given with --database. For the largest
 * organisation's latest complete year it then times, in the same run:
 *   - baseline: a plain `count(*) … group by` of the same two dimensions over the same rows and joins
 *     (cases × citizens by ageBand, sex; interventions × cases × citizens × services by siussCode, municipality);
 *   - the freezing GROUP BY alone (every dimension by month, the one query a release runs on live rows);
 *   - GET /v1/indicators/cases?by=ageBand,sex through the app: cold (no release: freeze the months, protect
 *     the totals, the two one-dimension masters and the two-dimension master), cold pair (only the
 *     two-dimension master missing), warm (stored);
 *   - the same for interventions by siussCode,municipality;
 *   - a cold two-dimension table for every organisation (the whole deployment), max and total.
 * Target: a two-dimension table of the 1M-case deployment in ≤ 1 s.
 */
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000' },
    organisations: { type: 'string', default: '20' },
    runs: { type: 'string', default: '5' },
    database: { type: 'string' },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
const databaseUrl = values.database ?? scratchDatabase();

function scratchDatabase(): string {
  if (!serverUrl) {
    throw new Error(
      'set TEST_DATABASE_URL or DATABASE_URL (a server to create the database on), or pass --database',
    );
  }
  const url = new URL(serverUrl);
  url.pathname = `/cartella_bench_indicators_${values.cases}_${values.organisations}`;
  return url.toString();
}

async function ensureSeeded(): Promise<void> {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!values.database) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    const { rowCount } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await admin.query(`create database ${name}`);
    await admin.end();
  }
  const pool = createPool({ url: databaseUrl, size: 2, statementTimeoutMs: 0 });
  try {
    await runMigrations(pool);
    const { rows } = await pool.query<{ n: number }>('select count(*)::int as n from cases');
    if (rows[0]!.n > 0) {
      console.log(`database ${name}: ${rows[0]!.n.toLocaleString('en-US')} cases already seeded`);
      return;
    }
  } finally {
    await pool.end();
  }
  const start = performance.now();
  const summary = await runSeed({
    databaseUrl,
    organisations: Number(values.organisations),
    cases: Number(values.cases),
    staff: Math.max(3000, Number(values.organisations) * 40),
    seed: 42,
    progress: true,
  });
  const seconds = ((performance.now() - start) / 1000).toFixed(0);
  console.log(
    `seeded ${name}: ${summary.rows.cases?.toLocaleString('en-US')} cases, ${summary.rows.interventions?.toLocaleString('en-US')} interventions in ${seconds} s`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0).padStart(6)} ms`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

await ensureSeeded();
const pool = createPool({
  url: databaseUrl,
  size: 10,
  statementTimeoutMs: 0,
  applicationName: 'cartella-bench',
});
const config = loadConfig({
  DATABASE_URL: databaseUrl,
  JWT_SECRET: 'bench-secret-that-is-long-enough-0123456789',
  LOG_LEVEL: 'silent',
  RATE_LIMIT_MAX: '1000000',
});
const app = await buildApp(config, { pool });
await app.ready();
try {
  const { rows: organisations } = await pool.query<{
    id: string;
    belfiore: string;
    cases: number;
    director: string;
  }>(`
    select o.id, o.belfiore_code as belfiore, count(c.id)::int as cases,
      (select s.subject from staff s where s.organisation_id = o.id and s.role = 'director' and s.active limit 1) as director
    from organisations o join cases c on c.organisation_id = o.id group by o.id order by cases desc`);
  const { rows: span } = await pool.query<{ year: number }>(
    'select extract(year from max(referral_date))::int - 1 as year from cases',
  );
  const year = span[0]!.year; // the latest complete year
  const largest = organisations[0]!;
  const yearOf = [largest.id, `${year}-01-01`, `${year + 1}-01-01`];
  const { rows: yearRows } = await pool.query<{ cases: number; interventions: number }>(
    `select (select count(*)::int from cases where organisation_id = $1 and referral_date >= $2 and referral_date < $3) as cases,
            (select count(*)::int from interventions where organisation_id = $1 and actual_start >= $2 and actual_start < $3) as interventions`,
    yearOf,
  );
  const total = organisations.reduce((sum, o) => sum + o.cases, 0);
  console.log(
    `\n${organisations.length} organisations, ${total.toLocaleString('en-US')} cases; largest ${largest.belfiore}: ${largest.cases.toLocaleString('en-US')} cases, ${yearRows[0]!.cases.toLocaleString('en-US')} referred and ${yearRows[0]!.interventions.toLocaleString('en-US')} interventions started in ${year}`,
  );
  console.log(`median of ${runs} runs (after one untimed warm-up)\n`);

  const token = (subject: string) => app.jwt.sign({ sub: subject }, { expiresIn: '1h' });
  const get = async (organisation: (typeof organisations)[number], indicator: string, by: string) => {
    const response = await app.inject({
      method: 'GET',
      url: `/v1/indicators/${indicator}?period=${year}&by=${by}`,
      headers: { authorization: `Bearer ${token(organisation.director)}` },
    });
    if (response.statusCode !== 200 && response.statusCode !== 409) {
      throw new Error(`${response.statusCode} ${response.body}`);
    }
    return response.statusCode;
  };
  const forget = async (organisationId: string, what: 'release' | 'pair', dimensions?: string) => {
    if (what === 'pair') {
      await pool.query(
        'delete from indicator_releases where organisation_id = $1 and year = $2 and dimensions = $3',
        [organisationId, year, dimensions],
      );
      return;
    }
    await pool.query('delete from indicator_releases where organisation_id = $1 and year = $2', [
      organisationId,
      year,
    ]);
    await pool.query('delete from indicator_extracts where organisation_id = $1 and month like $2', [
      organisationId,
      `${year}-%`,
    ]);
  };

  const ageBand = `width_bucket(greatest(0, extract(year from age(c.referral_date, ci.birth_date)))::int, array[3,6,11,14,18,25,35,45,55,65,75,85])`;
  const casesBaseline = () =>
    pool.query(
      `select ${ageBand}, ci.sex, count(*) from cases c join citizens ci on ci.id = c.citizen_id
       where c.organisation_id = $1 and c.referral_date >= $2 and c.referral_date < $3 group by 1, 2`,
      yearOf,
    );
  const interventionsBaseline = () =>
    pool.query(
      `select s.siuss_code, ci.residence->>'municipality', count(*) from interventions i
         join cases c on c.id = i.case_id join citizens ci on ci.id = c.citizen_id join services s on s.id = i.service_id
       where i.organisation_id = $1 and i.actual_start >= $2 and i.actual_start < $3 group by 1, 2`,
      yearOf,
    );
  const freeze = () =>
    pool.query(
      `select to_char(c.referral_date, 'YYYY-MM'), c.user_area, c.siuss_area, ${ageBand}, ci.sex,
         case when ci.residence->>'municipality' ~ '^[A-Z][0-9]{3}$' then ci.residence->>'municipality' else 'unknown' end, count(*)
       from cases c join citizens ci on ci.id = c.citizen_id
       where c.organisation_id = $1 and c.referral_date >= $2 and c.referral_date < $3 group by 1, 2, 3, 4, 5, 6`,
      yearOf,
    );

  const measure = async (label: string, prepare: () => Promise<unknown>, work: () => Promise<unknown>) => {
    await prepare();
    const outcome = await work();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      await prepare();
      times.push(await timed(work));
    }
    const answer = typeof outcome === 'number' ? ` HTTP ${outcome}` : '';
    const spread = `(min ${ms(Math.min(...times)).trim()}, max ${ms(Math.max(...times)).trim()})`;
    console.log(`${label.padEnd(80)} ${ms(median(times))}   ${spread}${answer}`);
  };
  const nothing = async () => {};
  const cold = () => forget(largest.id, 'release');

  await measure('cases baseline: count(*) group by ageBand, sex (cases × citizens)', nothing, casesBaseline);
  await measure('cases freezing GROUP BY (every dimension by month)', nothing, freeze);
  await measure('cases by ageBand,sex, cold: freeze + totals + 2 one-dimension + pair', cold, () =>
    get(largest, 'cases', 'ageBand,sex'),
  );
  await measure(
    'cases by ageBand,sex, cold pair (only the pair missing)',
    () => forget(largest.id, 'pair', 'ageBand,sex'),
    () => get(largest, 'cases', 'ageBand,sex'),
  );
  await measure('cases by ageBand,sex, warm (stored release)', nothing, () =>
    get(largest, 'cases', 'ageBand,sex'),
  );
  await measure('cases by ageBand (one dimension), warm', nothing, () => get(largest, 'cases', 'ageBand'));
  await measure(
    'interventions baseline: count(*) group by siussCode, municipality (4 tables)',
    nothing,
    interventionsBaseline,
  );
  await measure('interventions by siussCode,municipality, cold: freeze + totals + 2 + pair', cold, () =>
    get(largest, 'interventions', 'siussCode,municipality'),
  );
  await measure(
    'interventions by siussCode,municipality, cold pair',
    () => forget(largest.id, 'pair', 'siussCode,municipality'),
    () => get(largest, 'interventions', 'siussCode,municipality'),
  );
  await measure('interventions by siussCode,municipality, warm', nothing, () =>
    get(largest, 'interventions', 'siussCode,municipality'),
  );

  // The whole deployment: every organisation's cold two-dimension table once, per indicator.
  console.log();
  for (const [indicator, by] of [
    ['cases', 'ageBand,sex'],
    ['interventions', 'siussCode,municipality'],
  ] as const) {
    const each: Array<{ belfiore: string; ms: number; status: number }> = [];
    for (const organisation of organisations) {
      await forget(organisation.id, 'release');
      let status = 0;
      const elapsed = await timed(async () => (status = await get(organisation, indicator, by)));
      each.push({ belfiore: organisation.belfiore, ms: elapsed, status });
    }
    const slowest = each.reduce((a, b) => (b.ms > a.ms ? b : a));
    const withheld = each.filter((e) => e.status === 409).length;
    const sum = each.reduce((s, e) => s + e.ms, 0) / 1000;
    console.log(
      `whole deployment, cold ${indicator} by ${by} for each of ${each.length} organisations: max ${slowest.ms.toFixed(0)} ms (${slowest.belfiore}), total ${sum.toFixed(1)} s, ${withheld} withheld (409)`,
    );
  }
} finally {
  await app.close();
  await pool.end();
}
