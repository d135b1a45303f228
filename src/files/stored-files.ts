import { pipeline, Readable } from 'node:stream';
import type { ServiceContext } from '../context.js';
import type { StoredFile } from '../generated/prisma/client.js';
import { BadRequest, NotFound, PayloadTooLarge } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { getUser } from '../users/users.js';
import { signDownloadToken } from './download-token.js';
import type { FileStorage } from './storage.js';
import { UploadMeter } from './upload-meter.js';

export interface UploadInput {
  userId: string;
  name: string;
  contentType: string;
  /** The request body as it arrives. */
  body: AsyncIterable<Uint8Array>;
  /** Content-Length, when the client sent one. */
  declaredBytes: number | null;
}

/** What the API tells about a file: its metadata and a signed URL its content can be fetched from until it expires. */
export interface FileView {
  id: string;
  userId: string | null;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: Date;
  downloadUrl: string;
  downloadUrlExpiresAt: Date;
}

/**
 * A name that is safe to offer back in Content-Disposition: no path, no control characters (Unicode Cc: U+0000–001F,
 * U+007F–009F, written out so the OpenAPI document can state the same pattern).
 */
// eslint-disable-next-line no-control-regex -- control characters are what the pattern refuses
export const FILE_NAME_PATTERN = /^(?!\.\.?$)[^\x00-\x1f\x7f-\x9f/\\]{1,255}$/;

function assertFileName(name: string): void {
  if (!FILE_NAME_PATTERN.test(name)) {
    throw new BadRequest(`filename "${name}" is not a file name: 1–255 characters, without "/", "\\" or control characters`);
  }
}

// RFC 9110 §8.3.1: type "/" subtype, then parameters; tokens only, so it can be served back verbatim.
const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(\s*;\s*[A-Za-z0-9!#$&^_.+-]+=("[^"\\\p{Cc}]*"|[A-Za-z0-9!#$&^_.+-]+))*$/u;

function assertMediaType(contentType: string): void {
  if (contentType.length > 255 || !MEDIA_TYPE.test(contentType)) {
    throw new BadRequest(`Content-Type "${contentType}" is not a media type such as "text/csv" or "application/octet-stream"`);
  }
}

function tooLarge(maxBytes: number): PayloadTooLarge {
  return new PayloadTooLarge(`upload exceeds the limit of ${maxBytes} bytes (MAX_UPLOAD_BYTES)`);
}

/**
 * Streams an upload to storage under a new file id, hashing and counting it on the way, then records it. Too large
 * (declared or sent), or cut off: the partial object is removed and nothing is recorded.
 */
export async function uploadFile(ctx: ServiceContext, storage: FileStorage, input: UploadInput): Promise<StoredFile> {
  const user = await getUser(ctx, input.userId);
  assertFileName(input.name);
  assertMediaType(input.contentType);
  const maxBytes = ctx.config.files.maxUploadBytes;
  if (input.declaredBytes !== null && input.declaredBytes > maxBytes) throw tooLarge(maxBytes);
  return storeFile(ctx, storage, { ...input, userId: user.id }, maxBytes);
}

/** What the server itself writes for a user (an export, a report): streamed like an upload, without its size limit. */
export interface GeneratedFileInput {
  userId: string;
  name: string;
  contentType: string;
  body: AsyncIterable<Uint8Array>;
}

/**
 * Streams a file the server produced to storage and records it, for the user's downloads (GET /v1/files/:fileId).
 * A body that throws mid-way (a failed query, a killed worker's retry) leaves no object and no record.
 */
export async function saveGeneratedFile(ctx: ServiceContext, storage: FileStorage, input: GeneratedFileInput): Promise<StoredFile> {
  assertFileName(input.name);
  assertMediaType(input.contentType);
  return storeFile(ctx, storage, input, Number.POSITIVE_INFINITY);
}

async function storeFile(
  ctx: ServiceContext,
  storage: FileStorage,
  input: Pick<UploadInput, 'userId' | 'name' | 'contentType' | 'body'>,
  maxBytes: number,
): Promise<StoredFile> {
  const id = newId();
  const storageKey = `${ctx.workspaceId}/${id}`;
  const meter = new UploadMeter(maxBytes);
  // pipeline (not pipe) so a body cut off mid-way fails the meter, and with it the storage's write; the write's
  // rejection carries the error, so the callback has nothing left to do.
  pipeline(Readable.from(input.body), meter, () => undefined);
  try {
    await storage.put(storageKey, meter, input.contentType);
  } catch (error) {
    // A storage that failed on its own (unreachable bucket) leaves the meter unread: stop it, so the body is left
    // to the route (which reads and drops the rest) and nothing reads it twice.
    meter.destroy();
    await storage.delete(storageKey).catch(() => undefined);
    throw meter.exceeded ? tooLarge(maxBytes) : error;
  }
  try {
    return await ctx.db.storedFile.create({
      data: {
        id,
        workspaceId: ctx.workspaceId,
        userId: input.userId,
        name: input.name,
        contentType: input.contentType,
        size: BigInt(meter.bytes),
        sha256: meter.sha256(),
        storageKey,
        createdAt: ctx.clock.now(),
      },
    });
  } catch (error) {
    await storage.delete(storageKey).catch(() => undefined);
    throw error;
  }
}

export async function getFile(ctx: Pick<ServiceContext, 'db' | 'workspaceId'>, fileId: string): Promise<StoredFile> {
  const file = await ctx.db.storedFile.findFirst({ where: { id: fileId, workspaceId: ctx.workspaceId } });
  if (!file) throw new NotFound(`file ${fileId} not found`);
  return file;
}

/** The one serializer of a file, for REST (upload answer, GET) and GraphQL alike. */
export function fileView(ctx: Pick<ServiceContext, 'config' | 'clock'>, file: StoredFile): FileView {
  const expiresAt = new Date(ctx.clock.now().getTime() + ctx.config.files.downloadUrlTtlSeconds * 1000);
  const token = signDownloadToken(file.id, file.workspaceId, expiresAt);
  return {
    id: file.id,
    userId: file.userId,
    name: file.name,
    contentType: file.contentType,
    size: Number(file.size),
    sha256: file.sha256,
    createdAt: file.createdAt,
    downloadUrl: `${ctx.config.publicUrl}/v1/files/${file.id}/content?token=${encodeURIComponent(token)}`,
    downloadUrlExpiresAt: expiresAt,
  };
}
