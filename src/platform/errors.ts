import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, errorCatalogue, invalid, type ErrorCode, type InvalidField } from '../shared/errors.js';
import { isDatabaseUnavailable } from './database.js';
import { ReplayedAnswer, sendReplay } from './idempotency.js';

/**
 * The one place where failures become application/problem+json (RFC 9457): AppErrors, validation errors
 * (every invalid field named), database constraint violations and outages, and anything unexpected. The
 * detail of a 5xx is never shown, and no detail ever carries personal data or a stack trace.
 */
export const problemType = (code: string) => `https://cartella.example/problems/${code.replaceAll('_', '-')}`;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  invalidParams?: InvalidField[];
}

export function toProblem(error: AppError, instance: string): Problem {
  return {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.detail ?? error.title,
    instance,
    code: error.code,
    ...(error.extras.invalidParams ? { invalidParams: error.extras.invalidParams } : {}),
  };
}

// PostgreSQL error classes that mean "the request conflicts with the data", not "the server broke".
const constraintCodes: Record<string, ErrorCode> = {
  '23505': 'conflict', // unique_violation
  '23P01': 'conflict', // exclusion_violation
  '23514': 'conflict', // check_violation (incl. deferred rules such as a case manager for in_charge)
  '23503': 'conflict', // foreign_key_violation
};

// Values a client sent that the database cannot hold (year 0, a NUL character, a number beyond its column, a
// text too long for a unique index — 54000): the request is wrong, whichever module forgot to bound it.
// Division by zero and the like stay server errors.
const unstorableValueCodes = new Set(['22001', '22003', '22007', '22008', '22021', '22P02', '22P05', '22025', '54000']);

function constraintMessage(error: { constraint?: string }): string {
  return error.constraint
    ? `The change violates the rule '${error.constraint}'.`
    : 'The change conflicts with existing data.';
}

/** Turns any thrown value into an AppError. Exported for the paths that answer outside the handler. */
export function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const invalidParams = error.validation.map((v) => ({
      name: `${error.validationContext ?? 'request'}${v.instancePath || ''}`.replace(/\/$/, ''),
      reason: v.message ?? 'is invalid',
    }));
    return new AppError('validation_failed', invalidParams.map((p) => `${p.name}: ${p.reason}`).join('; '), { invalidParams });
  }
  if (isDatabaseUnavailable(error)) {
    return new AppError('service_unavailable', 'The database is unreachable; try again shortly.', { retryAfterSeconds: 5 });
  }
  const pgError = findPgError(error);
  if (pgError?.code && constraintCodes[pgError.code]) {
    return new AppError(constraintCodes[pgError.code]!, constraintMessage(pgError));
  }
  if (pgError?.code && unstorableValueCodes.has(pgError.code)) {
    return new AppError('validation_failed', 'A value in the request is out of the range or the characters that can be stored.');
  }
  if (pgError?.code === '57014') return new AppError('service_unavailable', 'The operation took too long.', { retryAfterSeconds: 5 });
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode;
  if (status === 413) return new AppError('payload_too_large');
  if (status === 415) return new AppError('unsupported_media_type');
  if (status === 406) return new AppError('not_acceptable');
  if (status === 429) return new AppError('rate_limited', undefined, { retryAfterSeconds: 60 });
  if (status && status >= 400 && status < 500) {
    // Fastify's own 4xx (malformed JSON, empty body with a JSON content type…): safe, generic messages.
    return new AppError('validation_failed', fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || fastifyError.code?.startsWith('FST_ERR_CTP')
      ? 'The request body could not be parsed.'
      : 'The request is malformed.');
  }
  return new AppError('internal_error');
}

function findPgError(error: unknown): { code?: string; constraint?: string } | undefined {
  for (let e: unknown = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return e as { code: string; constraint?: string };
  }
  return undefined;
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  // The rate limiter has already said when to come back; keep its exact figure.
  if (error.extras.retryAfterSeconds !== undefined && !reply.hasHeader('retry-after')) {
    reply.header('retry-after', String(error.extras.retryAfterSeconds));
  }
  if (error.status === 401) reply.header('www-authenticate', 'Bearer');
  return reply.code(error.status).type('application/problem+json').send(toProblem(error, reply.request.url.split('?')[0]!));
}

/**
 * Failures Fastify meets before routing (a malformed percent-encoding in the URL, a path parameter longer
 * than the router accepts) are answered here, as problem+json like any other.
 */
export function onFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const appError =
    error.code === 'FST_ERR_BAD_URL'
      ? invalid('path', 'is not a valid URL')
      : error.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? invalid('path', 'has a parameter longer than any identifier of this API')
        : new AppError('internal_error');
  void sendProblem(reply, appError);
}

/**
 * Failures of the connection before a request exists (a client too slow to send it within
 * REQUEST_TIMEOUT_MS, headers too large, bytes that are not HTTP): a problem+json written on the socket,
 * which is then closed.
 */
export function onClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const appError =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new AppError('request_timeout', 'The request was not received within the time allowed.')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new AppError('headers_too_large')
        : new AppError('validation_failed', 'The request is not valid HTTP.');
  const body = JSON.stringify(toProblem(appError, ''));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status]}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

export function registerErrorHandling(app: FastifyInstance, options: { notFoundRateLimit?: unknown }): void {
  app.setErrorHandler(async (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof ReplayedAnswer) return sendReplay(reply, error.statusCode, error.body);
    const appError = asAppError(error);
    if (appError.status >= 500) {
      const level = appError.code === 'internal_error' && !isResponseSerializationError(error) ? 'error' : 'warn';
      request.log[level]({ err: error, code: appError.code }, 'request failed');
    }
    request.problemCode = appError.code;
    return sendProblem(reply, appError);
  });

  // Unknown routes are rate-limited (when the rate limiter is registered) so that probing for ids or paths
  // is expensive.
  app.setNotFoundHandler(
    options.notFoundRateLimit ? { preHandler: options.notFoundRateLimit as never } : {},
    async (_request, reply) => sendProblem(reply, new AppError('not_found', 'There is no such route.')),
  );
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The stable error code of a failed request, for the audit trail. */
    problemCode?: string;
  }
}

export { errorCatalogue };
