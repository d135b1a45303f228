import { GraphQLError } from 'graphql';
import { AppError, codeForStatus, STATUS_TEXT, type ErrorDetails } from '../lib/errors.js';
import { log } from '../lib/logger.js';

/** An error as the client sees it, on REST and GraphQL alike. Internal errors never show their message. */
export interface PublicError {
  status: number;
  code: string;
  message: string;
  headers: Record<string, string>;
  details: ErrorDetails;
}

// graphql-js reports a bad enum value as a type error; the API contract calls it semantic (422).
const ENUM_VALUE_ERROR = /Value ".*" does not exist in ".*" enum/;

/** The argument a variable-coercion error is about: SOFA names each variable after its argument, i.e. the REST parameter. */
const VARIABLE_ERROR = /^Variable "\$(\w+)" got invalid value/;

export function toPublicError(error: unknown): PublicError {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const parameter = error instanceof GraphQLError ? VARIABLE_ERROR.exec(error.message)?.[1] : undefined;
  if (original instanceof AppError) {
    return {
      status: original.status,
      code: original.code,
      message: original.message,
      headers: original.headers,
      details: original.details,
    };
  }
  // PostgreSQL text and jsonb cannot hold U+0000: input that carries it is malformed, not a server fault.
  if (NUL_SQLSTATES.has(sqlState(original) ?? '')) return plain(400, 'text must not contain the NUL character (U+0000)');
  if (original instanceof GraphQLError) {
    if (ENUM_VALUE_ERROR.test(original.message)) return plain(422, parameter ? `${parameter}: ${original.message}` : original.message);
    const http = original.extensions?.http as { status?: number } | undefined;
    if (http?.status && http.status < 500) return plain(http.status, original.message);
    // Parse, validation and variable coercion errors: the request itself was malformed.
    if (!original.originalError) return plain(400, original.message);
  }
  // A client that hung up mid-request is not a server fault: no one reads the answer, and the log says 499.
  if (isClientDisconnect(original)) return plain(499, 'the client closed the connection before the request was answered');
  log.error('unexpected error', { error: describe(original) });
  return plain(500, 'An unexpected error occurred; the request id in X-Request-Id identifies it in the server log.');
}

// 22021: a NUL byte in text ("invalid byte sequence for encoding UTF8: 0x00"); 22P05: \u0000 in jsonb.
const NUL_SQLSTATES = new Set(['22021', '22P05']);

/** The SQLSTATE of a database error: from pg or PGlite directly, or through Prisma's driver adapter. */
function sqlState(error: unknown): string | undefined {
  const candidate = error as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } } | null;
  const viaPrisma = candidate?.meta?.driverAdapterError?.cause?.originalCode;
  if (typeof viaPrisma === 'string') return viaPrisma;
  return typeof candidate?.code === 'string' ? candidate.code : undefined;
}

/**
 * Node's "aborted" (ECONNRESET) from a request body cut off mid-read, or the AbortError of the request's signal
 * that GraphQL Yoga raises once the socket closes. Our own deadlines raise TimeoutError, which stays a fault.
 */
function isClientDisconnect(error: unknown): boolean {
  const candidate = error as { name?: unknown; message?: unknown; code?: unknown } | null;
  if (candidate?.name === 'AbortError') return true;
  return candidate?.code === 'ECONNRESET' && candidate.message === 'aborted';
}

function plain(status: number, message: string): PublicError {
  return { status, code: codeForStatus(status), message, headers: {}, details: {} };
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return { value: String(error) };
}

/** The REST error body of API.md: { statusCode, error, message }, plus the error's details (e.g. jobId). */
export function restErrorBody(error: PublicError): { statusCode: number; error: string; message: string } & ErrorDetails {
  return { statusCode: error.status, error: STATUS_TEXT[error.status] ?? 'Error', message: error.message, ...error.details };
}

export function restErrorResponse(error: PublicError, headers: Record<string, string> = {}): Response {
  return Response.json(restErrorBody(error), { status: error.status, headers: { ...error.headers, ...headers } });
}

/** The GraphQL form: the message for humans and a stable extensions.code for programs. */
export function toGraphQLError(error: GraphQLError): GraphQLError {
  const pub = toPublicError(error);
  // Yoga's own request errors (unparsable query, GET mutation) keep their HTTP status.
  const http = error.originalError ? undefined : error.extensions?.http;
  return new GraphQLError(pub.message, {
    nodes: error.nodes,
    path: error.path,
    extensions: { code: pub.code, ...pub.details, ...(http ? { http } : {}) },
  });
}

/** A request refused before GraphQL ran (bad key, rate limit), in the GraphQL response shape. */
export function graphqlErrorResponse(error: PublicError, headers: Record<string, string> = {}): Response {
  return Response.json(
    { errors: [{ message: error.message, extensions: { code: error.code, ...error.details } }] },
    { status: error.status, headers: { ...error.headers, ...headers } },
  );
}
