import { parseArgs } from 'node:util';
import { createSigner } from 'fast-jwt';
import { ConfigError, loadConfig } from './config.js';
import { createPool } from './platform/database.js';
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
  console.error(error instanceof ConfigError || error instanceof Error ? error.message : error);
  process.exit(1);
});
