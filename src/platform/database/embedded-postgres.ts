import { existsSync } from 'node:fs';
import { access, chmod, chown, constants, mkdir, readdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import {
  accountCanUse,
  locatePostgresBinaries,
  postgresAccount,
  type PostgresAccount,
} from './embedded-postgres.binaries.js';
import { lockDataDir, stopOrphanedServer } from './embedded-postgres.lock.js';
import {
  initdbStagingName,
  initialiseCluster,
  launchServer,
  passwordFileName,
  readPassword,
  type RunningServer,
} from './embedded-postgres.process.js';

export interface EmbeddedPostgresLog {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface EmbeddedPostgresOptions {
  /** The cluster itself (PGDATA); it also holds cartella.lock and the superuser's cartella.password. */
  dataDir: string;
  port: number;
  log: EmbeddedPostgresLog;
}

export interface EmbeddedPostgres {
  /** postgres:// URL of the `cartella` database, with the password: never log it. */
  url: string;
  stop(): Promise<void>;
}

const databaseName = 'cartella';

// A process that exits without stop() (an uncaught error) still asks its servers for a fast shutdown.
const runningServers = new Set<RunningServer>();
process.once('exit', () => runningServers.forEach((server) => server.kill()));

/**
 * Runs PostgreSQL from the binaries of the embedded-postgres package, driven directly rather than through
 * its class: that class cannot run binaries from another place (needed as root), rejects `start()` with
 * `undefined`, and installs exit handlers that would stop the database before the HTTP server drained.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const startedAt = Date.now();
  const { port, log } = options;
  const dataDir = path.resolve(options.dataDir);
  const account = postgresAccount();
  await prepareDataDir(dataDir, account);
  const unlock = await lockDataDir(dataDir, log);
  try {
    await stopOrphanedServer(dataDir, log);
    await assertPortFree(port);
    const binaries = await locatePostgresBinaries(account);
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      await assertNoForeignFiles(dataDir);
      log.info(`Creating the embedded PostgreSQL cluster in ${dataDir}`);
      await initialiseCluster(binaries.initdb, dataDir, account);
    }
    const password = await readPassword(dataDir);
    const server = await launchServer({ postgres: binaries.postgres, dataDir, port, account, log });
    runningServers.add(server);
    const stop = async () => {
      runningServers.delete(server);
      await server.stop();
      await unlock();
    };
    const url = (database: string) =>
      `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
    await ensureDatabase(url('postgres')).catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    log.info(
      `Embedded PostgreSQL ready on 127.0.0.1:${port} with data in ${dataDir} (${Date.now() - startedAt} ms)`,
    );
    let stopping: Promise<void> | undefined;
    return { url: url(databaseName), stop: () => (stopping ??= stop()) };
  } catch (error) {
    await unlock();
    throw error;
  }
}

async function prepareDataDir(dataDir: string, account: PostgresAccount | undefined): Promise<void> {
  const unusable = (reason: string, cause?: unknown) =>
    new Error(`Cannot use ${dataDir} as the embedded PostgreSQL data directory: ${reason}`, { cause });
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    // PostgreSQL wants to own its directory, closed to others; a cluster already there keeps what it has.
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      if (account) await chown(dataDir, account.uid, account.gid);
      await chmod(dataDir, 0o700);
    }
    if (!account) await access(dataDir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw unusable(describeFsError(error), error);
  }
  if (account && !accountCanUse(dataDir, account)) {
    const ancestors = dataDir
      .split(path.sep)
      .map((_, i, parts) => parts.slice(0, i + 1).join(path.sep) || '/');
    const blocked = ancestors.find((dir) => !accountCanUse(dir, account, false));
    const who = 'the "postgres" system user (which runs PostgreSQL when Cartella runs as root)';
    throw unusable(
      blocked
        ? `${who} cannot traverse ${blocked}. Choose a directory outside private homes, e.g. /var/lib/cartella/data, or run Cartella as a regular user`
        : `${who} cannot write to it`,
    );
  }
}

function describeFsError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a component of the path is a file, not a directory';
  if (code === 'EACCES' || code === 'EPERM')
    return 'permission denied: it or a parent directory is not writable or not traversable';
  if (code === 'EROFS') return 'the file system is read-only';
  return message;
}

async function assertNoForeignFiles(dataDir: string): Promise<void> {
  const ours = new Set(['cartella.lock', passwordFileName, initdbStagingName, 'lost+found']);
  const foreign = (await readdir(dataDir)).filter((entry) => !ours.has(entry));
  if (foreign.length > 0) {
    throw new Error(
      `Cannot use ${dataDir} as the embedded PostgreSQL data directory: it holds files (${foreign.slice(0, 3).join(', ')}) but no cluster (no PG_VERSION); choose an empty directory`,
    );
  }
}

/** Checked before starting because PostgreSQL would only say "could not create any TCP/IP sockets". */
async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          error.code === 'EADDRINUSE'
            ? `Port ${port} on 127.0.0.1 is already in use: choose another port for the embedded PostgreSQL`
            : `Port ${port} on 127.0.0.1 cannot be used by the embedded PostgreSQL: ${error.message}`,
          { cause: error },
        ),
      ),
    );
    probe.listen({ port, host: '127.0.0.1', exclusive: true }, () => probe.close(() => resolve()));
  });
}

async function ensureDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [databaseName]);
    if (!rowCount) await client.query(`create database ${databaseName}`);
  } finally {
    await client.end();
  }
}
