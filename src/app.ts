import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { Config } from './config.js';
import { accessGatePlugin } from './platform/access-gate.js';
import { ActorCache, noActorCache } from './platform/actor-cache.js';
import { AuditWriter } from './platform/audit/audit-writer.js';
import { authenticationPlugin } from './platform/authentication.js';
import { connectionSettingsOf, createDatabase, createPool, type Database } from './platform/database.js';
import { onClientError, onFrameworkError, registerErrorHandling } from './platform/errors.js';
import { idempotencyPlugin } from './platform/idempotency.js';
import { loggerOptions } from './platform/logging.js';
import { openapiPlugin } from './platform/openapi.js';
import { operationsMetricsPlugin } from './platform/operations-metrics.js';
import { responseSerializerCompiler } from './platform/response-serializer.js';
import { registerSecurity } from './platform/security.js';
import { registerModules } from './modules/index.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Readonly<Config>;
    db: Database;
    pool: pg.Pool;
    auditWriter: AuditWriter;
  }
}

const closeGraceMs = 5_000;

async function settleWithin(ms: number, work: () => Promise<void>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work().then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface AppOverrides {
  /** An existing pool (tests share one per database); the app then does not close it. */
  pool?: pg.Pool;
  /** A pino logger configuration or instance to use instead of the one built from config. */
  logger?: boolean | object;
}

/**
 * The one composition root (STYLE.md): external plugins, then the platform (auth, access gate, audit,
 * idempotency, errors, OpenAPI), then the domain modules. Everything a request needs is built here from
 * `config`, so tests build exactly what production runs.
 */
export async function buildApp(config: Readonly<Config>, overrides: AppOverrides = {}): Promise<FastifyInstance> {
  const ownsPool = !overrides.pool;
  if (ownsPool && !config.database.url) throw new Error('buildApp needs config.database.url or a pool');
  const pool =
    overrides.pool ??
    createPool({ url: config.database.url!, size: config.database.poolSize, statementTimeoutMs: config.database.statementTimeoutMs });
  const db = createDatabase(pool);
  const auditWriter = new AuditWriter(pool, config.audit.batchMax);
  const actors =
    config.auth.actorCacheSeconds > 0
      ? new ActorCache({ ...connectionSettingsOf(pool), application_name: 'cartella-actor-cache' }, config.auth.actorCacheSeconds * 1000, (error) =>
          app.log.warn({ err: error }, 'actor cache off until its database connection is back'),
        )
      : noActorCache;

  const app = Fastify({
    logger: overrides.logger ?? loggerOptions(config.log),
    bodyLimit: config.http.bodyLimit,
    requestTimeout: config.http.requestTimeoutMs,
    // Node looks for overdue requests every 30 s by default: a slow client would hold its connection up to
    // 30 s past the timeout.
    http: { connectionsCheckingInterval: Math.min(5_000, Math.ceil(config.http.requestTimeoutMs / 4)) },
    clientErrorHandler: onClientError,
    genReqId: (request) => {
      const given = request.headers['request-id'];
      return typeof given === 'string' && /^[\w-]{8,64}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: onFrameworkError,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler);
  app.decorate('config', config);
  app.decorate('db', db);
  app.decorate('pool', pool);
  app.decorate('auditWriter', auditWriter);
  app.addHook('onSend', async (request, reply) => {
    reply.header('request-id', request.id);
  });
  app.addHook('onClose', async () => {
    // A connection left hanging by a database that vanished mid-query must not keep the process from
    // exiting: closing waits a bounded time, then gives up on what is still open (and says so).
    const settled = await settleWithin(closeGraceMs, async () => {
      await actors.close();
      await auditWriter.idle();
      if (ownsPool) await pool.end();
    });
    if (!settled) app.log.warn('database connections still busy after the close grace period; exiting anyway');
  });

  await app.register(operationsMetricsPlugin, { metrics: config.metrics, pool, auditWriter });
  const { notFoundRateLimit } = await registerSecurity(app, config);
  registerErrorHandling(app, { notFoundRateLimit });
  await app.register(openapiPlugin);
  await actors.start();
  await app.register(authenticationPlugin, { auth: config.auth, pool, actors });
  await app.register(accessGatePlugin, { auditWriter });
  await app.register(idempotencyPlugin, { db });
  await registerModules(app);
  return app;
}
