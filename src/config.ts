import { z } from 'zod';

/**
 * The whole configuration, parsed once from the environment. Every invalid variable is reported at once,
 * by name, so an operator fixes a deployment in one pass. The result is deeply frozen.
 */
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v === '' ? undefined : v));
const integer = (fallback: number, min: number, max: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const list = z
  .string()
  .optional()
  .transform((v) => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean));

const environmentSchema = z
  .object({
    PORT: integer(3000, 0, 65535),
    HOST: z.string().default('127.0.0.1'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DATABASE_URL: optionalString.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
    DATA_DIR: z.string().default('./data'),
    EMBEDDED_PG_PORT: integer(54329, 1, 65535),
    // Writes hold their connection while their audit event is committed (group commit): 20 keeps them flowing.
    DB_POOL_SIZE: integer(20, 1, 200),
    DB_STATEMENT_TIMEOUT_MS: integer(10_000, 100, 600_000),
    BODY_LIMIT_BYTES: integer(1_048_576, 1024, 50 * 1_048_576),
    REQUEST_TIMEOUT_MS: integer(30_000, 1000, 600_000),
    JWT_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    OIDC_ISSUER: optionalString.pipe(z.url().optional()),
    JWT_JWKS_URL: optionalString.pipe(z.url().optional()),
    JWT_ISSUER: optionalString,
    JWT_AUDIENCE: optionalString,
    JWT_CLOCK_SKEW_SECONDS: integer(30, 0, 300),
    // How long an instance may keep who a subject is; changes drop it at once (src/platform/actor-cache.ts).
    AUTH_ACTOR_CACHE_SECONDS: integer(300, 0, 3600),
    BOOTSTRAP_ADMIN_SUBJECT: optionalString,
    CORS_ORIGINS: list,
    EMERGENCY_GRANT_HOURS: z.coerce.number().positive().max(72).default(4),
    RATE_LIMIT_MAX: integer(600, 1, 1_000_000),
    RATE_LIMIT_WINDOW_SECONDS: integer(60, 1, 3600),
    PUBLIC_RATE_LIMIT_MAX: integer(120, 1, 1_000_000),
    NOT_FOUND_RATE_LIMIT_MAX: integer(60, 1, 1_000_000),
    AUDIT_BATCH_MAX: integer(256, 1, 10_000),
    // Small-cell threshold of the anonymised indicators: 3 is the legal minimum; every table includes minors
    // and judicial cases, for which SPEC §8 asks more (src/modules/indicators/INDICATORS.md).
    INDICATORS_K: integer(5, 3, 50),
    SIUSS_PSEUDONYM_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    METRICS_PORT: optionalString.pipe(z.coerce.number<string>().int().min(0).max(65535).optional()),
    METRICS_HOST: z.string().default('127.0.0.1'),
  })
  .superRefine((env, ctx) => {
    const remote = env.OIDC_ISSUER ?? env.JWT_JWKS_URL;
    if (remote && !env.JWT_AUDIENCE) {
      ctx.addIssue({ code: 'custom', path: ['JWT_AUDIENCE'], message: 'is required with OIDC_ISSUER or JWT_JWKS_URL' });
    }
    if (env.JWT_JWKS_URL && !env.OIDC_ISSUER && !env.JWT_ISSUER) {
      ctx.addIssue({ code: 'custom', path: ['JWT_ISSUER'], message: 'is required with JWT_JWKS_URL' });
    }
  });

export type Environment = z.infer<typeof environmentSchema>;

function build(env: Environment) {
  return {
    http: {
      port: env.PORT,
      host: env.HOST,
      bodyLimit: env.BODY_LIMIT_BYTES,
      requestTimeoutMs: env.REQUEST_TIMEOUT_MS,
      corsOrigins: env.CORS_ORIGINS,
    },
    log: { level: env.LOG_LEVEL },
    database: {
      url: env.DATABASE_URL,
      dataDir: env.DATA_DIR,
      embeddedPort: env.EMBEDDED_PG_PORT,
      poolSize: env.DB_POOL_SIZE,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    },
    auth: {
      jwtSecret: env.JWT_SECRET,
      oidcIssuer: env.OIDC_ISSUER,
      jwksUrl: env.JWT_JWKS_URL,
      issuer: env.JWT_ISSUER ?? env.OIDC_ISSUER,
      audience: env.JWT_AUDIENCE,
      clockSkewSeconds: env.JWT_CLOCK_SKEW_SECONDS,
      bootstrapAdminSubject: env.BOOTSTRAP_ADMIN_SUBJECT,
      actorCacheSeconds: env.AUTH_ACTOR_CACHE_SECONDS,
    },
    access: { emergencyGrantHours: env.EMERGENCY_GRANT_HOURS },
    rateLimit: {
      max: env.RATE_LIMIT_MAX,
      windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
      publicMax: env.PUBLIC_RATE_LIMIT_MAX,
      notFoundMax: env.NOT_FOUND_RATE_LIMIT_MAX,
    },
    audit: { batchMax: env.AUDIT_BATCH_MAX },
    siuss: { pseudonymSecret: env.SIUSS_PSEUDONYM_SECRET },
    indicators: { k: env.INDICATORS_K },
    /** Prometheus metrics on their own port (off when METRICS_PORT is unset), never on the API's. */
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST },
  };
}

export type Config = ReturnType<typeof build>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`));
  }
  return deepFreeze(build(parsed.data));
}
