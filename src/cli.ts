import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { createSigner } from 'fast-jwt';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase, createPool } from './platform/database.js';
import { resolveRuntime, type Runtime } from './platform/runtime.js';
import { bootstrapPlatformAdmin, prepareDatabase } from './platform/startup.js';

/**
 * The operator's command line (SPEC §6): `npm run cli -- <command> [options]`. It uses the same
 * configuration as the server (DATABASE_URL, or the embedded PostgreSQL in DATA_DIR).
 */
const usage = `Usage: npm run cli -- <command> [options]
  migrate                                  apply database migrations
  bootstrap --subject <s>                  create the first platform admin (if none exists)
  token --subject <s> [--ttl 1h]           mint a local HS256 token (JWT_SECRET or DATA_DIR/jwt-secret)
  verify-audit                             verify the audit trail's hash chain
  seed [--organisations 20] [--cases 1000000] [--staff 3000] [--seed 42]
                                           fill the database with a synthetic deployment
  import-services --organisation <belfiore> --file <services.csv>
                                           import the service catalogue of an organisation`;

// Progress of the embedded server is noise at the command line; warnings still show.
const log = { info: () => {}, warn: (m: string) => console.error(m) };

async function withDatabase<T>(work: (runtime: Runtime, pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const runtime = await resolveRuntime(loadConfig(), log);
  const pool = createPool({ url: runtime.config.database.url!, size: 4, statementTimeoutMs: 0 });
  try {
    return await work(runtime, pool);
  } finally {
    await pool.end();
    await runtime.stop();
  }
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  migrate: () => withDatabase(async (_runtime, pool) => void (await prepareDatabase(pool, undefined))),

  bootstrap: async (args) => {
    const { values } = parseArgs({ args, options: { subject: { type: 'string' } } });
    const subject = values.subject ?? loadConfig().auth.bootstrapAdminSubject;
    if (!subject) throw new Error('bootstrap needs --subject or BOOTSTRAP_ADMIN_SUBJECT');
    await withDatabase(async (_runtime, pool) => {
      await prepareDatabase(pool, undefined);
      console.log((await bootstrapPlatformAdmin(pool, subject)) ? 'platform admin created' : 'a platform admin already exists');
    });
  },

  token: async (args) => {
    const { values } = parseArgs({ args, options: { subject: { type: 'string' }, ttl: { type: 'string', default: '1h' } } });
    if (!values.subject) throw new Error('token needs --subject');
    const config = loadConfig();
    if (config.auth.oidcIssuer || config.auth.jwksUrl) throw new Error('token mints local HS256 tokens only; this deployment uses an OpenID Connect issuer');
    // The secret alone is needed: no database is started for this.
    const { config: runtime } = await resolveRuntime({ ...config, database: { ...config.database, url: 'postgres://unused' } }, log);
    const sign = createSigner({ key: runtime.auth.jwtSecret!, algorithm: 'HS256', expiresIn: values.ttl });
    console.log(sign({ sub: values.subject, ...(config.auth.audience ? { aud: config.auth.audience } : {}), ...(config.auth.issuer ? { iss: config.auth.issuer } : {}) }));
  },

  'verify-audit': () =>
    withDatabase(async (_runtime, pool) => {
      const { verifyAuditChain } = await import('./modules/audit/audit.verification.js');
      const result = await verifyAuditChain(pool);
      console.log(JSON.stringify(result));
      if (!result.valid) process.exitCode = 3;
    }),

  seed: async (args) => {
    const { values } = parseArgs({
      args,
      options: {
        organisations: { type: 'string', default: '20' },
        cases: { type: 'string', default: '1000000' },
        staff: { type: 'string', default: '3000' },
        seed: { type: 'string', default: '42' },
      },
    });
    const counts = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Number(v)]));
    for (const [name, value] of Object.entries(counts)) {
      if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
    }
    await withDatabase(async (runtime, pool) => {
      await prepareDatabase(pool, undefined);
      const { runSeed } = await import('./tools/synthetic-data/seed.js');
      const summary = await runSeed({
        databaseUrl: runtime.config.database.url!,
        organisations: counts.organisations!,
        cases: counts.cases!,
        staff: counts.staff!,
        seed: counts.seed!,
        progress: true,
      });
      console.log(JSON.stringify({ asOf: summary.asOf, rows: summary.rows }, null, 2));
    });
  },

  'import-services': async (args) => {
    const { values } = parseArgs({ args, options: { organisation: { type: 'string' }, file: { type: 'string' } } });
    if (!values.organisation || !values.file) throw new Error('import-services needs --organisation <belfiore code> and --file <csv>');
    const csv = await readFile(values.file, 'utf8');
    await withDatabase(async (_runtime, pool) => {
      const { rows } = await pool.query<{ id: string }>('select id from organisations where belfiore_code = $1', [values.organisation]);
      if (!rows[0]) throw new Error(`no organisation with Belfiore code ${values.organisation}`);
      const { importServicesCsv } = await import('./modules/catalogue/services-csv-import.js');
      console.log(JSON.stringify(await importServicesCsv(createDatabase(pool), rows[0].id, csv)));
    });
  },
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(usage);
    process.exit(name ? 2 : 0);
  }
  await command(args);
}

main().catch((error: unknown) => {
  // An AppError (e.g. a CSV that does not validate) lists what is wrong in its invalid fields.
  const fields = (error as { extras?: { invalidParams?: { name: string; reason: string }[] } }).extras?.invalidParams;
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  for (const field of fields ?? []) console.error(`  ${field.name}: ${field.reason}`);
  process.exit(1);
});
