import type { ServiceContext } from '../context.js';
import type { DataImport } from '../generated/prisma/client.js';
import { getFile } from '../files/stored-files.js';
import type { FileStorage } from '../files/storage.js';
import { Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';
import { IMPORT_FORMATS, type ImportFormat } from './import-record.js';

export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

/** The job of an import: one per import, so a second start of the same id is a no-op. */
export const importJobId = (importId: string) => `import:${importId}`;

/** How many refused records an import keeps as examples. */
export const REJECTION_EXAMPLES = 10;

export interface ImportView {
  id: string;
  userId: string;
  fileId: string;
  format: ImportFormat;
  status: ImportStatus;
  jobId: string;
  error: string | null;
  recordsRead: number;
  samplesStored: number;
  eventsStored: number;
  duplicates: number;
  skipped: { type: string; count: number }[];
  rejected: number;
  rejections: { reason: string; count: number }[];
  rejectionExamples: { record: number; type: string; reason: string }[];
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
}

const counted = (json: unknown) =>
  Object.entries((json ?? {}) as Record<string, number>)
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));

/** The one serializer of an import, for REST, GraphQL and the import.* events alike. */
export function importView(row: DataImport): ImportView {
  const rejections = counted(row.rejections).map(({ key, count }) => ({ reason: key, count }));
  return {
    id: row.id,
    userId: row.userId,
    fileId: row.fileId,
    format: row.format as ImportFormat,
    status: row.status as ImportStatus,
    jobId: row.jobId,
    error: row.error,
    recordsRead: row.recordsRead,
    samplesStored: row.samplesStored,
    eventsStored: row.eventsStored,
    duplicates: row.duplicates,
    skipped: counted(row.skipped).map(({ key, count }) => ({ type: key, count })),
    rejected: rejections.reduce((sum, r) => sum + r.count, 0),
    rejections,
    rejectionExamples: (row.rejectionSamples ?? []) as ImportView['rejectionExamples'],
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    completedAt: row.completedAt,
  };
}

/** Bytes a format is told apart by: the start of the file. */
const SNIFF_BYTES = 4096;

/**
 * The format of a file when the client did not say: by its name's extension (.zip and .xml are Apple Health,
 * .fit, .gpx, .tcx), else by its first bytes (a zip's "PK\x03\x04", a FIT header's ".FIT" at byte 8, or the XML
 * root element <HealthData>, <gpx> or <TrainingCenterDatabase>); null when neither tells.
 */
export function detectFormat(name: string, head: Uint8Array): ImportFormat | null {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension === 'zip' || extension === 'xml') return 'apple_health';
  if (extension === 'fit' || extension === 'gpx' || extension === 'tcx') return extension;
  const bytes = Buffer.from(head);
  if (bytes.subarray(0, 4).toString('latin1') === 'PK\x03\x04') return 'apple_health';
  if (bytes.length >= 12 && bytes.subarray(8, 12).toString('latin1') === '.FIT') return 'fit';
  const text = bytes.toString('utf8');
  if (/<HealthData[\s>]/.test(text)) return 'apple_health';
  if (/<(\w+:)?gpx[\s>]/.test(text)) return 'gpx';
  if (/<(\w+:)?TrainingCenterDatabase[\s>]/.test(text)) return 'tcx';
  return null;
}

async function readHead(storage: FileStorage, key: string, size: number): Promise<Uint8Array> {
  if (size === 0) return new Uint8Array();
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key, { start: 0, end: Math.min(size, SNIFF_BYTES) - 1 })) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

export interface CreateImportInput {
  fileId: string;
  format?: string | null;
}

/**
 * Queues the import of an uploaded file: checks the file is the user's, settles its format (given, or detected), and
 * starts the dataImport job. The record answers with status queued; the job does the work.
 */
export async function createImport(ctx: ServiceContext, userId: string, input: CreateImportInput): Promise<ImportView> {
  const user = await getUser(ctx, userId);
  const file = await getFile(ctx, input.fileId);
  if (file.userId !== user.id) throw new NotFound(`file ${input.fileId} not found`);
  let format = input.format ?? null;
  if (format !== null && !IMPORT_FORMATS.includes(format as ImportFormat)) {
    throw new Invalid(`format "${format}" must be one of ${IMPORT_FORMATS.join(', ')}`);
  }
  if (format === null) {
    if (!ctx.storage) throw new Error('no file storage in this context');
    format = detectFormat(file.name, await readHead(ctx.storage, file.storageKey, Number(file.size)));
    if (format === null) {
      throw new Invalid(
        `the format of file ${file.id} ("${file.name}") could not be told from its name or its first bytes: pass format (${IMPORT_FORMATS.join(', ')})`,
      );
    }
  }
  if (Number(file.size) === 0) throw new Invalid(`file ${file.id} is empty`);
  const id = newId();
  const row = await ctx.db.dataImport.create({
    data: {
      id,
      workspaceId: ctx.workspaceId,
      userId: user.id,
      fileId: file.id,
      format,
      jobId: importJobId(id),
      status: 'queued',
      createdAt: ctx.clock.now(),
    },
  });
  await ctx.jobs.start('dataImport', { importId: id }, { id: row.jobId, workspaceId: ctx.workspaceId });
  return importView(row);
}

export async function getImport(ctx: ServiceContext, userId: string, importId: string): Promise<ImportView> {
  const user = await getUser(ctx, userId);
  const row = await ctx.db.dataImport.findFirst({ where: { id: importId, userId: user.id } });
  if (!row) throw new NotFound(`import ${importId} not found`);
  return importView(row);
}

/** A user's imports, newest first (ids are ULIDs: creation order). */
export async function listImports(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<ImportView>> {
  const user = await getUser(ctx, userId);
  const page = await paginate(args, {
    list: `imports:${user.id}`,
    count: () => ctx.db.dataImport.count({ where: { userId: user.id } }),
    fetch: ({ take, skip, after }) =>
      ctx.db.dataImport.findMany({
        where: { userId: user.id, ...(after ? { id: { lt: String(after[0]) } } : {}) },
        orderBy: { id: 'desc' },
        take,
        skip: after ? 0 : skip,
      }),
    keyOf: (row) => [row.id],
  });
  return { ...page, data: page.data.map(importView) };
}
