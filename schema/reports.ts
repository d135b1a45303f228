import { rule } from '../src/lib/input-rules.js';
import {
  MAX_REPORT_DAYS,
  REPORT_FORMATS,
  REPORT_PERIODS,
  REPORT_RETENTION_DAYS,
  REPORT_STATUSES,
  listReports,
  requestReport,
  type ReportFileView,
  type ReportView,
} from '../src/reports/reports.js';
import { getReportSchedule, REPORT_SCHEDULE_TIME, updateReportSchedule, type ReportScheduleView } from '../src/reports/report-schedules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { StoredFileType } from './files.js';
import { pageArgs, pageType } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const SCHEDULE_TIME = `${String(REPORT_SCHEDULE_TIME.hour).padStart(2, '0')}:${String(REPORT_SCHEDULE_TIME.minute).padStart(2, '0')}`;

const ReportStatusEnum = builder.enumType('ReportStatus', {
  description: 'queued: recorded, its job not started; running; completed: its files are ready; failed: see error.',
  values: REPORT_STATUSES,
});
const ReportPeriodEnum = builder.enumType('ReportPeriod', {
  description: 'weekly: an ISO week (Monday–Sunday); monthly: a calendar month; custom: from–to. Local days in the user’s zone.',
  values: REPORT_PERIODS,
});
const ReportFormatEnum = builder.enumType('ReportFormat', {
  description:
    'json: the report document (every figure with its days and sources); html: a self-contained readable document with ' +
    'inline SVG charts (Vega-Lite); pdf: the same, laid out by pdfkit with the charts as vectors (svg-to-pdfkit).',
  values: REPORT_FORMATS,
});

const ReportFileType = builder.objectRef<ReportFileView>('ReportFile').implement({
  description: 'One format of a report and its stored file.',
  fields: (t) => ({
    format: t.field({ type: ReportFormatEnum, resolve: (entry) => entry.format }),
    file: t.field({ type: StoredFileType, resolve: (entry) => entry.file }),
  }),
});

const HealthReportType = builder.objectRef<ReportView>('HealthReport').implement({
  description:
    'A health report of a period of local days: health scores at its last day against the previous period’s, trends of ' +
    'daily means against the previous period of the same length, activity totals, personal records and anomalies of ' +
    'its days, sleep (average, efficiency, debt) and training load (CTL, ATL, TSB), all from the analytics services.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    jobId: t.exposeID('jobId', { description: 'The healthReport job (GET /v1/jobs/:jobId).' }),
    status: t.field({ type: ReportStatusEnum, resolve: (report) => report.status }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed; null unless failed.' }),
    period: t.field({ type: ReportPeriodEnum, resolve: (report) => report.period }),
    from: t.exposeString('from', { description: 'First local day (YYYY-MM-DD).' }),
    to: t.exposeString('to', { description: 'Last local day, inclusive.' }),
    days: t.exposeInt('days', { description: 'Local days from–to.' }),
    timezone: t.exposeString('timezone', { description: 'The user’s zone when the report was asked for: its days are this zone’s.' }),
    formats: t.field({ type: [ReportFormatEnum], resolve: (report) => report.formats }),
    scheduled: t.exposeBoolean('scheduled', { description: 'Made by the user’s report schedule (PUT …/report-schedule).' }),
    file: t.field({
      type: StoredFileType,
      nullable: true,
      description: 'The first format’s file (json when asked for); null until completed and after expiresAt.',
      resolve: (report) => report.file,
    }),
    files: t.field({
      type: [ReportFileType],
      description: 'Every format’s file with its size and signed download URL; empty until completed and after expiresAt.',
      resolve: (report) => report.files,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    expiresAt: t.expose('expiresAt', {
      type: 'DateTime',
      nullable: true,
      description: `Its files are offered until then: ${REPORT_RETENTION_DAYS} days after completion.`,
    }),
  }),
});

const HealthReportPage = pageType('HealthReportPage', HealthReportType, 'A page of a user’s health reports, newest first.');

const ReportScheduleType = builder.objectRef<ReportScheduleView>('ReportSchedule').implement({
  description: `A user’s scheduled reports: weekly on Mondays, monthly on the 1st, at ${SCHEDULE_TIME} in the user’s zone, each of the period that just ended.`,
  fields: (t) => ({
    userId: t.exposeID('userId'),
    timezone: t.exposeString('timezone'),
    weekly: t.exposeBoolean('weekly'),
    monthly: t.exposeBoolean('monthly'),
    weeklyNextRunAt: t.expose('weeklyNextRunAt', { type: 'DateTime', nullable: true }),
    monthlyNextRunAt: t.expose('monthlyNextRunAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  healthReports: t.field({
    type: HealthReportPage,
    description: 'List generated health reports, newest first: status, formats, file sizes and download URLs, expiry.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listReports(serviceContext(ctx), String(userId), page),
  }),
  reportSchedule: t.field({
    type: ReportScheduleType,
    description: 'The user’s scheduled weekly and monthly reports.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, { userId }, ctx) => getReportSchedule(serviceContext(ctx), String(userId)),
  }),
}));

builder.mutationFields((t) => ({
  generateHealthReport: t.field({
    type: HealthReportType,
    description:
      'Generate a health report (REST answers 202): the record, queued, with its job; the healthReport workflow makes its ' +
      'files and emits report.completed. weekly / monthly: the week or month holding `date`, default the last complete one ' +
      `in the user’s zone; custom: from–to, at most ${MAX_REPORT_DAYS} days. No period may end after the user’s today.`,
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      period: t.arg({ type: ReportPeriodEnum, required: true, ...rule({ enum: REPORT_PERIODS }) }),
      date: t.arg.string({ description: 'weekly / monthly: a day of the week or month to report (YYYY-MM-DD).', ...DAY_RULE }),
      from: t.arg.string({ description: 'custom: first local day (YYYY-MM-DD).', ...DAY_RULE }),
      to: t.arg.string({ description: 'custom: last local day, inclusive.', ...DAY_RULE }),
      formats: t.arg({
        type: [ReportFormatEnum],
        description: 'Default all three.',
        ...rule({ enum: REPORT_FORMATS }),
      }),
    },
    resolve: (_root, { userId, ...request }, ctx) => requestReport(serviceContext(ctx), String(userId), request),
  }),
  updateReportSchedule: t.field({
    type: ReportScheduleType,
    description: `Turn the user’s weekly (Mondays) and monthly (1st) reports on or off; made at ${SCHEDULE_TIME} in the user’s zone, of the period that just ended, in every format.`,
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      weekly: t.arg.boolean({ description: 'On or off; absent: unchanged.' }),
      monthly: t.arg.boolean({ description: 'On or off; absent: unchanged.' }),
    },
    resolve: (_root, { userId, ...change }, ctx) => updateReportSchedule(serviceContext(ctx), String(userId), change),
  }),
}));
