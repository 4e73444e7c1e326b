import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppOverrides } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createPool } from '../../src/platform/database.js';
import { createTestDatabase } from './database.js';

export const testJwtSecret = 'cartella-test-secret-that-is-long-enough-0123456789';

export interface TestApp {
  app: FastifyInstance;
  databaseUrl: string;
  /** A local HS256 token for a subject. */
  token(subject: string, claims?: Record<string, unknown>): string;
  /** app.inject with a bearer token for `subject` (or none with `null`). */
  as(subject: string | null, options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function testConfig(databaseUrl: string, env: Record<string, string> = {}) {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    JWT_SECRET: testJwtSecret,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_MAX: '1000000',
    NOT_FOUND_RATE_LIMIT_MAX: '1000000',
    PUBLIC_RATE_LIMIT_MAX: '1000000',
    ...env,
  });
}

/** The real app on a database of its own (one per test file). */
export async function buildTestApp(options: { env?: Record<string, string>; overrides?: AppOverrides } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, options.env);
  const pool = createPool({ url: database.url, size: 5, statementTimeoutMs: 30_000 });
  const app = await buildApp(config, { pool, ...options.overrides });
  await app.ready();
  const token = (subject: string, claims: Record<string, unknown> = {}) => app.jwt.sign({ sub: subject, ...claims }, { expiresIn: '1h' });
  return {
    app,
    databaseUrl: database.url,
    token,
    as: (subject, request) =>
      app.inject({
        ...request,
        headers: { ...(subject ? { authorization: `Bearer ${token(subject)}` } : {}), ...request.headers },
      }),
    close: async () => {
      await app.close();
      await pool.end();
      await database.drop();
    },
  };
}
