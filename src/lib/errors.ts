/**
 * The one error hierarchy. Services throw these; src/server/errors.ts maps them to GraphQL errors
 * (extensions.code) and to REST bodies ({ statusCode, error, message }). Nothing else formats errors.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  /** Stable SCREAMING_SNAKE code carried in GraphQL extensions.code. */
  abstract readonly code: string;
  /** Extra response headers, e.g. Retry-After on 429. */
  headers: Record<string, string> = {};
  /** Identifiers a program acts on (e.g. the running job of a 409): REST body fields and GraphQL extensions. */
  details: ErrorDetails = {};
}

/** The extra fields an error may carry, each documented on the error schema (src/server/rest/openapi.ts). */
export interface ErrorDetails {
  /** The job still running (409 on a second sync of a connection). */
  jobId?: string;
}

export class BadRequest extends AppError {
  readonly status = 400;
  readonly code = 'BAD_REQUEST';
}

export class Unauthorized extends AppError {
  readonly status = 401;
  readonly code = 'UNAUTHENTICATED';
}

export class Forbidden extends AppError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
}

/** The workspace holds as much of something as its quota allows (QUOTA_* settings). */
export class QuotaExceeded extends AppError {
  readonly status = 403;
  readonly code = 'QUOTA_EXCEEDED';
}

export class NotFound extends AppError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
}

export class MethodNotAllowed extends AppError {
  readonly status = 405;
  readonly code = 'METHOD_NOT_ALLOWED';
  constructor(message: string, allowed: string[]) {
    super(message);
    this.headers = { Allow: allowed.join(', ') };
  }
}

export class Conflict extends AppError {
  readonly status = 409;
  readonly code = 'CONFLICT';
}

export class PayloadTooLarge extends AppError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** A Range outside the file (RFC 9110 §15.5.17): 416, with the size in `Content-Range: bytes *\/<size>`. */
export class RangeNotSatisfiable extends AppError {
  readonly status = 416;
  readonly code = 'RANGE_NOT_SATISFIABLE';
  constructor(message: string, size: number) {
    super(message);
    this.headers = { 'Content-Range': `bytes */${size}` };
  }
}

export class UnsupportedMediaType extends AppError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** Well-formed but semantically wrong input (bad enum value, unknown time zone): 422. */
export class Invalid extends AppError {
  readonly status = 422;
  readonly code = 'UNPROCESSABLE_ENTITY';
}

export class RateLimited extends AppError {
  readonly status = 429;
  readonly code = 'RATE_LIMITED';
  constructor(message: string, retryAfterSeconds: number) {
    super(message);
    this.headers = { 'Retry-After': String(retryAfterSeconds) };
  }
}

/** HTTP reason phrases for the statuses we answer with. */
export const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  206: 'Partial Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  // nginx's convention for a client that went away before its answer: only ever seen in our request log.
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The code a GraphQL client sees for a status that has no AppError of its own (e.g. 500). */
export function codeForStatus(status: number): string {
  const text = STATUS_TEXT[status] ?? 'Internal Server Error';
  return text.toUpperCase().replace(/ /g, '_');
}
