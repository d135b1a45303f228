import { Readable } from 'node:stream';
import { verifyDownloadToken } from '../../files/download-token.js';
import { requestedRange } from '../../files/byte-range.js';
import { fileView, getFile, uploadFile } from '../../files/stored-files.js';
import { serviceContext, type RequestContext } from '../request-context.js';
import { lingeringBody } from './upload-body.js';

/** `filename` of a Content-Disposition header: the RFC 5987 `filename*` when given, else the plain `filename`. */
function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*UTF-8''([^;\s]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      return extended[1];
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(header);
  return plain ? (plain[1]?.replace(/\\(.)/g, '$1') ?? plain[2] ?? null) : null;
}

/** `attachment` with an ASCII fallback name and the exact UTF-8 name (RFC 6266 §4.3). */
function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** POST /v1/users/:userId/uploads — the raw body, streamed to storage; 201 with the file (as GET /v1/files/:fileId). */
export async function serveUpload(request: Request, ctx: RequestContext): Promise<Response> {
  const url = new URL(request.url);
  const service = serviceContext(ctx);
  const declared = request.headers.get('content-length');
  const body = lingeringBody(request.body);
  const file = await uploadFile(service, ctx.storage, {
    userId: decodeURIComponent(url.pathname.split('/')[3] ?? ''),
    name: url.searchParams.get('filename') ?? dispositionName(request.headers.get('content-disposition')) ?? 'upload',
    contentType: request.headers.get('content-type') ?? 'application/octet-stream',
    body: body.chunks,
    declaredBytes: declared === null ? null : Number(declared),
  }).catch((error: unknown) => {
    body.linger();
    throw error;
  });
  return Response.json(fileView(service, file), { status: 201 });
}

/** GET and HEAD /v1/files/:fileId/content?token=… — the signed URL: streamed, whole or one byte range. */
export async function serveDownload(request: Request, ctx: RequestContext): Promise<Response> {
  const url = new URL(request.url);
  const fileId = decodeURIComponent(url.pathname.split('/')[3] ?? '');
  const { workspaceId } = verifyDownloadToken(url.searchParams.get('token'), fileId, ctx.clock.now());
  const file = await getFile({ db: ctx.db, workspaceId }, fileId);
  const size = Number(file.size);
  const etag = `"${file.sha256}"`;
  // If-Range: the range only applies while the file is the one the client has part of (RFC 9110 §13.1.5).
  const ifRange = request.headers.get('if-range');
  const range = ifRange && ifRange !== etag ? null : requestedRange(request.headers.get('range'), size);
  const headers: Record<string, string> = {
    'Content-Type': file.contentType,
    'Content-Disposition': contentDisposition(file.name),
    'Content-Length': String(range ? range.end - range.start + 1 : size),
    ETag: etag,
    'Accept-Ranges': 'bytes',
    'Last-Modified': file.createdAt.toUTCString(),
    // Health data: never cached on the way; and served content never runs as a page of this origin.
    'Cache-Control': 'private, no-store',
    'Content-Security-Policy': "default-src 'none'; sandbox",
  };
  if (range) headers['Content-Range'] = `bytes ${range.start}-${range.end}/${size}`;
  const status = range ? 206 : 200;
  if (request.method === 'HEAD') return new Response(null, { status, headers });
  const content = await ctx.storage.get(file.storageKey, range ?? undefined);
  return new Response(Readable.toWeb(content) as ReadableStream<Uint8Array>, { status, headers });
}
