import { FILE_NAME_PATTERN } from '../../files/stored-files.js';
import type { RestRoute } from './routes.js';

type Json = Record<string, any>;

const BINARY = { type: 'string', format: 'binary' };

/**
 * The operations of the file routes, written here because their bodies are not JSON (SOFA only knows JSON):
 * a binary request body for uploads, a binary answer with 206/416 for downloads.
 */
export function fileOperation(route: RestRoute, errorResponse: (status: number, message?: string) => Json, rateHeaders: Json): Json {
  return route.browser === 'upload' ? uploadOperation(route, errorResponse, rateHeaders) : downloadOperation(route, errorResponse);
}

function uploadOperation(route: RestRoute, errorResponse: (status: number, message?: string) => Json, rateHeaders: Json): Json {
  return {
    operationId: 'uploadFile',
    summary: route.summary,
    description: [
      'The request body is the file, as it is (not JSON, not multipart), streamed to storage as it arrives. Its',
      '`Content-Type` is kept and served back on download (`application/octet-stream` when absent). The file name comes',
      "from `filename`, else from a `Content-Disposition` header (`attachment; filename*=UTF-8''…`), else is `upload`.",
      'Uploads above `MAX_UPLOAD_BYTES` (2 GiB by default) answer 413 and leave nothing stored: refused before reading',
      'when `Content-Length` says so, cut off when the body passes it. The answer is the file as `GET /v1/files/{fileId}`',
      'gives it, with its signed `downloadUrl`.\n\nRequires scope `write`.',
    ].join(' '),
    tags: [route.tag],
    security: [{ bearerAuth: [] }],
    'x-required-scope': route.scope,
    parameters: [
      { name: 'userId', in: 'path', required: true, schema: { type: 'string' } },
      {
        name: 'filename',
        in: 'query',
        required: false,
        description: 'The file name (1–255 characters, no `/`, `\\` or control characters).',
        schema: { type: 'string', minLength: 1, maxLength: 255, pattern: FILE_NAME_PATTERN.source, example: 'steps-2025.csv' },
      },
    ],
    requestBody: {
      required: false,
      description: 'The file’s bytes; any media type (the examples name common ones).',
      content: { 'application/octet-stream': { schema: BINARY }, 'text/csv': { schema: BINARY } },
    },
    responses: {
      '201': {
        description: 'Stored.',
        headers: rateHeaders,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/StoredFile' } } },
      },
      '400': errorResponse(400, 'filename "a/b" is not a file name: 1–255 characters, without "/", "\\" or control characters'),
      '401': errorResponse(401),
      '403': errorResponse(403),
      '404': errorResponse(404),
      '413': errorResponse(413, 'upload exceeds the limit of 2147483648 bytes (MAX_UPLOAD_BYTES)'),
      '429': errorResponse(429),
      '500': errorResponse(500),
    },
  };
}

function downloadOperation(route: RestRoute, errorResponse: (status: number, message?: string) => Json): Json {
  const header = (name: string, description: string) => ({ description, schema: { type: 'string' } });
  const contentHeaders = {
    'Content-Length': { description: 'Bytes in this answer.', schema: { type: 'integer' } },
    'Content-Disposition': header('Content-Disposition', '`attachment` with the file name (`filename` and UTF-8 `filename*`).'),
    ETag: header('ETag', 'The SHA-256 of the content, quoted.'),
    'Accept-Ranges': header('Accept-Ranges', '`bytes`.'),
  };
  return {
    operationId: 'downloadFile',
    summary: route.summary,
    description: [
      'The `downloadUrl` of a file (`GET /v1/files/{fileId}`): no API key, the signed `token` grants this one file until',
      'it expires (`DOWNLOAD_URL_TTL_SECONDS`, 15 minutes by default). The content is streamed with the file’s own',
      '`Content-Type`. One byte range may be asked with `Range: bytes=first-last` (or `first-`, or `-suffix`): 206 with',
      '`Content-Range`; a range past the end is a 416; several ranges are answered with the whole file (200). `HEAD`',
      'answers the same headers without the content. A missing, altered or other file’s token is a 401; an expired one a',
      '403.',
    ].join(' '),
    tags: [route.tag],
    security: [],
    'x-required-scope': route.scope,
    parameters: [
      { name: 'fileId', in: 'path', required: true, schema: { type: 'string' } },
      {
        name: 'token',
        in: 'query',
        required: true,
        description: 'The signed token of the download URL.',
        schema: { type: 'string', minLength: 1 },
      },
      { name: 'Range', in: 'header', required: false, description: 'One byte range: `bytes=0-1023`.', schema: { type: 'string' } },
      { name: 'If-Range', in: 'header', required: false, description: 'The ETag the range must still match.', schema: { type: 'string' } },
    ],
    responses: {
      '200': {
        description: 'The whole content, streamed, in the file’s own media type.',
        headers: contentHeaders,
        content: { '*/*': { schema: BINARY } },
      },
      '206': {
        description: 'The requested byte range.',
        headers: { ...contentHeaders, 'Content-Range': header('Content-Range', '`bytes first-last/size`.') },
        content: { '*/*': { schema: BINARY } },
      },
      '401': errorResponse(
        401,
        'token is missing or invalid for file 01JZ0000000000000000000000: take the downloadUrl of GET /v1/files/01JZ0000000000000000000000',
      ),
      '403': errorResponse(403, 'token has expired: GET /v1/files/01JZ0000000000000000000000 gives a new downloadUrl'),
      '404': errorResponse(404, 'file 01JZ0000000000000000000000 not found'),
      '416': {
        ...errorResponse(416, 'Range "bytes=5000-" lies outside the file\'s 1200 bytes'),
        headers: { 'Content-Range': header('Content-Range', '`bytes */size`.') },
      },
      '429': errorResponse(429),
      '500': errorResponse(500),
    },
  };
}
