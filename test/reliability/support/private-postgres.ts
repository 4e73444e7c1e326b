import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../../src/platform/database/embedded-postgres.js';
import { listenPort } from '../../helpers/ports.js';

/**
 * A PostgreSQL of the test's own (the embedded binaries, a temporary cluster, a random port), for suites
 * that stop, kill or restart the database: the machine's shared server is never touched.
 */
export interface PrivatePostgres {
  url: string;
  dataDir: string;
  port: number;
  stop(): Promise<void>;
  /** Starts it again on the same directory and port, after stop() or after it was killed. */
  restart(): Promise<void>;
  /** Stops it (if running) and deletes the cluster. */
  destroy(): Promise<void>;
}

const quiet = { info: () => {}, warn: () => {} };

export async function startPrivatePostgres(label: string): Promise<PrivatePostgres> {
  // Under /tmp: the postgres system user (used when tests run as root) can reach it.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `cartella-${label}-`));
  let port = listenPort();
  let server: EmbeddedPostgres | undefined;
  for (let attempt = 0; !server; attempt++) {
    try {
      server = await startEmbeddedPostgres({ dataDir, port, log: quiet });
    } catch (error) {
      if (attempt >= 4 || !/already in use/.test((error as Error).message)) throw error;
      port = listenPort();
    }
  }
  let running: EmbeddedPostgres | undefined = server;
  return {
    url: server.url,
    dataDir,
    port,
    stop: async () => {
      await running?.stop();
      running = undefined;
    },
    restart: async () => {
      running = await startEmbeddedPostgres({ dataDir, port, log: quiet });
    },
    destroy: async () => {
      await running?.stop();
      running = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
