import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * Local defaults for `npm start` on a fresh machine (SPEC §10): without DATABASE_URL the embedded
 * PostgreSQL serves data from DATA_DIR; without any token configuration a random HS256 secret is created
 * once in DATA_DIR (mode 0600) so that `npm run cli -- token` can mint tokens the server accepts.
 */
export interface Runtime {
  config: Readonly<Config>;
  stop(): Promise<void>;
}

interface Log {
  info(message: string): void;
  warn(message: string): void;
}

export async function resolveRuntime(config: Readonly<Config>, log: Log): Promise<Runtime> {
  let url = config.database.url;
  let stop = async () => {};
  if (!url) {
    const { startEmbeddedPostgres } = await import('./database/embedded-postgres.js');
    const { clusterDirFor } = await import('./database/embedded-postgres.location.js');
    const embedded = await startEmbeddedPostgres({
      dataDir: clusterDirFor(config.database.dataDir, log),
      port: config.database.embeddedPort,
      log,
    });
    url = embedded.url;
    stop = embedded.stop;
  }
  const jwtSecret = config.auth.jwtSecret ?? (config.auth.oidcIssuer || config.auth.jwksUrl ? undefined : localSecret(config));
  return {
    config: Object.freeze({
      ...config,
      database: Object.freeze({ ...config.database, url }),
      auth: Object.freeze({ ...config.auth, jwtSecret }),
    }),
    stop,
  };
}

function localSecret(config: Readonly<Config>): string {
  const file = path.resolve(config.database.dataDir, 'jwt-secret');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
    return secret;
  }
}
