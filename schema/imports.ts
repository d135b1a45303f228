import { IMPORT_FORMATS } from '../src/imports/import-record.js';
import { createImport, getImport, IMPORT_STATUSES, listImports, REJECTION_EXAMPLES, type ImportView } from '../src/imports/imports.js';
import { rule, ULID_RULE } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const ImportStatusEnum = builder.enumType('ImportStatus', {
  description: 'queued: waiting for the job; running: reading the file; completed: everything stored; failed: see error.',
  values: IMPORT_STATUSES,
});

const ImportFormatEnum = builder.enumType('ImportFormat', {
  description:
    'apple_health: an Apple Health export (export.zip as the Health app shares it, or its export.xml); fit: a FIT activity file; ' +
    'gpx: GPX 1.1 tracks; tcx: Garmin Training Center XML.',
  values: IMPORT_FORMATS,
});

const SkippedType = builder.objectRef<ImportView['skipped'][number]>('ImportSkippedType').implement({
  description: 'Records of a type the import does not map, with how many.',
  fields: (t) => ({ type: t.exposeString('type'), count: t.exposeInt('count') }),
});

const RejectionCount = builder.objectRef<ImportView['rejections'][number]>('ImportRejectionCount').implement({
  description: 'Refused records of one kind ("<type>: <reason>", numbers shown as N), with how many.',
  fields: (t) => ({ reason: t.exposeString('reason'), count: t.exposeInt('count') }),
});

const RejectionExample = builder.objectRef<ImportView['rejectionExamples'][number]>('ImportRejectionExample').implement({
  description: 'A refused record: its number in the file (1-based, in reading order), its type and why.',
  fields: (t) => ({ record: t.exposeInt('record'), type: t.exposeString('type'), reason: t.exposeString('reason') }),
});

export const DataImportType = builder.objectRef<ImportView>('DataImport').implement({
  description:
    'An import of an uploaded file into the user’s samples and events, through the ingestion service (beyond the contract). ' +
    'Counts grow while it runs (one batch of at most 5,000 samples at a time) and are final once completed.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    fileId: t.exposeID('fileId', { description: 'The upload read (POST /v1/users/:userId/uploads).' }),
    format: t.field({ type: ImportFormatEnum, resolve: (i) => i.format }),
    status: t.field({ type: ImportStatusEnum, resolve: (i) => i.status }),
    jobId: t.exposeString('jobId', { description: 'The import job: GET /v1/jobs/:jobId.' }),
    error: t.exposeString('error', { nullable: true, description: 'Why it failed; null unless failed.' }),
    recordsRead: t.exposeInt('recordsRead', {
      description: 'Records of the file read: Apple Health Record and Workout elements, FIT record messages, GPX/TCX trackpoints.',
    }),
    samplesStored: t.exposeInt('samplesStored', { description: 'Samples stored new (or correcting a stored value of the same key).' }),
    eventsStored: t.exposeInt('eventsStored', { description: 'Workouts and sleep sessions stored new (or updated).' }),
    duplicates: t.exposeInt('duplicates', {
      description:
        'Samples and events already stored: the same source, device, metric and time (synced by the device’s provider or an ' +
        'earlier import), or a workout starting within 60 s of a stored one.',
    }),
    skipped: t.field({
      type: [SkippedType],
      description: 'Records of types not mapped to a metric, by type, most first.',
      resolve: (i) => i.skipped,
    }),
    rejected: t.exposeInt('rejected', { description: 'Records refused (the sum of rejections).' }),
    rejections: t.field({ type: [RejectionCount], description: 'Refused records by reason, most first.', resolve: (i) => i.rejections }),
    rejectionExamples: t.field({
      type: [RejectionExample],
      description: `The first ${REJECTION_EXAMPLES} refused records.`,
      resolve: (i) => i.rejectionExamples,
    }),
    createdAt: t.field({ type: 'DateTime', resolve: (i) => i.createdAt }),
    startedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => i.startedAt }),
    completedAt: t.field({ type: 'DateTime', nullable: true, description: 'When it completed or failed.', resolve: (i) => i.completedAt }),
  }),
});

const DataImportPage = pageType('DataImportPage', DataImportType, 'A page of imports, newest first.');

builder.queryFields((t) => ({
  imports: t.field({
    type: DataImportPage,
    description: 'The user’s imports, newest first.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listImports(serviceContext(ctx), String(userId), page),
  }),
  import: t.field({
    type: DataImportType,
    description: 'An import with its progress and counts.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), importId: t.arg.id({ required: true }) },
    resolve: (_root, { userId, importId }, ctx) => getImport(serviceContext(ctx), String(userId), String(importId)),
  }),
}));

builder.mutationFields((t) => ({
  createImport: t.field({
    type: DataImportType,
    description:
      'Import a file uploaded with POST /v1/users/:userId/uploads (REST answers 202): the dataImport job reads it in the ' +
      'background; follow it here or at GET /v1/jobs/:jobId. import.completed (or import.failed) announces the end.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      fileId: t.arg.string({ required: true, description: 'The uploaded file (a ULID).', ...rule(ULID_RULE) }),
      format: t.arg({
        type: ImportFormatEnum,
        description:
          'Omitted: told from the file name’s extension (.zip/.xml → apple_health, .fit, .gpx, .tcx), else from its first ' +
          'bytes (zip, FIT header, XML root element); 422 when neither tells.',
      }),
    },
    resolve: (_root, { userId, fileId, format }, ctx) => createImport(serviceContext(ctx), String(userId), { fileId, format }),
  }),
}));
