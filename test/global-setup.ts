import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPool } from '../src/platform/database.js';
import { prepareDatabase } from '../src/platform/startup.js';
import { listenPort } from './helpers/ports.js';

/**
 * Picks the PostgreSQL the tests run on: TEST_DATABASE_URL if set, else a Testcontainers PostgreSQL when a
 * container runtime answers, else the embedded PostgreSQL. It migrates one template database; every test
 * file then clones its own database from it (test/helpers/database.ts), so files run in parallel in
 * isolation.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
    templateDatabase: string;
  }
}

interface Server {
  url: string;
  stop(): Promise<void>;
}

async function containerRuntimeAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await Promise.race([
      getContainerRuntimeClient(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000)),
    ]);
    return true;
  } catch {
    return false;
  }
}

async function startServer(): Promise<Server> {
  const fromEnv = process.env.TEST_DATABASE_URL;
  if (fromEnv) return { url: fromEnv, stop: async () => {} };
  if (await containerRuntimeAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:17-alpine').start();
    return { url: container.getConnectionUri(), stop: async () => void (await container.stop()) };
  }
  const { startEmbeddedPostgres } = await import('../src/platform/database/embedded-postgres.js');
  // Under /tmp (world-traversable) so that the postgres system user can reach it when tests run as root.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'cartella-test-pg-'));
  const port = listenPort();
  const embedded = await startEmbeddedPostgres({ dataDir, port, log: { info: () => {}, warn: console.error } });
  return {
    url: embedded.url,
    stop: async () => {
      await embedded.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export default async function setup(project: TestProject) {
  const server = await startServer();
  const template = `cartella_tpl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${template}`);
  const pool = createPool({ url: databaseUrl(server.url, template), size: 2, statementTimeoutMs: 60_000 });
  try {
    await prepareDatabase(pool, undefined);
  } finally {
    await pool.end();
  }
  project.provide('databaseAdminUrl', server.url);
  project.provide('templateDatabase', template);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
      [template, `${template}_%`],
    );
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  };
}
