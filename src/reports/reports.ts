import type { ServiceContext } from '../context.js';
import { fileView, type FileView } from '../files/stored-files.js';
import type { HealthReport, Prisma } from '../generated/prisma/client.js';
import { newId } from '../lib/ids.js';
import { BadRequest, Invalid, NotFound } from '../lib/errors.js';
import { paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { periodDays, type ReportPeriod } from './report-content.js';

export const REPORT_PERIODS = ['weekly', 'monthly', 'custom'] as const;
export type ReportPeriodKind = (typeof REPORT_PERIODS)[number];
export const REPORT_FORMATS = ['json', 'html', 'pdf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** The shared status values of exports, reports and imports. */
export const REPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];
/** A custom report covers at most this many local days (a leap year). */
export const MAX_REPORT_DAYS = 366;
/** A report's files are offered this long after it completes (its `expiresAt`). */
export const REPORT_RETENTION_DAYS = 90;

export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
  json: 'application/json',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
};

export interface ReportRequest {
  period: ReportPeriodKind;
  /** custom: the first and last local day, inclusive. */
  from?: string | null;
  to?: string | null;
  /** weekly / monthly: a day of the week or month to report; default the last complete one. */
  date?: string | null;
  formats?: readonly ReportFormat[] | null;
}

export interface ReportFileView {
  format: ReportFormat;
  file: FileView;
}

export interface ReportView {
  id: string;
  userId: string;
  jobId: string;
  status: ReportStatus;
  error: string | null;
  period: ReportPeriodKind;
  from: string;
  to: string;
  days: number;
  timezone: string;
  formats: ReportFormat[];
  scheduled: boolean;
  /** The first asked format's file (json when asked), once completed and until expiresAt. */
  file: FileView | null;
  files: ReportFileView[];
  createdAt: Date;
  completedAt: Date | null;
  expiresAt: Date | null;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
/** ISO weekday of a local day: 1 = Monday … 7 = Sunday. */
const isoWeekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay() || 7;

/** The ISO week (Monday–Sunday) holding `day`. */
export function weekOf(day: string): { from: string; to: string } {
  const from = addDays(day, 1 - isoWeekday(day));
  return { from, to: addDays(from, 6) };
}

/** The calendar month holding `day`. */
export function monthOf(day: string): { from: string; to: string } {
  const from = `${day.slice(0, 8)}01`;
  const next = new Date(`${from}T00:00:00Z`);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return { from, to: addDays(isoDay(next), -1) };
}

/**
 * The period that ended last before `today` (a local day): the last complete ISO week (the one before today's) or
 * calendar month. What a scheduled report covers, and a weekly / monthly POST without `date`.
 */
export function lastCompletePeriod(kind: 'weekly' | 'monthly', today: string): ReportPeriod {
  return kind === 'weekly'
    ? { period: kind, ...weekOf(addDays(weekOf(today).from, -1)) }
    : { period: kind, ...monthOf(addDays(monthOf(today).from, -1)) };
}

/** Checks a request and finds its period's days in the user's zone. */
export function resolvePeriod(request: ReportRequest, today: string): ReportPeriod {
  const { period } = request;
  if (!(REPORT_PERIODS as readonly string[]).includes(period)) throw new Invalid(`period must be one of ${REPORT_PERIODS.join(', ')}`);
  if (period === 'custom') {
    if (request.date != null) throw new Invalid('date is for weekly and monthly reports; a custom report takes from and to');
    if (request.from == null || request.to == null) throw new Invalid('a custom report needs from and to (YYYY-MM-DD, inclusive)');
    const from = checkDay('from', request.from);
    const to = checkDay('to', request.to);
    if (from > to) throw new BadRequest('from must not be after to');
    if (periodDays(from, to) > MAX_REPORT_DAYS) throw new Invalid(`a custom report covers at most ${MAX_REPORT_DAYS} days`);
    if (to > today) throw new Invalid(`to must not be after the user's today (${today})`);
    return { period, from, to };
  }
  if (request.from != null || request.to != null) {
    throw new Invalid(
      `from and to are for custom reports; a ${period} report takes an optional date within the ${period === 'weekly' ? 'week' : 'month'}`,
    );
  }
  if (request.date == null) return lastCompletePeriod(period, today);
  const date = checkDay('date', request.date);
  const range = period === 'weekly' ? weekOf(date) : monthOf(date);
  if (range.to > today) {
    throw new Invalid(
      `the ${period === 'weekly' ? 'week' : 'month'} of date ends ${range.to}, after the user's today (${today}): not complete yet`,
    );
  }
  return { period, ...range };
}

export function resolveFormats(formats: readonly string[] | null | undefined): ReportFormat[] {
  if (formats == null) return [...REPORT_FORMATS];
  if (formats.length === 0) throw new Invalid(`formats must name at least one of ${REPORT_FORMATS.join(', ')}`);
  const unknown = formats.find((format) => !(REPORT_FORMATS as readonly string[]).includes(format));
  if (unknown !== undefined) throw new Invalid(`formats: "${unknown}" is not one of ${REPORT_FORMATS.join(', ')}`);
  return REPORT_FORMATS.filter((format) => formats.includes(format));
}

export const reportJobId = (reportId: string) => `health-report:${reportId}`;

/** Records a report (queued) and starts its healthReport job; answers the record (REST 202). */
export async function requestReport(ctx: ServiceContext, userId: string, request: ReportRequest): Promise<ReportView> {
  const user = await getUser(ctx, userId);
  const period = resolvePeriod(request, localDay(user.timezone, ctx.clock.now()));
  const formats = resolveFormats(request.formats);
  const id = newId();
  const report = await ctx.db.healthReport.create({
    data: {
      id,
      workspaceId: ctx.workspaceId,
      userId: user.id,
      jobId: reportJobId(id),
      period: period.period,
      from: new Date(`${period.from}T00:00:00Z`),
      to: new Date(`${period.to}T00:00:00Z`),
      timezone: user.timezone,
      formats,
      createdAt: ctx.clock.now(),
    },
  });
  await ctx.jobs.start('healthReport', { reportId: id }, { id: report.jobId, workspaceId: ctx.workspaceId });
  return (await reportViews(ctx, [report]))[0]!;
}

/** A user's reports, newest first. */
export async function listReports(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<ReportView>> {
  const user = await getUser(ctx, userId);
  const where = { userId: user.id };
  const page = await paginate(args, {
    list: `reports:${user.id}`,
    count: () => ctx.db.healthReport.count({ where }),
    fetch: ({ take, skip, after }) =>
      ctx.db.healthReport.findMany({
        where: after ? { AND: [where, { id: { lt: String(after[0]) } }] } : where,
        orderBy: { id: 'desc' },
        take,
        skip: after ? 0 : skip,
      }),
    keyOf: (report) => [report.id],
  });
  return { ...page, data: await reportViews(ctx, page.data) };
}

export async function getReport(ctx: ServiceContext, userId: string, reportId: string): Promise<ReportView> {
  const user = await getUser(ctx, userId);
  const report = await ctx.db.healthReport.findFirst({ where: { id: reportId, userId: user.id } });
  if (!report) throw new NotFound(`report ${reportId} not found`);
  return (await reportViews(ctx, [report]))[0]!;
}

/** The one serializer of reports: their files (one query for the lot) with signed URLs while not expired. */
export async function reportViews(ctx: ServiceContext, reports: readonly HealthReport[]): Promise<ReportView[]> {
  const now = ctx.clock.now().getTime();
  const offered = (report: HealthReport) =>
    report.status === 'completed' && (report.expiresAt === null || report.expiresAt.getTime() > now);
  const ids = reports.filter(offered).flatMap((report) => Object.values(report.files as Record<string, string>));
  const files = ids.length ? await ctx.db.storedFile.findMany({ where: { id: { in: ids }, workspaceId: ctx.workspaceId } }) : [];
  const byId = new Map(files.map((file) => [file.id, file]));
  return reports.map((report) => {
    const fileIds = report.files as Partial<Record<ReportFormat, string>>;
    const views: ReportFileView[] = offered(report)
      ? (report.formats as ReportFormat[]).flatMap((format) => {
          const file = fileIds[format] ? byId.get(fileIds[format]) : undefined;
          return file ? [{ format, file: fileView(ctx, file) }] : [];
        })
      : [];
    const from = isoDay(report.from);
    const to = isoDay(report.to);
    return {
      id: report.id,
      userId: report.userId,
      jobId: report.jobId,
      status: report.status as ReportStatus,
      error: report.error,
      period: report.period as ReportPeriodKind,
      from,
      to,
      days: periodDays(from, to),
      timezone: report.timezone,
      formats: report.formats as ReportFormat[],
      scheduled: report.scheduled,
      file: views.find((view) => view.file.id === report.fileId)?.file ?? null,
      files: views,
      createdAt: report.createdAt,
      completedAt: report.completedAt,
      expiresAt: report.expiresAt,
    };
  });
}

/**
 * The GDPR erasure's part (src/health/delete-health.ts): a report is derived health data, so the user's reports and
 * their files' rows go in the erasure's transaction; the caller removes the returned storage keys after the commit.
 * The report schedule is a setting and stays.
 */
export async function deleteReportsOf(tx: Prisma.TransactionClient, userId: string): Promise<string[]> {
  const reports = await tx.healthReport.findMany({ where: { userId }, select: { files: true } });
  const fileIds = reports.flatMap((report) => Object.values(report.files as Record<string, string>));
  const files = fileIds.length ? await tx.storedFile.findMany({ where: { id: { in: fileIds } }, select: { storageKey: true } }) : [];
  await tx.storedFile.deleteMany({ where: { id: { in: fileIds } } });
  await tx.healthReport.deleteMany({ where: { userId } });
  return files.map((file) => file.storageKey);
}
