import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { chmod, chown, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installedNativeDir,
  locatePostgresBinaries,
  postgresAccount,
  publishBinaries,
} from './embedded-postgres.binaries.js';
import { initialiseCluster } from './embedded-postgres.process.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres.js';

const modulePath = fileURLToPath(new URL('./embedded-postgres.ts', import.meta.url));
const projectRoot = fileURLToPath(new URL('../../..', import.meta.url));
const isRoot = process.getuid?.() === 0;

const warnings: string[] = [];
const log = { info: () => {}, warn: (msg: string) => void warnings.push(msg) };

let root: string; // world-traversable, so that the "postgres" user can reach it when we are root
let dataDir: string;
let port: number;
const running = new Set<EmbeddedPostgres>();

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function start(dir = dataDir, p = port): Promise<EmbeddedPostgres> {
  const db = await startEmbeddedPostgres({ dataDir: dir, port: p, log });
  running.add(db);
  return db;
}

async function stop(db: EmbeddedPostgres): Promise<void> {
  running.delete(db);
  await db.stop();
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** A zombie counts as stopped: reparented orphans wait a moment for init to reap them. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return true;
  }
}

/** Runs a script in a fresh Node process that loads the TypeScript sources (through tsx). */
function node(script: string, options: { uid?: number; gid?: number } = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: projectRoot,
    env: { ...process.env, HOME: root },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...options,
  });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return { child, output: () => output };
}

beforeAll(async () => {
  root = await mkdtemp('/tmp/cartella-test-');
  await chmod(root, 0o755);
  dataDir = path.join(root, 'data');
  port = await freePort();
});

afterAll(async () => {
  await Promise.all([...running].map((db) => db.stop()));
  await rm(root, { recursive: true, force: true });
});

describe('startEmbeddedPostgres', () => {
  it('creates the cluster and the cartella database, and keeps the data across restarts', async () => {
    let startedAt = Date.now();
    let db = await start();
    const firstStartMs = Date.now() - startedAt;
    expect(db.url).toMatch(new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${port}/cartella$`));
    await query(db.url, `create table t (v text); insert into t values ('kept')`);
    await stop(db);

    startedAt = Date.now();
    db = await start();
    const restartMs = Date.now() - startedAt;
    expect(await query(db.url, 'select v from t')).toEqual([{ v: 'kept' }]);
    await stop(db);
    expect(firstStartMs).toBeLessThan(10_000);
    expect(restartMs).toBeLessThan(3_000);
  });

  it('refuses a second instance on a directory in use, naming the directory', async () => {
    const db = await start();
    await expect(start(dataDir, await freePort())).rejects.toThrow(`${dataDir} is already in use`);
    // The refusal left the first instance and its lock alone.
    expect(await query(db.url, 'select count(*)::int as n from t')).toEqual([{ n: 1 }]);
    await expect(start(dataDir, await freePort())).rejects.toThrow(dataDir);
    await stop(db);
  });

  it('starts again after its Node process was killed with SIGKILL, stopping the orphaned server', async () => {
    const { child, output } = node(`
      const { startEmbeddedPostgres } = await import(${JSON.stringify(modulePath)});
      const { default: pg } = await import('pg');
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port}, log: { info() {}, warn() {} } });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      await client.query("insert into t values ('written before SIGKILL')");
      process.kill(process.pid, 'SIGKILL');
    `);
    const [, signal] = await once(child, 'exit');
    expect(signal, output()).toBe('SIGKILL');
    const orphan = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
    expect(isRunning(orphan)).toBe(true);

    warnings.length = 0;
    const startedAt = Date.now();
    const db = await start();
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect(warnings.join('\n')).toMatch(/Taking over the lock[\s\S]*Stopping the PostgreSQL server/);
    expect(isRunning(orphan)).toBe(false);
    expect(await query(db.url, 'select v from t order by v')).toEqual([
      { v: 'kept' },
      { v: 'written before SIGKILL' },
    ]);
    await stop(db);
  });

  it('starts over a stale postmaster.pid, whether its pid is dead or reused by another process', async () => {
    const pidFile = path.join(dataDir, 'postmaster.pid');
    let db = await start();
    const stale = await readFile(pidFile, 'utf8');
    await stop(db);

    await writeFile(pidFile, stale); // the postmaster that wrote it is gone
    db = await start();
    await stop(db);

    await writeFile(pidFile, stale.replace(/^\d+/, String(process.pid))); // a live process, not PostgreSQL
    db = await start();
    expect(await query(db.url, 'select count(*)::int as n from t')).toEqual([{ n: 2 }]);
    await stop(db);
  });

  it('names the port when it is already taken, and releases the directory', async () => {
    const blocker = createServer().listen(port, '127.0.0.1');
    await once(blocker, 'listening');
    try {
      await expect(start()).rejects.toThrow(`Port ${port} on 127.0.0.1 is already in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    await stop(await start());
  });

  it('quotes the server log when PostgreSQL itself fails to start', async () => {
    const conf = path.join(dataDir, 'postgresql.conf');
    const original = await readFile(conf, 'utf8');
    await writeFile(conf, `${original}\nthis line = is not = valid\n`);
    try {
      await expect(start()).rejects.toThrow(/failed to start on port \d+[\s\S]*syntax error in file/);
    } finally {
      await writeFile(conf, original);
    }
    await stop(await start()); // the failed attempt released the lock
  });

  it('explains a directory it cannot create or reach', async () => {
    const file = path.join(root, 'a-file');
    await writeFile(file, '');
    const underFile = path.join(file, 'data');
    await expect(start(underFile)).rejects.toThrow(
      `Cannot use ${underFile} as the embedded PostgreSQL data directory: a component of the path is a file`,
    );

    const closed = path.join(root, 'closed');
    await mkdir(closed, { mode: 0o700 });
    if (isRoot) {
      // Root passes every permission check; the "postgres" user that runs the server does not.
      await expect(start(path.join(closed, 'data'))).rejects.toThrow(`cannot traverse ${closed}`);
    } else {
      await chmod(closed, 0o500);
      await expect(start(path.join(closed, 'data'))).rejects.toThrow('permission denied');
    }
  });

  it('reports initdb failures with the output of initdb', async () => {
    const account = postgresAccount();
    const { initdb } = await locatePostgresBinaries(account);
    const dir = path.join(root, 'not-writable-by-postgres');
    await mkdir(dir, { mode: 0o755 });
    // The password file can be rewritten, but initdb (as "postgres" when we are root) cannot create its
    // directory beside it.
    await writeFile(path.join(dir, 'cartella.password'), '', { mode: 0o600 });
    if (!isRoot) await chmod(dir, 0o555);
    await expect(initialiseCluster(initdb, dir, account)).rejects.toThrow(
      /initdb failed to create the cluster in .*\(exit code 1\):\n[\s\S]*Permission denied/,
    );
  });

  it.runIf(isRoot)(
    'as root, runs a world-readable copy of binaries that live in a private directory',
    async () => {
      const account = postgresAccount()!;
      const privateNative = path.join(root, 'home', 'native');
      await mkdir(path.dirname(privateNative), { mode: 0o700 });
      await cp(installedNativeDir().nativeDir, privateNative, { recursive: true, verbatimSymlinks: true });
      const version = (binDir: string) =>
        spawnSync(path.join(binDir, 'postgres'), ['--version'], { ...account, encoding: 'utf8' });
      expect(version(path.join(privateNative, 'bin')).status).not.toBe(0);

      const published = path.join(root, 'cache', 'postgres-x');
      await publishBinaries(privateNative, published);
      expect(version(path.join(published, 'bin')).stdout).toMatch(/PostgreSQL\) 17/);
    },
  );

  it.runIf(isRoot)('runs as a regular user too, without the postgres account', async () => {
    const userDir = path.join(root, 'nobody');
    await mkdir(userDir);
    await chown(userDir, 65534, 65534);
    const { child, output } = node(
      `
      const { startEmbeddedPostgres } = await import(${JSON.stringify(modulePath)});
      const { default: pg } = await import('pg');
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(path.join(userDir, 'data'))}, port: ${await freePort()}, log: { info() {}, warn() {} } });
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('select current_user as "user", current_database() as database');
      await client.end();
      await db.stop();
      console.log(JSON.stringify(rows[0]));
    `,
      { uid: 65534, gid: 65534 },
    );
    const [code] = await once(child, 'exit');
    expect(code, output()).toBe(0);
    expect(output()).toContain('{"user":"postgres","database":"cartella"}');
  });
});
