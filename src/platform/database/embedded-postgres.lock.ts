import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EmbeddedPostgresLog as Log } from './embedded-postgres.js';

const lockFileName = 'cartella.lock';
// Directories locked by this very process: a stale lock can carry our pid after a reboot reused it.
const lockedHere = new Set<string>();

/**
 * A process identity that survives pid reuse: on Linux the start time, from /proc. `undefined` when the
 * process is gone (a zombie counts as gone: if we are PID 1 in a container nobody reaps our orphans).
 */
function identity(pid: number): { startTime: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? undefined : { startTime: fields[19] ?? '' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && readableProc()) return undefined;
  }
  try {
    process.kill(pid, 0);
    return { startTime: '' };
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? { startTime: '' } : undefined;
  }
}

const readableProc = () => {
  try {
    readFileSync('/proc/self/stat');
    return true;
  } catch {
    return false;
  }
};

/**
 * One Cartella process per data directory. The lock file holds the owner's pid and start time; a lock whose
 * owner has died (SIGKILL, power loss) is taken over, a live owner makes us refuse.
 */
export async function lockDataDir(dataDir: string, log: Log): Promise<() => Promise<void>> {
  const file = path.join(dataDir, lockFileName);
  const me = `${process.pid} ${identity(process.pid)?.startTime ?? ''}\n`;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, me, { flag: 'wx', mode: 0o644 });
      lockedHere.add(dataDir);
      return async () => {
        lockedHere.delete(dataDir);
        if ((await readFile(file, 'utf8').catch(() => '')) === me) await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const [pidText = '', startTime = ''] = (await readFile(file, 'utf8').catch(() => '')).trim().split(' ');
    if (!pidText && attempt < 2) {
      await sleep(100); // an empty lock is being written by a process starting right now
      continue;
    }
    const pid = Number(pidText);
    const owner = Number.isInteger(pid) && pid > 0 ? identity(pid) : undefined;
    const ownerAlive =
      pid === process.pid
        ? lockedHere.has(dataDir)
        : owner !== undefined && (!startTime || !owner.startTime || owner.startTime === startTime);
    if (ownerAlive) {
      throw new Error(
        `The embedded PostgreSQL data directory ${dataDir} is already in use by Cartella process ${pid}`,
      );
    }
    log.warn(`Taking over the lock of ${dataDir} from process ${pidText || '?'}, which is no longer running`);
    await rm(file, { force: true });
  }
  throw new Error(`Could not lock the embedded PostgreSQL data directory ${dataDir}`);
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    // No /proc (macOS): ps splits on spaces, good enough for the paths we spawn with.
    return execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' })
      .trim()
      .split(' ');
  }
}

const samePath = (a: string | undefined, b: string) => {
  try {
    return a !== undefined && realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

/**
 * After our Node process was killed, the server it started may still run on this directory (it lives in
 * its own session). Called with the lock held, so a live postmaster here is an orphan of ours: stop it.
 */
export async function stopOrphanedServer(dataDir: string, log: Log): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  const [pidText = ''] = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number(pidText);
  // No file, or a dead pid: PostgreSQL handles a stale postmaster.pid itself (it also checks shared memory).
  if (!Number.isInteger(pid) || pid <= 0 || !identity(pid)) return;
  const argv = commandLine(pid);
  if (path.basename(argv[0] ?? '') !== 'postgres') {
    // The pid was reused by an unrelated process; PostgreSQL would refuse to start because of it.
    log.warn(`Removing the stale ${pidFile}: process ${pid} is not a PostgreSQL server`);
    await rm(pidFile, { force: true });
    return;
  }
  if (!samePath(argv[argv.indexOf('-D') + 1], dataDir)) {
    throw new Error(`PostgreSQL process ${pid} holds ${pidFile} but serves another directory; stop it first`);
  }
  log.warn(`Stopping the PostgreSQL server (pid ${pid}) left running on ${dataDir} by a previous run`);
  // SIGINT is a fast shutdown (clean checkpoint); SIGQUIT an immediate one, recovered from the WAL at start.
  for (const [signal, waitMs] of [
    ['SIGINT', 20_000],
    ['SIGQUIT', 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return;
      throw new Error(`Cannot stop the PostgreSQL server (pid ${pid}) left running on ${dataDir}`, {
        cause: error,
      });
    }
    for (const deadline = Date.now() + waitMs; Date.now() < deadline; await sleep(50)) {
      if (!identity(pid)) return;
    }
  }
  throw new Error(`The PostgreSQL server (pid ${pid}) left running on ${dataDir} does not stop`);
}
