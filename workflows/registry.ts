/**
 * The workflow registry: every background workflow, declared once. The local runner, the Temporal worker (one
 * dynamic workflow in temporal-workflows.ts), the replay tests, `JobRunner.start` and the `JobWorkflow` enum of
 * `GET /v1/jobs/:jobId` all read this table. Pure: the workflow sandbox bundles it (activity types only).
 *
 * Adding a workflow: write its orchestration over its activities (a pure function, like runProbe), add its
 * activities to workflows/activities.ts, and add one entry here naming them and a retry profile (workflows/retry.ts).
 */
import type { Activities } from './activities.js';
import { runDelivery, type AttemptOutcome, type DeliveryInput } from './delivery.js';
import { runExport, type ExportInput, type ExportOutcome } from './exports.js';
import { runMedicationReminder, type ReminderInput, type ReminderOutcome } from './medications.js';
import { runDigest, runNotify, type DigestInput, type NotifyInput, type NotifyOutcome } from './notifications.js';
import { giveUpHealthReport, runHealthReport, type HealthReportInput, type HealthReportOutcome } from './reports.js';
import { runDataImport, type ImportInput, type ImportOutcome } from './imports.js';
import { runPurgeDomainEvents, runPurgeExpiredFiles, type PurgeDomainEventsResult, type PurgeExpiredFilesResult } from './housekeeping.js';
import { runProbe, type ProbeInput, type ProbeResult } from './probe.js';
import type { RetryProfileName } from './retry.js';
import { runSync, type StreamCounts, type SyncInput } from './sync.js';

export type JobLane = 'work' | 'outbound';

/** What an orchestration gets from its engine besides its input and activities. */
export interface WorkflowEngine {
  /** The job id (Temporal: the workflow id). */
  jobId: string;
  /** A durable timer: Temporal's sleep; on the local runner a stored wake-up time. */
  sleep(ms: number): Promise<void>;
  /** Temporal's patched(); the local runner, which has no old histories to replay, leaves it out. */
  patched?(patchId: string): boolean;
}

export interface WorkflowDeclaration<Input, Result, Uses extends keyof Activities> {
  description: string;
  /** The activities it calls: the local runner hands it these and no others. */
  activities: readonly Uses[];
  retry: RetryProfileName;
  /**
   * The local runner's lane: `outbound` for workflows that mostly wait on someone else's server (webhook
   * deliveries, notifications). Each lane has its own slots (JOB_CONCURRENCY, OUTBOUND_CONCURRENCY), so a slow
   * receiver never holds back a sync and a backlog of syncs never holds back a delivery. Default `work`.
   */
  lane?: JobLane;
  /** The orchestration: deterministic, it only calls its activities and the engine. */
  run(input: Input, activities: Pick<Activities, Uses>, engine: WorkflowEngine): Promise<Result>;
  /**
   * Records the failure the orchestration's own catch would record, for a job whose last attempt never ended: its
   * process was killed or ran out of memory on every attempt. The local runner calls it instead of a further run
   * (which could stop the process again, for ever). Temporal needs none: a lost worker's activity times out and
   * its last failure reaches the orchestration's catch.
   */
  giveUp?(input: Input, activities: Pick<Activities, Uses>, engine: Pick<WorkflowEngine, 'jobId'>, error: string): Promise<unknown>;
}

function declare<Input, Result, Uses extends keyof Activities>(
  declaration: WorkflowDeclaration<Input, Result, Uses>,
): WorkflowDeclaration<Input, Result, Uses> {
  return declaration;
}

export const WORKFLOWS = {
  sync: declare<SyncInput, Record<string, StreamCounts>, 'beginSync' | 'syncPage' | 'finishSync' | 'reportProgress'>({
    description: 'Fetches a connection’s new data from its provider, stream by stream, page by page.',
    activities: ['beginSync', 'syncPage', 'finishSync', 'reportProgress'],
    retry: 'sync',
    run: runSync,
    giveUp: (input, activities, { jobId }, error) => activities.finishSync({ connectionId: input.connectionId, jobId, counts: {}, error }),
  }),
  webhookDelivery: declare<DeliveryInput, AttemptOutcome, 'attemptDelivery'>({
    description: 'Sends one event to one webhook endpoint, retried on the Standard Webhooks schedule until it is taken.',
    activities: ['attemptDelivery'],
    retry: 'delivery',
    lane: 'outbound',
    run: runDelivery,
  }),
  notifyRule: declare<NotifyInput, NotifyOutcome, 'evaluateTrigger' | 'dispatchTrigger'>({
    description: 'Evaluates what may make a notification rule fire and sends it to the rule’s channels, after quiet hours.',
    activities: ['evaluateTrigger', 'dispatchTrigger'],
    retry: 'notification',
    lane: 'outbound',
    run: runNotify,
  }),
  notificationDigest: declare<DigestInput, NotifyOutcome, 'prepareDigest' | 'evaluateTrigger' | 'dispatchTrigger'>({
    description: 'A digest rule’s calendar slot: summarises the period that ended and sends it (src/notifications/digest.ts).',
    activities: ['prepareDigest', 'evaluateTrigger', 'dispatchTrigger'],
    retry: 'notification',
    lane: 'outbound',
    run: runDigest,
  }),
  medicationReminder: declare<ReminderInput, ReminderOutcome, 'remindDose' | 'checkMissedDose'>({
    description:
      'A medication dose time’s calendar slot: announces medication.reminder_due unless the dose is already logged, then ' +
      'at the end of its on-time window medication.dose_missed if it is still not (src/wellness/medications/reminders.ts).',
    activities: ['remindDose', 'checkMissedDose'],
    retry: 'notification',
    lane: 'outbound',
    run: runMedicationReminder,
  }),
  healthReport: declare<HealthReportInput, HealthReportOutcome, 'openScheduledReport' | 'generateReport' | 'failReport'>({
    description:
      'Makes a health report (src/reports): its JSON document, HTML and PDF, stored as files; report.completed (or ' +
      'report.failed). A weekly / monthly calendar slot first records the report of the period that just ended.',
    activities: ['openScheduledReport', 'generateReport', 'failReport'],
    retry: 'report',
    run: runHealthReport,
    giveUp: giveUpHealthReport,
  }),
  dataExport: declare<ExportInput, ExportOutcome, 'writeExport' | 'failExport'>({
    description:
      'Writes a user’s data export: rows streamed from the database in keyset pages through the format’s writer to storage, then ' +
      'the export completed with its counts and export.completed in one transaction (src/exports/export-activities.ts).',
    activities: ['writeExport', 'failExport'],
    retry: 'export',
    run: runExport,
    giveUp: (input, activities, _engine, error) => activities.failExport({ ...input, error }),
  }),
  dataImport: declare<ImportInput, ImportOutcome, 'runImport' | 'failImport'>({
    description:
      'Imports an uploaded Apple Health export, FIT, GPX or TCX file through the ingestion service in batches, resuming after ' +
      'the last stored batch when retried (src/imports).',
    activities: ['runImport', 'failImport'],
    retry: 'import',
    run: runDataImport,
    giveUp: (input, activities, _engine, error) => activities.failImport({ ...input, error }),
  }),
  probe: declare<ProbeInput, ProbeResult, 'probe'>({
    description: 'Sleeps, then runs one activity: a check of timers, retries and schedules on the engine.',
    activities: ['probe'],
    retry: 'probe',
    run: runProbe,
  }),
  purgeDomainEvents: declare<Record<string, never>, PurgeDomainEventsResult, 'purgeDomainEvents'>({
    description: 'Removes dispatched domain events past DOMAIN_EVENT_RETENTION_DAYS; runs daily (src/jobs/housekeeping.ts).',
    activities: ['purgeDomainEvents'],
    retry: 'probe',
    run: runPurgeDomainEvents,
  }),
  purgeExpiredFiles: declare<Record<string, never>, PurgeExpiredFilesResult, 'purgeExpiredFiles'>({
    description: 'Removes exports’ and reports’ files past their expiresAt; runs daily (src/files/expired-files.ts).',
    activities: ['purgeExpiredFiles'],
    retry: 'probe',
    run: runPurgeExpiredFiles,
  }),
};

export type WorkflowName = keyof typeof WORKFLOWS;
export type WorkflowInput<Name extends WorkflowName> = Parameters<(typeof WORKFLOWS)[Name]['run']>[0];

export const WORKFLOW_NAMES = Object.keys(WORKFLOWS) as WorkflowName[];

/** The declaration of a stored or received workflow name; undefined for names this version does not know. */
export function findWorkflow(name: string): WorkflowDeclaration<any, unknown, keyof Activities> | undefined {
  return Object.hasOwn(WORKFLOWS, name)
    ? (WORKFLOWS[name as WorkflowName] as WorkflowDeclaration<any, unknown, keyof Activities>)
    : undefined;
}

/** The workflows of a lane, as the local runner's claim query filters them. */
export function laneWorkflows(lane: JobLane): WorkflowName[] {
  return WORKFLOW_NAMES.filter((name) => ((WORKFLOWS[name] as { lane?: JobLane }).lane ?? 'work') === lane);
}
