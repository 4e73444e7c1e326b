import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

/**
 * pino JSON logs with a request id on every line. Logs never carry tokens, names, codici fiscali or note
 * text (SPEC §10): headers that hold credentials are redacted, bodies are never logged, URLs are logged
 * without their query string, and errors without the values they quote. test/reliability/logs.test.ts
 * scans a trace-level run for leaks.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["idempotency-key"]',
  '*.authorization',
  '*.token',
  '*.fiscalCode',
  '*.givenName',
  '*.familyName',
  '*.text',
  '*.reason',
  '*.password',
];

export function loggerOptions(log: Config['log']): FastifyServerOptions['logger'] {
  return {
    level: log.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: loggableUrl(req.url), ip: req.ip }),
      err: serializeError,
    },
  };
}

// Any codice fiscale, omocodia letters included.
const fiscalCodePattern = /[A-Z]{6}[0-9LMNPQRSTUV]{2}[A-EHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]/gi;

/**
 * The path without its query string: a query may carry search terms (names, codici fiscali) whatever the
 * route declares, and a client may put a codice fiscale where an id belongs.
 */
export function loggableUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  return path.replace(fiscalCodePattern, '[redacted]') + (query === undefined ? '' : '?[redacted]');
}

// Error fields that name what failed without quoting the data (a PostgreSQL `detail` quotes the values).
const safeErrorFields = ['code', 'statusCode', 'constraint', 'table', 'column', 'routine', 'severity'] as const;

/**
 * Errors as logged: type, message, stack, safe fields and cause. The database driver's messages list the
 * query's parameter values ("params: …") and PostgreSQL's `detail` quotes the conflicting values: both
 * are cut, and any codice fiscale left in a message is masked.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { type: typeof error, message: '[not an Error]', stack: '' };
  const message = scrub(error.message);
  const serialized: SerializedError = {
    type: error.constructor.name,
    message,
    stack: (error.stack ?? '').replace(error.message, message).replace(fiscalCodePattern, '[redacted]'),
  };
  for (const field of safeErrorFields) {
    const value = (error as unknown as Record<string, unknown>)[field];
    if (typeof value === 'string' || typeof value === 'number') serialized[field] = value;
  }
  if (error.cause !== undefined && depth < 3) serialized.cause = serializeError(error.cause, depth + 1);
  return serialized;
}

interface SerializedError {
  type: string;
  message: string;
  stack: string;
  [field: string]: unknown;
}

function scrub(text: string): string {
  const params = text.indexOf('\nparams: ');
  const withoutParams = params === -1 ? text : `${text.slice(0, params)}\nparams: [redacted]`;
  return withoutParams.replace(fiscalCodePattern, '[redacted]');
}
