import { createHash } from 'node:crypto';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../config.js';
import { AppError } from '../shared/errors.js';

/**
 * HTTP hardening (SPEC §5, §10): security headers, CORS for the configured origins only, rate limits with the
 * RateLimit-* headers, and a deadline on every request. Body size and the time allowed to receive a request
 * are Fastify server options (src/app.ts); their refusals become problem+json in src/platform/errors.ts.
 */
declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the request was answered 503 because its deadline passed: its work must not commit. */
    timedOut: boolean;
  }
}

/** Headers a browser front end on another origin must be able to read. */
const exposedHeaders = [
  'etag',
  'location',
  'request-id',
  'retry-after',
  'idempotent-replayed',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
];

/**
 * The caller a limit applies to: the token's subject when a bearer token is present, else the client
 * address. Keying by subject keeps the colleagues of a municipal office behind one NAT address from sharing
 * one budget. The token is only decoded here, not verified (authentication does that right after): a
 * forged subject buys a fresh budget of requests that all fail authentication. Hashed so that the limiter's
 * memory holds no subject.
 */
export function rateLimitKey(request: FastifyRequest): string {
  const subject = unverifiedSubject(request.headers.authorization);
  if (subject !== undefined) return `sub:${createHash('sha256').update(subject).digest('base64url')}`;
  return `ip:${normalizeIP(request.ip)}`;
}

function unverifiedSubject(authorization: string | undefined): string | undefined {
  const payload = /^Bearer +[\w-]+\.([\w-]+)\.[\w-]*$/i.exec(authorization ?? '')?.[1];
  if (!payload || payload.length > 8192) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown; client_id?: unknown };
    const subject = claims.sub ?? claims.client_id;
    return typeof subject === 'string' && subject !== '' ? subject : undefined;
  } catch {
    return undefined;
  }
}

export interface Security {
  /** The stricter limit of unknown routes, applied by the not-found handler: probing for paths is expensive. */
  notFoundRateLimit: preHandlerAsyncHookHandler;
}

export async function registerSecurity(app: FastifyInstance, config: Readonly<Config>): Promise<Security> {
  const { http, rateLimit: limits } = config;
  // No CSP here: the API answers JSON, and /docs sets its own (swagger-ui's staticCSP).
  await app.register(helmet, { contentSecurityPolicy: false, crossOriginResourcePolicy: { policy: 'same-site' } });
  await app.register(cors, {
    origin: http.corsOrigins.length > 0 ? [...http.corsOrigins] : false,
    exposedHeaders,
    maxAge: 600,
  });

  const timeWindow = limits.windowSeconds * 1000;
  await app.register(rateLimit, { global: false, enableDraftSpec: true, timeWindow, keyGenerator: rateLimitKey });
  const perCaller = app.rateLimit({
    max: (request: FastifyRequest) => (request.routeOptions.config.access === 'public' ? limits.publicMax : limits.max),
    timeWindow,
    keyGenerator: rateLimitKey,
  });
  // A root onRequest hook registered before authentication: a flood (of bad tokens too) is refused before
  // any token check or database query. Route-level limits would run only after the root hooks.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) await perCaller.call(app, request, reply);
  });

  app.decorateRequest('timedOut', false);
  const deadlines = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  app.addHook('onRequest', async (request, reply) => {
    deadlines.set(request, startDeadline(request, reply, http.requestTimeoutMs));
  });
  app.addHook('onResponse', async (request) => clearTimeout(deadlines.get(request)));

  // Graceful shutdown: a keep-alive connection whose request was in flight at SIGTERM would stay open after
  // its answer and hold the process until the grace period ends; answers given while closing close it.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    if (closing) reply.header('connection', 'close');
    // Answers carry personal data: no shared cache or browser history may keep them.
    const access = request.routeOptions.config.access;
    if (access && access !== 'public' && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  return {
    notFoundRateLimit: app.rateLimit({ max: limits.notFoundMax, timeWindow, keyGenerator: rateLimitKey }) as preHandlerAsyncHookHandler,
  };
}

/**
 * A request that has not answered within REQUEST_TIMEOUT_MS (a database that hangs, a lock held too long) is
 * answered 503 with Retry-After instead of holding the client and a connection. Its work may still be
 * running: `timedOut` makes the service transaction roll back rather than commit a change the client was
 * told failed. A response already streaming (an export) is left to finish.
 */
function startDeadline(request: FastifyRequest, reply: FastifyReply, timeoutMs: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    if (reply.sent || reply.raw.headersSent) return;
    request.timedOut = true;
    void reply.send(new AppError('service_unavailable', 'The request could not be completed in time.', { retryAfterSeconds: 5 }));
  }, timeoutMs);
  return timer.unref();
}
