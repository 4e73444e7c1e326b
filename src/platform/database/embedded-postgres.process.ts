import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { chown, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PostgresAccount } from './embedded-postgres.binaries.js';
import type { EmbeddedPostgresLog } from './embedded-postgres.js';

export const passwordFileName = 'cartella.password';
export const initdbStagingName = '.initdb';

/** The last lines a child printed: when it fails they are the diagnosis, so our errors quote them. */
function tailOf(child: ChildProcess, onLine?: (line: string) => void): () => string {
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      onLine?.(line);
      lines.push(line);
      if (lines.length > 15) lines.shift();
    });
  }
  return () => lines.join('\n');
}

/**
 * initdb wants an empty directory and ours already holds the lock file, so the cluster is made in a
 * subdirectory and moved up; PG_VERSION last, because PG_VERSION is what marks the directory initialised.
 * The superuser gets a random password kept beside the cluster: the port is reachable by every local user.
 */
export async function initialiseCluster(
  initdb: string,
  dataDir: string,
  account?: PostgresAccount,
): Promise<void> {
  const staging = path.join(dataDir, initdbStagingName);
  await rm(staging, { recursive: true, force: true });
  const passwordFile = path.join(dataDir, passwordFileName);
  await writeFile(passwordFile, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  if (account) await chown(passwordFile, account.uid, account.gid);
  const args = [
    `--pgdata=${staging}`,
    '--username=postgres',
    `--pwfile=${passwordFile}`,
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // The builtin C.UTF-8 locale lowercases "È" like the OS locales do, but never changes with a glibc
    // upgrade (which silently corrupts text indexes) and does not depend on the locales installed.
    '--locale=C',
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
    '--data-checksums',
    '--no-instructions',
  ];
  const child = spawn(initdb, args, { ...account, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = tailOf(child);
  const [code, signal] = (await once(child, 'close').catch((error: Error) => {
    throw new Error(`initdb could not be run for ${dataDir}: ${error.message}`, { cause: error });
  })) as [number | null, NodeJS.Signals | null];
  if (code !== 0) {
    await rm(staging, { recursive: true, force: true });
    throw new Error(
      `initdb failed to create the cluster in ${dataDir} (${signal ?? `exit code ${code}`}):\n${output()}`,
    );
  }
  const entries = (await readdir(staging)).sort(
    (a, b) => Number(a === 'PG_VERSION') - Number(b === 'PG_VERSION'),
  );
  for (const entry of entries) await rename(path.join(staging, entry), path.join(dataDir, entry));
  await rmdir(staging);
}

export async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await readFile(path.join(dataDir, passwordFileName), 'utf8')).trim();
  } catch (error) {
    throw new Error(
      `${dataDir} holds a PostgreSQL cluster without ${passwordFileName}: it was not made by Cartella`,
      {
        cause: error,
      },
    );
  }
}

export interface RunningServer {
  stop(): Promise<void>;
  /** Synchronous, for process exit: asks for a fast shutdown without waiting for it. */
  kill(): void;
}

export interface LaunchOptions {
  postgres: string;
  dataDir: string;
  port: number;
  account: PostgresAccount | undefined;
  log: EmbeddedPostgresLog;
}

export async function launchServer({
  postgres,
  dataDir,
  port,
  account,
  log,
}: LaunchOptions): Promise<RunningServer> {
  const args = [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
  ];
  // Client errors stay out of the server log: their messages quote values (names, codici fiscali, SPEC §10).
  args.push('-c', 'log_min_messages=log', '-c', 'log_error_verbosity=terse');
  // Its own session, so that Ctrl+C reaches only Node, which stops the server after the HTTP server drained.
  const child = spawn(postgres, args, { ...account, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  const output = tailOf(child, (line) => {
    if (/\b(WARNING|ERROR|FATAL|PANIC):/.test(line)) log.warn(`postgres: ${line}`);
    else log.info(`postgres: ${line}`);
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const closed = once(child, 'close').catch(() => undefined);
  const running = () => child.exitCode === null && child.signalCode === null && !spawnError;

  // Ready is read from postmaster.pid, as pg_ctl does: it does not depend on the language of the log.
  for (const deadline = Date.now() + 60_000; ; await sleep(25)) {
    if (spawnError) throw new Error(`PostgreSQL could not be run from ${postgres}: ${spawnError.message}`);
    if (!running()) {
      await closed;
      const how = child.signalCode ?? `exit code ${child.exitCode}`;
      throw new Error(
        `PostgreSQL failed to start on port ${port} with data in ${dataDir} (${how}):\n${output()}`,
      );
    }
    const lines = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
    if (lines[0] === String(child.pid) && lines[7]?.trim() === 'ready') break;
    if (Date.now() > deadline) {
      child.kill('SIGQUIT');
      throw new Error(`PostgreSQL did not become ready within 60 s on port ${port}:\n${output()}`);
    }
  }

  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping)
      log.warn(`The embedded PostgreSQL stopped unexpectedly (${signal ?? `exit code ${code}`})`);
  });
  return {
    kill: () => void (running() && child.kill('SIGINT')),
    async stop() {
      stopping = true;
      if (!running()) return;
      child.kill('SIGINT'); // fast shutdown: sessions are ended and a checkpoint is written
      const immediate = setTimeout(() => child.kill('SIGQUIT'), 30_000);
      await closed;
      clearTimeout(immediate);
    },
  };
}
