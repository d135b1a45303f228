import type { HealthReportOutcome, ReportActivities } from '../../workflows/reports.js';
import type { ServiceContext } from '../context.js';
import { emit } from '../domain-events/emit.js';
import { saveGeneratedFile } from '../files/stored-files.js';
import type { FileStorage } from '../files/storage.js';
import type { Platform } from '../jobs/platform.js';
import { newId } from '../lib/ids.js';
import { localDay } from '../lib/time.js';
import { reportContent } from './report-content.js';
import { reportCharts, reportHtml, reportPdf } from './report-render.js';
import { lastCompletePeriod, REPORT_CONTENT_TYPES, REPORT_FORMATS, REPORT_RETENTION_DAYS, type ReportFormat } from './reports.js';

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const DAY_MS = 86_400_000;

/** The file name of a report's format: the same on every attempt, so a retry finds what an earlier one left. */
export const reportFileName = (reportId: string, from: string, to: string, format: ReportFormat) =>
  `vitasync-health-report-${from}-to-${to}-${reportId}.${format}`;

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

function requireStorage(platform: Platform): FileStorage {
  if (!platform.storage) throw new Error('the job engine was started without file storage: reports cannot be written');
  return platform.storage;
}

/** The healthReport workflow's activities (workflows/reports.ts). */
export function createReportActivities(platform: Platform): ReportActivities {
  return {
    async openScheduledReport({ userId, period, jobId }) {
      const found = await platform.db.healthReport.findUnique({ where: { jobId } });
      if (found) return { reportId: found.id };
      const user = await platform.db.user.findUnique({ where: { id: userId } });
      if (!user) return { reportId: null };
      const range = lastCompletePeriod(period, localDay(user.timezone, platform.clock.now()));
      const id = newId();
      try {
        await platform.db.healthReport.create({
          data: {
            id,
            workspaceId: user.workspaceId,
            userId: user.id,
            jobId,
            period,
            from: new Date(`${range.from}T00:00:00Z`),
            to: new Date(`${range.to}T00:00:00Z`),
            timezone: user.timezone,
            formats: [...REPORT_FORMATS],
            scheduled: true,
            createdAt: platform.clock.now(),
          },
        });
        return { reportId: id };
      } catch (error) {
        // Two attempts of the same slot: the first one's record stands (jobId is unique).
        const again = await platform.db.healthReport.findUnique({ where: { jobId } });
        if (again) return { reportId: again.id };
        throw error;
      }
    },

    async generateReport({ reportId }): Promise<HealthReportOutcome> {
      const report = await platform.db.healthReport.findUnique({ where: { id: reportId } });
      if (!report) return { status: 'gone', reportId, files: {} };
      if (report.status === 'completed') return { status: 'completed', reportId, files: report.files as Record<string, string> };
      const storage = requireStorage(platform);
      const ctx: ServiceContext = { ...platform, workspaceId: report.workspaceId, storage };
      await platform.db.healthReport.update({ where: { id: reportId }, data: { status: 'running', error: null } });
      const from = isoDay(report.from);
      const to = isoDay(report.to);
      const formats = report.formats as ReportFormat[];
      const names = formats.map((format) => reportFileName(report.id, from, to, format));
      // What an earlier attempt stored before it died: removed, so the report ends with one file per format.
      const leftovers = await platform.db.storedFile.findMany({ where: { userId: report.userId, name: { in: names } } });
      for (const file of leftovers) {
        await storage.delete(file.storageKey).catch(() => undefined);
        await platform.db.storedFile.delete({ where: { id: file.id } }).catch(() => undefined);
      }
      // The zone the report was asked in: its days are that zone's days.
      const document = await reportContent(ctx, { id: report.userId, timezone: report.timezone }, report.id, {
        period: report.period as 'weekly' | 'monthly' | 'custom',
        from,
        to,
      });
      const charts = formats.some((format) => format !== 'json') ? await reportCharts(document) : [];
      const bodies: Record<ReportFormat, () => AsyncIterable<Uint8Array>> = {
        json: () => once(Buffer.from(JSON.stringify(document, null, 2))),
        html: () => once(Buffer.from(reportHtml(document, charts))),
        pdf: () => reportPdf(document, charts),
      };
      const files: Partial<Record<ReportFormat, string>> = {};
      for (const [index, format] of formats.entries()) {
        const stored = await saveGeneratedFile(ctx, storage, {
          userId: report.userId,
          name: names[index]!,
          contentType: REPORT_CONTENT_TYPES[format],
          body: bodies[format](),
        });
        files[format] = stored.id;
      }
      const now = platform.clock.now();
      const completed = await platform.db.$transaction(async (tx) => {
        const { count } = await tx.healthReport.updateMany({
          where: { id: reportId, status: { not: 'completed' } },
          data: {
            status: 'completed',
            error: null,
            files,
            fileId: files[formats[0]!] ?? null,
            completedAt: now,
            expiresAt: new Date(now.getTime() + REPORT_RETENTION_DAYS * DAY_MS),
          },
        });
        if (count === 0) return false;
        await emit(tx, {
          workspaceId: report.workspaceId,
          type: 'report.completed',
          payload: {
            reportId: report.id,
            userId: report.userId,
            jobId: report.jobId,
            period: report.period,
            from,
            to,
            formats,
            files,
            scheduled: report.scheduled,
          },
          occurredAt: now,
        });
        return true;
      });
      if (!completed) {
        // Another attempt finished first: its files are the report's; these are spare.
        for (const id of Object.values(files)) {
          const file = await platform.db.storedFile.findUnique({ where: { id } });
          if (file) {
            await storage.delete(file.storageKey).catch(() => undefined);
            await platform.db.storedFile.delete({ where: { id } }).catch(() => undefined);
          }
        }
        const done = await platform.db.healthReport.findUnique({ where: { id: reportId } });
        return { status: 'completed', reportId, files: (done?.files ?? {}) as Record<string, string> };
      }
      return { status: 'completed', reportId, files: files as Record<string, string> };
    },

    async failReport({ reportId, error, jobId }) {
      // The local runner's job row: an attempt before its last is retried as a whole (src/jobs/local-runner.ts), so
      // the report is not failed yet. Temporal keeps no such row and calls this once, after its retries.
      const job = jobId ? await platform.db.job.findUnique({ where: { id: jobId } }) : null;
      if (job && job.attempt < job.maxAttempts) return;
      await platform.db.$transaction(async (tx) => {
        const report = await tx.healthReport.findUnique({ where: { id: reportId } });
        if (!report || report.status === 'completed') return;
        await tx.healthReport.update({ where: { id: reportId }, data: { status: 'failed', error: error.slice(0, 2000) } });
        await emit(tx, {
          workspaceId: report.workspaceId,
          type: 'report.failed',
          payload: {
            reportId: report.id,
            userId: report.userId,
            jobId: report.jobId,
            period: report.period,
            from: isoDay(report.from),
            to: isoDay(report.to),
            error,
          },
          occurredAt: platform.clock.now(),
        });
      });
    },
  };
}
