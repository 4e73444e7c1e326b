import type { FastifyServerOptions } from 'fastify';
import type { Config } from '../config.js';

/**
 * pino JSON logs with a request id on every line. Logs never carry tokens, names, codici fiscali or note
 * text (SPEC §10): headers that hold credentials are redacted, bodies are never logged, and URLs of this API
 * hold only UUIDs (searches by name or codice fiscale are POST bodies).
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
      req: (req: { method: string; url: string; id?: string; ip?: string }) => ({
        method: req.method,
        url: req.url,
        ip: req.ip,
      }),
    },
  };
}
