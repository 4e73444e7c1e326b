import pg from 'pg';
import { generateCase } from './case.js';
import { dropForBulkLoad, restoreAfterBulkLoad } from './bulk-load.js';
import { copyRows } from './copy.js';
import { municipalities } from './italian-data.js';
import { generateOrganisation, minimumStaffPerOrganisation, type OrganisationContext, type OrganisationPlan } from './organisation.js';
import { Random } from './random.js';
import { SeedProgress } from './progress.js';
import { createTables, type Tables } from './tables.js';

/**
 * The synthetic deployment (`npm run cli -- seed`): organisations with their teams, staff, catalogue and
 * population, and their cases with everything that hangs off them, streamed into PostgreSQL with COPY in
 * chunks of a few thousand cases (one transaction per chunk, memory flat). Deterministic: the same options
 * give the same rows, ids included. Two connections load two organisations at a time.
 *
 * It fills an empty record (no cases yet; a bootstrap admin or other organisations may exist) on a database
 * nobody else is using meanwhile: keys, indexes and foreign keys of the seeded tables are set aside during the
 * load and rebuilt at the end (bulk-load.ts), which checks them all over the whole data set; the one
 * cross-row rule (every in_charge case has exactly one active case manager) is then checked set-wise too.
 */
export interface SeedOptions {
  databaseUrl: string;
  organisations: number;
  cases: number;
  staff: number;
  seed: number;
  progress?: boolean;
  /** The synthetic "today": nothing is dated later. Fixed by default, so a seed always gives the same data. */
  asOf?: Date;
}

export interface SeededOrganisation {
  /** The `<org>` of its staff subjects `seed-<org>-<n>`. */
  index: number;
  id: string;
  belfioreCode: string;
  name: string;
  cases: number;
  subjects: OrganisationContext['subjects'] & { socialWorkers: string[]; educators: string[] };
}

export interface SeedSummary {
  asOf: string;
  organisations: SeededOrganisation[];
  rows: Record<string, number>;
}

export const defaultAsOf = new Date('2026-11-01T00:00:00Z');
const casesPerChunk = 2000;
const lanes = 2;

export function planOrganisations(options: Pick<SeedOptions, 'organisations' | 'cases' | 'staff' | 'seed'>): OrganisationPlan[] {
  const { organisations, cases, staff } = options;
  if (!Number.isInteger(organisations) || organisations < 1 || organisations > municipalities.length) {
    throw new Error(`organisations must be an integer from 1 to ${municipalities.length}`);
  }
  if (!Number.isInteger(cases) || cases < organisations) throw new Error('cases must be an integer, at least one per organisation');
  if (!Number.isInteger(staff) || staff < organisations * minimumStaffPerOrganisation) {
    throw new Error(`staff must be an integer, at least ${minimumStaffPerOrganisation} per organisation`);
  }
  if (!Number.isInteger(options.seed)) throw new Error('seed must be an integer');
  const rng = new Random(options.seed, 0);
  const chosen = municipalities.slice(0, organisations);
  // Staffing varies around the population share, so the LEPS ratio differs from one organisation to another.
  const staffWeights = chosen.map((m) => m.residents * (0.7 + rng.next() * 0.6));
  const caseShares = apportion(cases, chosen.map((m) => m.residents), 1);
  const staffShares = apportion(staff - organisations * minimumStaffPerOrganisation, staffWeights, 0);
  return chosen.map((municipality, i) => ({ index: i + 1, municipality, cases: caseShares[i]!, staff: staffShares[i]! + minimumStaffPerOrganisation }));
}

/** Largest-remainder apportionment: shares proportional to weights that add up exactly to `total`. */
export function apportion(total: number, weights: number[], minimum: number): number[] {
  const free = total - minimum * weights.length;
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (free * w) / sum);
  const shares = exact.map(Math.floor);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  const left = free - shares.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) shares[order[k]!.i]!++;
  return shares.map((s) => s + minimum);
}

async function prepareSession(client: pg.ClientBase): Promise<void> {
  // A seed can simply be run again: losing the last commits in a crash is harmless, so skip the fsync wait.
  await client.query('set synchronous_commit = off');
}

async function loadOrganisation(client: pg.ClientBase, plan: OrganisationPlan, options: SeedOptions, asOf: number, t: Tables, progress: SeedProgress): Promise<SeededOrganisation> {
  const org = generateOrganisation(plan, new Random(options.seed, plan.index, 0), asOf, t);
  await inTransaction(client, () => copyRows(client, Object.values(t)));
  const fiscalCodes = new Set<string>();
  for (let chunk = 0, done = 0; done < plan.cases; chunk++) {
    const rng = new Random(options.seed, plan.index, chunk + 1);
    const size = Math.min(casesPerChunk, plan.cases - done);
    for (let i = 0; i < size; i++) generateCase({ rng, org, asOf, fiscalCodes, t });
    await inTransaction(client, () => copyRows(client, Object.values(t)));
    done += size;
    progress.advance(size);
  }
  const active = (workers: { subject: string; active: boolean }[]) => workers.filter((w) => w.active).map((w) => w.subject);
  return {
    index: plan.index,
    id: org.id,
    belfioreCode: plan.municipality.belfiore,
    name: `Comune di ${plan.municipality.name}`,
    cases: plan.cases,
    subjects: { ...org.subjects, socialWorkers: org.teams.flatMap((team) => active(team.socialWorkers)), educators: org.teams.flatMap((team) => active(team.educators)) },
  };
}

async function inTransaction(client: pg.ClientBase, work: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await work();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

/** The rule the fast path does not check row by row, checked once for the whole data set. */
async function verifyCaseManagers(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ n: number }>(`
    select count(*)::int as n from cases c
    where c.status = 'in_charge' and (
      select count(*) from assignments a
      where a.case_id = c.id and a.role = 'case_manager' and a.valid_from <= now() and (a.valid_to is null or a.valid_to > now())) <> 1`);
  if (rows[0]!.n > 0) throw new Error(`seed produced ${rows[0]!.n} in_charge cases without exactly one active case manager`);
}

export async function runSeed(options: SeedOptions): Promise<SeedSummary> {
  const plans = planOrganisations(options);
  const asOf = (options.asOf ?? defaultAsOf).getTime();
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: lanes, statement_timeout: 0, application_name: 'cartella-seed' });
  const progress = new SeedProgress(options.cases, options.progress ?? false);
  const tables = Object.values(createTables()).map((t) => t.table);
  try {
    const { rows: clashes } = await pool.query<{ belfiore_code: string }>('select belfiore_code from organisations where belfiore_code = any($1)', [plans.map((p) => p.municipality.belfiore)]);
    if (clashes.length > 0) throw new Error(`the database already has organisations ${clashes.map((c) => c.belfiore_code).join(', ')}: seed an empty database`);
    if ((await pool.query('select 1 from cases limit 1')).rowCount) throw new Error('the database already holds cases: seed an empty database');

    const dropped = await pool.connect().then(async (client) => {
      try {
        return await dropForBulkLoad(client, tables);
      } finally {
        client.release();
      }
    });
    const summary = await load(pool, plans, options, asOf, progress).finally(async () => {
      progress.phase('rebuilding keys, indexes and foreign keys');
      await restoreAfterBulkLoad(pool, tables, dropped);
    });
    progress.phase('counting the flow, checking the case-manager rule, analysing');
    // The triggers that keep the metrics' flow counters were off during the load (migrations/0007).
    await pool.query('select cartella_rebuild_case_flow()');
    await verifyCaseManagers(pool);
    // Fresh tables: set the visibility map (index-only scans) and the planner's statistics now, not later.
    await pool.query('vacuum (analyze) cases, assignments, case_status_changes, plans, staff, staff_teams, organisations, organisation_populations, case_flow_events, case_flow_intake_days');
    await pool.query('analyze');
    progress.done();
    return { ...summary, asOf: new Date(asOf).toISOString() };
  } finally {
    await pool.end();
  }
}

async function load(pool: pg.Pool, plans: OrganisationPlan[], options: SeedOptions, asOf: number, progress: SeedProgress) {
  // Largest first, so the two lanes finish at about the same time.
  const queue = [...plans].sort((a, b) => b.cases - a.cases);
  const organisations: SeededOrganisation[] = [];
  const rows: Record<string, number> = {};
  await Promise.all(
    Array.from({ length: Math.min(lanes, plans.length) }, async () => {
      const client = await pool.connect();
      const t = createTables();
      try {
        await prepareSession(client);
        for (let plan = queue.shift(); plan; plan = queue.shift()) organisations.push(await loadOrganisation(client, plan, options, asOf, t, progress));
      } finally {
        client.release();
      }
      for (const table of Object.values(t)) rows[table.table] = (rows[table.table] ?? 0) + table.count;
    }),
  );
  return { organisations: organisations.sort((a, b) => a.index - b.index), rows };
}
