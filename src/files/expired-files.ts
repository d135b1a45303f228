import type { Platform } from '../jobs/platform.js';

export interface PurgeExpiredFilesResult {
  /** Exports whose file went. */
  exports: number;
  /** Reports whose files went. */
  reports: number;
  /** Stored files removed (rows, then objects). */
  files: number;
  /** Partial files and incomplete multipart uploads that killed writes left (FileStorage.sweepAbandoned). */
  abandoned: number;
}

/** A write that has not moved for this long has no writer left (an export attempt may take 2 h, an import 6 h). */
export const ABANDONED_WRITE_MS = 24 * 3_600_000;

/**
 * Exports' and reports' files past their `expiresAt`: the StoredFile rows go in one transaction (so
 * `GET /v1/files/:fileId` stops offering them as well, not only the export or report), then the objects. The export
 * or report record stays with its counts and its expiry; its file is gone for good. An object left by a crash after
 * the commit is unreachable (no row names it) and costs only space. Then what killed writes left a day ago or more.
 */
export async function purgeExpiredFiles(platform: Pick<Platform, 'db' | 'storage' | 'clock'>): Promise<PurgeExpiredFilesResult> {
  const now = platform.clock.now();
  const { keys, exports, reports } = await platform.db.$transaction(async (tx) => {
    const expiredExports = await tx.dataExport.findMany({
      where: { expiresAt: { lte: now }, fileId: { not: null } },
      select: { id: true, fileId: true },
    });
    const expiredReports = await tx.healthReport.findMany({
      where: { expiresAt: { lte: now }, fileId: { not: null } },
      select: { id: true, fileId: true, files: true },
    });
    const fileIds = [
      ...expiredExports.map((row) => row.fileId!),
      ...expiredReports.flatMap((row) => [row.fileId!, ...Object.values(row.files as Record<string, string>)]),
    ];
    const files = await tx.storedFile.findMany({ where: { id: { in: fileIds } }, select: { storageKey: true } });
    await tx.storedFile.deleteMany({ where: { id: { in: fileIds } } });
    await tx.dataExport.updateMany({ where: { id: { in: expiredExports.map((row) => row.id) } }, data: { fileId: null } });
    await tx.healthReport.updateMany({ where: { id: { in: expiredReports.map((row) => row.id) } }, data: { fileId: null, files: {} } });
    return { keys: files.map((file) => file.storageKey), exports: expiredExports.length, reports: expiredReports.length };
  });
  for (const key of keys) await platform.storage?.delete(key);
  const abandoned = (await platform.storage?.sweepAbandoned(new Date(now.getTime() - ABANDONED_WRITE_MS))) ?? 0;
  return { exports, reports, files: keys.length, abandoned };
}
