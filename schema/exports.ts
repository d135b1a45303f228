import {
  EXPORT_FORMAT_WORDS,
  EXPORT_FORMATS,
  EXPORT_KIND_WORDS,
  EXPORT_KINDS,
  EXPORT_STATUSES,
  type ExportKind,
} from '../src/exports/export-options.js';
import { createExport, listExports, type ExportView, type RowCounts, type SkippedRows } from '../src/exports/exports.js';
import { METRIC_TYPE_RULE } from '../src/health/metric-types.js';
import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { StoredFileType } from './files.js';
import { pageArgs, pageType } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const words = (table: Record<string, string>) =>
  Object.entries(table)
    .map(([id, text]) => `${id}: ${text}`)
    .join('; ');

const ExportStatusEnum = builder.enumType('ExportStatus', {
  description:
    'queued: waiting for its job; running: being written; completed: the file is ready; failed: the last attempt failed (see error).',
  values: EXPORT_STATUSES,
});
const ExportFormatEnum = builder.enumType('ExportFormat', { description: words(EXPORT_FORMAT_WORDS), values: EXPORT_FORMATS });
const ExportKindEnum = builder.enumType('ExportKind', { description: words(EXPORT_KIND_WORDS), values: EXPORT_KINDS });

const RowCountsType = builder.objectRef<RowCounts>('ExportRowCounts').implement({
  description: 'Rows written to the file, per kind (rows left out are counted in skipped instead).',
  fields: (t) => Object.fromEntries(EXPORT_KINDS.map((kind) => [kind, t.exposeInt(kind)])) as Record<ExportKind, any>,
});

const SkippedType = builder.objectRef<SkippedRows>('ExportSkippedRows').implement({
  description: 'Rows the format has no place for (Open mHealth without a schema for the metric, FHIR for non-samples), by reason.',
  fields: (t) => ({
    kind: t.field({ type: ExportKindEnum, resolve: (entry) => entry.kind }),
    reason: t.exposeString('reason'),
    count: t.exposeInt('count'),
  }),
});

const DataExportType = builder.objectRef<ExportView>('DataExport').implement({
  description:
    'A user’s data export: what was asked (format, types, metricTypes, local days from–to in timezone), its job, and once completed ' +
    'its file (downloaded from the signed file.downloadUrl until expiresAt), row counts and skipped rows.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    format: t.field({ type: ExportFormatEnum, resolve: (row) => row.format }),
    types: t.field({ type: [ExportKindEnum], resolve: (row) => row.types }),
    metricTypes: t.exposeStringList('metricTypes', { description: 'Only these metrics’ samples; empty: all.' }),
    from: t.exposeString('from', { nullable: true, description: 'First local day (inclusive); null: from the first data.' }),
    to: t.exposeString('to', { nullable: true, description: 'Last local day (inclusive); null: up to the last data.' }),
    timezone: t.exposeString('timezone', { description: 'The user’s zone when the export was asked for: the days are its local days.' }),
    status: t.field({ type: ExportStatusEnum, resolve: (row) => row.status }),
    jobId: t.exposeString('jobId', { description: 'GET /v1/jobs/{jobId} shows the job.' }),
    attempts: t.exposeInt('attempts', { description: 'Attempts at writing the file so far (a retry rewrites it from the start).' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed; null unless failed.' }),
    rowCounts: t.field({ type: RowCountsType, resolve: (row) => row.rowCounts }),
    rows: t.exposeInt('rows', { description: 'The row counts summed.' }),
    skipped: t.field({ type: [SkippedType], resolve: (row) => row.skipped }),
    size: t.exposeFloat('size', { nullable: true, description: 'Bytes of the file; null until completed.' }),
    file: t.field({
      type: StoredFileType,
      nullable: true,
      description: 'The file, with a signed downloadUrl; null until completed and after expiresAt.',
      resolve: (row) => row.file,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (row) => new Date(row.createdAt) }),
    completedAt: t.field({ type: 'DateTime', nullable: true, resolve: (row) => (row.completedAt ? new Date(row.completedAt) : null) }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'completedAt + EXPORT_RETENTION_DAYS (default 7): the file is offered until then.',
      resolve: (row) => (row.expiresAt ? new Date(row.expiresAt) : null),
    }),
  }),
});
const DataExportPage = pageType('DataExportPage', DataExportType, 'A page of data exports, newest first.');

builder.queryFields((t) => ({
  dataExports: t.field({
    type: DataExportPage,
    description: 'List a user’s data exports, newest first, with status, size, row counts and expiry.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listExports(serviceContext(ctx), String(userId), page),
  }),
}));

builder.mutationFields((t) => ({
  createDataExport: t.field({
    type: DataExportType,
    description:
      'Export a user’s data as a file: answers at once (202) with the export queued and its jobId; the dataExport job streams the ' +
      'rows to storage and completes it (export.completed), or fails it on its last attempt (export.failed).',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      format: t.arg({ type: ExportFormatEnum, required: true }),
      from: t.arg.string({
        description: 'First local day (YYYY-MM-DD, inclusive, the user’s zone); default: from the first data.',
        ...DAY_RULE,
      }),
      to: t.arg.string({
        description: 'Last local day (YYYY-MM-DD, inclusive, the user’s zone); default: up to the last data.',
        ...DAY_RULE,
      }),
      types: t.arg({ type: [ExportKindEnum], description: 'Which data; default all kinds.' }),
      metricTypes: t.arg.stringList({ description: 'Only these metrics’ samples; default all.', ...rule(METRIC_TYPE_RULE) }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createExport(serviceContext(ctx), String(userId), input),
  }),
}));
