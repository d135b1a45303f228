import type { ServiceContext } from '../context.js';
import type { DataExport, StoredFile } from '../generated/prisma/client.js';
import { fileView, type FileView } from '../files/stored-files.js';
import { requireMetricType } from '../health/metric-types.js';
import { Invalid } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { checkDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { dateColumn, dayOf } from '../wellness/logged-at.js';
import { EXPORT_FORMATS, EXPORT_KINDS, type ExportFormat, type ExportKind, type ExportStatus } from './export-options.js';

export interface ExportInput {
  format: ExportFormat;
  from?: string | null;
  to?: string | null;
  /** Kinds of data; default all. */
  types?: readonly ExportKind[] | null;
  metricTypes?: readonly string[] | null;
}

export type RowCounts = Record<ExportKind, number>;

export interface SkippedRows {
  kind: ExportKind;
  reason: string;
  count: number;
}

/** An export as the API answers it (REST, GraphQL) and export.completed / export.failed carry it. */
export interface ExportView {
  id: string;
  userId: string;
  format: ExportFormat;
  types: ExportKind[];
  metricTypes: string[];
  from: string | null;
  to: string | null;
  timezone: string;
  status: ExportStatus;
  jobId: string;
  attempts: number;
  error: string | null;
  rowCounts: RowCounts;
  rows: number;
  skipped: SkippedRows[];
  size: number | null;
  file: FileView | null;
  createdAt: string;
  completedAt: string | null;
  expiresAt: string | null;
}

export const jobIdOf = (exportId: string): string => `export:${exportId}`;

export function emptyCounts(): RowCounts {
  return { samples: 0, events: 0, records: 0, wellness: 0, scores: 0 };
}

/**
 * The one serializer of an export. The file (with a fresh signed URL) is offered while the export is completed and
 * not past expiresAt; after that the record stays, with its counts, and file is null.
 */
export function exportView(ctx: Pick<ServiceContext, 'config' | 'clock'>, row: DataExport, file: StoredFile | null): ExportView {
  const rowCounts = { ...emptyCounts(), ...(row.rowCounts as Partial<RowCounts>) };
  const live = file !== null && row.expiresAt !== null && row.expiresAt.getTime() > ctx.clock.now().getTime();
  return {
    id: row.id,
    userId: row.userId,
    format: row.format as ExportFormat,
    types: row.kinds as ExportKind[],
    metricTypes: row.metricTypes,
    from: row.fromDate ? dayOf(row.fromDate) : null,
    to: row.toDate ? dayOf(row.toDate) : null,
    timezone: row.timezone,
    status: row.status as ExportStatus,
    jobId: row.jobId,
    attempts: row.attempts,
    error: row.error,
    rowCounts,
    rows: Object.values(rowCounts).reduce((sum, count) => sum + count, 0),
    skipped: row.skipped as unknown as SkippedRows[],
    size: file ? Number(file.size) : null,
    file: live ? fileView(ctx, file) : null,
    createdAt: row.createdAt.toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

function checkInput(input: ExportInput): { from: string | null; to: string | null; kinds: ExportKind[]; metricTypes: string[] } {
  if (!EXPORT_FORMATS.includes(input.format)) throw new Invalid(`format must be one of ${EXPORT_FORMATS.join(', ')}`);
  const from = input.from == null ? null : checkDay('from', input.from);
  const to = input.to == null ? null : checkDay('to', input.to);
  if (from && to && to < from) throw new Invalid(`from must not be after to (from ${from}, to ${to})`);
  const asked = input.types ?? EXPORT_KINDS;
  if (asked.length === 0) throw new Invalid(`types must name at least one of ${EXPORT_KINDS.join(', ')} (or be left out for all)`);
  for (const kind of asked)
    if (!EXPORT_KINDS.includes(kind)) throw new Invalid(`types: "${kind}" is not one of ${EXPORT_KINDS.join(', ')}`);
  // In file order, each once.
  const kinds = EXPORT_KINDS.filter((kind) => asked.includes(kind));
  const metricTypes = [...new Set(input.metricTypes ?? [])];
  for (const metric of metricTypes) requireMetricType(metric);
  if (metricTypes.length > 0 && !kinds.includes('samples')) throw new Invalid('metricTypes narrows the samples: add samples to types');
  return { from, to, kinds, metricTypes };
}

/**
 * Records an export (status queued) and starts its dataExport job (workflows/exports.ts) under the id
 * `export:<exportId>`. The record commits before the job starts, so the job always finds it.
 */
export async function createExport(ctx: ServiceContext, userId: string, input: ExportInput): Promise<ExportView> {
  const user = await getUser(ctx, userId);
  const { from, to, kinds, metricTypes } = checkInput(input);
  const id = newId();
  const row = await ctx.db.dataExport.create({
    data: {
      id,
      workspaceId: ctx.workspaceId,
      userId: user.id,
      format: input.format,
      kinds,
      metricTypes,
      fromDate: from ? dateColumn(from) : null,
      toDate: to ? dateColumn(to) : null,
      timezone: user.timezone,
      jobId: jobIdOf(id),
      createdAt: ctx.clock.now(),
    },
  });
  await ctx.jobs.start('dataExport', { exportId: id }, { id: row.jobId, workspaceId: ctx.workspaceId });
  return exportView(ctx, row, null);
}

/** A user's exports, newest first, offset or cursor pages; each with its file when completed and not expired. */
export async function listExports(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<ExportView>> {
  const user = await getUser(ctx, userId);
  const where = { userId: user.id, workspaceId: ctx.workspaceId };
  const page = await paginate(args, {
    list: `exports:${user.id}`,
    count: () => ctx.db.dataExport.count({ where }),
    fetch: ({ take, skip, after }) =>
      ctx.db.dataExport.findMany({
        where: after ? { AND: [where, { id: { lt: String(after[0]) } }] } : where,
        orderBy: { id: 'desc' },
        take,
        skip: after ? 0 : skip,
      }),
    keyOf: (row) => [row.id],
  });
  const fileIds = page.data.flatMap((row) => (row.fileId ? [row.fileId] : []));
  const files = fileIds.length ? await ctx.db.storedFile.findMany({ where: { id: { in: fileIds }, workspaceId: ctx.workspaceId } }) : [];
  const byId = new Map(files.map((file) => [file.id, file]));
  return { ...page, data: page.data.map((row) => exportView(ctx, row, row.fileId ? (byId.get(row.fileId) ?? null) : null)) };
}
