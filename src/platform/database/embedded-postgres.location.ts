import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { accountCanUse, postgresAccount } from './embedded-postgres.binaries.js';

/** Where clusters go when DATA_DIR is out of the postgres user's reach: a place it can always own. */
export const fallbackClusterRoot = '/var/lib/cartella/clusters';

/**
 * The cluster directory for a DATA_DIR. Normally `DATA_DIR/postgres`. When Cartella runs as root, PostgreSQL
 * runs as the `postgres` system user, which cannot enter a checkout under a private home (/root is 0700):
 * then the cluster lives in /var/lib/cartella/clusters/<hash of DATA_DIR>, still one per DATA_DIR and kept
 * across restarts, and a note in DATA_DIR says where. Nothing in the home directory is loosened.
 */
export function clusterDirFor(dataDir: string, log: { warn(message: string): void }): string {
  const absolute = path.resolve(dataDir);
  const preferred = path.join(absolute, 'postgres');
  const account = postgresAccount();
  if (!account) return preferred;
  mkdirSync(absolute, { recursive: true });
  if (accountCanUse(absolute, account, false)) return preferred;
  const key = createHash('sha256').update(absolute).digest('hex').slice(0, 16);
  const fallback = path.join(fallbackClusterRoot, key);
  mkdirSync(fallbackClusterRoot, { recursive: true, mode: 0o755 });
  writeFileSync(
    path.join(absolute, 'postgres-location.txt'),
    `The embedded PostgreSQL cluster of this DATA_DIR is in ${fallback}\n` +
      `(the postgres system user cannot reach ${absolute}, so it lives where it can own it).\n`,
  );
  log.warn(`DATA_DIR ${absolute} is not reachable by the postgres system user; the cluster lives in ${fallback}`);
  return fallback;
}
