/**
 * The one error type of the service. Every failure a client can see is an AppError with a stable `code`;
 * the error handler (src/platform/errors.ts) maps it to application/problem+json (RFC 9457).
 * `detail` must never contain personal data: it is shown to the caller and written to logs.
 */
export const errorCatalogue = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Your role does not allow this operation' },
  not_found: { status: 404, title: 'Resource not found' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  idempotency_key_reused: { status: 422, title: 'Idempotency-Key already used with another request' },
  invalid_transition: { status: 409, title: 'Status change not allowed' },
  precondition_failed: { status: 412, title: 'The resource has changed since you read it' },
  request_timeout: { status: 408, title: 'The request was not received in time' },
  payload_too_large: { status: 413, title: 'Request body too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  not_acceptable: { status: 406, title: 'Requested representation not available' },
  precondition_required: { status: 428, title: 'If-Match header required' },
  rate_limited: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'Request headers too large' },
  internal_error: { status: 500, title: 'Internal error' },
  service_unavailable: { status: 503, title: 'Service temporarily unavailable' },
  audit_unavailable: { status: 503, title: 'Audit trail unavailable: the request was not carried out' },
} as const;

export type ErrorCode = keyof typeof errorCatalogue;

export interface InvalidField {
  /** JSON pointer-ish path of the field, e.g. `body/fiscalCode` or `query/limit`. */
  name: string;
  reason: string;
}

export class AppError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly extras: { invalidParams?: InvalidField[]; retryAfterSeconds?: number } = {},
  ) {
    super(detail ?? errorCatalogue[code].title);
    this.name = 'AppError';
    this.status = errorCatalogue[code].status;
    this.title = errorCatalogue[code].title;
  }
}

export const notFound = (what = 'resource') => new AppError('not_found', `The ${what} does not exist.`);
export const forbidden = (permission: string) =>
  new AppError('forbidden', `Your role lacks the permission '${permission}'.`);
export const invalid = (name: string, reason: string) =>
  new AppError('validation_failed', `${name}: ${reason}`, { invalidParams: [{ name, reason }] });
export const conflict = (detail: string) => new AppError('conflict', detail);
