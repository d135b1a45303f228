import { ApplicationFailure } from '@temporalio/common';
import type { ExportActivities, ExportOutcome } from '../../workflows/exports.js';
import { RETRY_PROFILES } from '../../workflows/retry.js';
import type { ServiceContext } from '../context.js';
import { emit } from '../domain-events/emit.js';
import type { DataExport, Prisma } from '../generated/prisma/client.js';
import { saveGeneratedFile } from '../files/stored-files.js';
import type { FileStorage } from '../files/storage.js';
import type { Platform } from '../jobs/platform.js';
import { log } from '../lib/logger.js';
import { dayOf } from '../wellness/logged-at.js';
import { FORMAT_FILES, type ExportFormat, type ExportKind } from './export-options.js';
import { exportPages, type ExportRow, type ExportScope } from './export-rows.js';
import { emptyCounts, exportView, type RowCounts, type SkippedRows } from './exports.js';
import { formatWriter, type ExportMeta } from './writers.js';

const DAY_MS = 86_400_000;

/** The file's name: the export's id makes it the one name its attempts share (and earlier attempts' files findable). */
export function exportFileName(row: Pick<DataExport, 'id' | 'format'>): string {
  return `vitasync-export-${row.id}.${FORMAT_FILES[row.format as ExportFormat].extension}`;
}

interface Tally {
  seen: RowCounts;
  skipped: Map<string, SkippedRows>;
}

/**
 * The file's bytes, produced as storage takes them: a page of rows (EXPORT_PAGE_ROWS) is read only when the
 * previous one has been written, so memory stays flat whatever the export's size.
 */
async function* exportBody(sql: Platform['sql'], meta: ExportMeta, scope: ExportScope, format: ExportFormat, tally: Tally) {
  const encoder = new TextEncoder();
  const writer = formatWriter(format);
  const skip = (row: ExportRow, reason: string) => {
    const key = `${row.kind}\u0000${reason}`;
    const entry = tally.skipped.get(key) ?? { kind: row.kind, reason, count: 0 };
    entry.count += 1;
    tally.skipped.set(key, entry);
  };
  const piece = (text: string) => (text ? [encoder.encode(text)] : []);
  yield* piece(writer.begin(meta));
  for (const kind of meta.types) {
    yield* piece(writer.startKind(kind));
    for await (const rows of exportPages(sql, kind, scope)) {
      tally.seen[kind] += rows.length;
      yield* piece(writer.page(rows, skip));
    }
    yield* piece(writer.endKind(kind, skip));
  }
  yield* piece(writer.end());
}

/** Files an earlier attempt stored but never recorded on the export (it died between the two): removed. */
async function removeEarlierAttempts(ctx: ServiceContext, storage: FileStorage, row: DataExport): Promise<void> {
  const stale = await ctx.db.storedFile.findMany({
    where: { userId: row.userId, workspaceId: row.workspaceId, name: exportFileName(row) },
  });
  for (const file of stale) {
    await storage.delete(file.storageKey);
    await ctx.db.storedFile.deleteMany({ where: { id: file.id } });
  }
}

function totalRows(counts: unknown): number {
  return Object.values((counts ?? {}) as Record<string, number>).reduce((sum, count) => sum + count, 0);
}

/** The dataExport workflow's activities (workflows/exports.ts). */
export function createExportActivities(platform: Platform): ExportActivities {
  async function writeExport({ exportId }: { exportId: string }): Promise<ExportOutcome> {
    const found = await platform.db.dataExport.findUnique({ where: { id: exportId } });
    // The user (and with them the export) was deleted: nothing to write, ever.
    if (!found) throw ApplicationFailure.create({ message: `export ${exportId} no longer exists`, nonRetryable: true });
    if (found.status === 'completed') return { status: 'completed', fileId: found.fileId, rows: totalRows(found.rowCounts) };
    if (!platform.storage) throw new Error('this process has no file storage to write exports to');
    const storage = platform.storage;
    const ctx: ServiceContext = { ...platform, workspaceId: found.workspaceId };
    const row = await platform.db.dataExport.update({
      where: { id: exportId },
      data: { status: 'running', attempts: { increment: 1 }, error: null },
    });
    await removeEarlierAttempts(ctx, storage, row);
    const user = await platform.db.user.findUniqueOrThrow({ where: { id: row.userId } });
    const scope: ExportScope = {
      userId: row.userId,
      timezone: row.timezone,
      from: row.fromDate ? dayOf(row.fromDate) : null,
      to: row.toDate ? dayOf(row.toDate) : null,
      metricTypes: row.metricTypes,
      pageRows: platform.config.exports.pageRows,
    };
    const meta: ExportMeta = {
      exportId: row.id,
      userId: row.userId,
      externalId: user.externalId,
      timezone: row.timezone,
      from: scope.from,
      to: scope.to,
      types: row.kinds as ExportKind[],
      metricTypes: row.metricTypes,
      createdAt: row.createdAt.toISOString(),
    };
    const tally: Tally = { seen: emptyCounts(), skipped: new Map() };
    const file = await saveGeneratedFile(ctx, storage, {
      userId: row.userId,
      name: exportFileName(row),
      contentType: FORMAT_FILES[row.format as ExportFormat].contentType,
      body: exportBody(platform.sql, meta, scope, row.format as ExportFormat, tally),
    });
    const skipped = [...tally.skipped.values()];
    const rowCounts = emptyCounts();
    for (const kind of Object.keys(rowCounts) as ExportKind[]) rowCounts[kind] = tally.seen[kind];
    for (const entry of skipped) rowCounts[entry.kind] -= entry.count;
    const completedAt = platform.clock.now();
    const expiresAt = new Date(completedAt.getTime() + platform.config.exports.retentionDays * DAY_MS);
    const done: DataExport = {
      ...row,
      status: 'completed',
      fileId: file.id,
      rowCounts: rowCounts as unknown as Prisma.JsonValue,
      skipped: skipped as unknown as Prisma.JsonValue,
      completedAt,
      expiresAt,
    };
    const recorded = await platform.sql.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE "DataExport" SET status = 'completed', "fileId" = $2, "rowCounts" = $3::jsonb, skipped = $4::jsonb,
           "completedAt" = $5::timestamptz, "expiresAt" = $6::timestamptz, error = NULL
         WHERE id = $1 AND status <> 'completed' RETURNING id`,
        [row.id, file.id, JSON.stringify(rowCounts), JSON.stringify(skipped), completedAt.toISOString(), expiresAt.toISOString()],
      );
      if (updated.length === 0) return false;
      const payload = exportView(ctx, done, file);
      await emit(tx, { workspaceId: row.workspaceId, type: 'export.completed', payload, occurredAt: completedAt });
      return true;
    });
    if (!recorded) {
      // Another attempt (a worker thought lost) completed it first: its file is the export's, this one goes.
      await storage.delete(file.storageKey).catch(() => undefined);
      await platform.db.storedFile.deleteMany({ where: { id: file.id } });
      const winner = await platform.db.dataExport.findUniqueOrThrow({ where: { id: exportId } });
      return { status: 'completed', fileId: winner.fileId, rows: totalRows(winner.rowCounts) };
    }
    log.info('export completed', { exportId, fileId: file.id, bytes: Number(file.size) });
    return { status: 'completed', fileId: file.id, rows: totalRows(rowCounts) };
  }

  async function failExport({ exportId, error }: { exportId: string; error: string }): Promise<{ failed: boolean }> {
    const row = await platform.db.dataExport.findUnique({ where: { id: exportId } });
    if (!row || row.status === 'completed' || row.status === 'failed') return { failed: false };
    // The local runner retries the whole job, so this runs after every failed attempt there: only the last one fails it.
    if (row.attempts < RETRY_PROFILES.export.maximumAttempts) return { failed: false };
    const ctx: ServiceContext = { ...platform, workspaceId: row.workspaceId };
    return platform.sql.transaction(async (tx) => {
      const updated = await tx.query(
        `UPDATE "DataExport" SET status = 'failed', error = $2 WHERE id = $1 AND status NOT IN ('completed', 'failed') RETURNING id`,
        [exportId, error],
      );
      if (updated.length === 0) return { failed: false };
      const payload = exportView(ctx, { ...row, status: 'failed', error }, null);
      await emit(tx, { workspaceId: row.workspaceId, type: 'export.failed', payload, occurredAt: platform.clock.now() });
      return { failed: true };
    });
  }

  return { writeExport, failExport };
}
