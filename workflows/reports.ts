/**
 * Health reports (src/reports): one job per report. A POST records the report and starts the job with its id; a
 * scheduled report's calendar slot (src/reports/report-schedules.ts) starts it with the user and the kind, and its
 * first activity records the report of the period that just ended. Deterministic: activities read the clock and
 * the data.
 */
export type HealthReportInput = { reportId: string } | { userId: string; period: 'weekly' | 'monthly' };

export interface HealthReportOutcome {
  /** completed: made now or by an earlier attempt; gone: the report (or the scheduled report's user) no longer exists. */
  status: 'completed' | 'gone';
  reportId: string | null;
  /** The StoredFile id of each format. */
  files: Record<string, string>;
}

export interface ReportActivities {
  /** A scheduled slot: records (once per job) the report of the last complete week or month in the user's zone. */
  openScheduledReport(input: { userId: string; period: 'weekly' | 'monthly'; jobId: string }): Promise<{ reportId: string | null }>;
  /** Computes the report, stores its files, and in one transaction marks it completed and emits report.completed. */
  generateReport(input: { reportId: string }): Promise<HealthReportOutcome>;
  /**
   * Marks it failed and emits report.failed (unless it completed meanwhile) — once the job will not run again: on the
   * local runner, which retries the whole job, only after its last attempt (Temporal runs this after the activity's
   * retries are spent).
   */
  failReport(input: { reportId: string; error: string; jobId?: string }): Promise<void>;
}

function messageOf(error: unknown): string {
  // Temporal wraps an activity's error (ActivityFailure, its cause the ApplicationFailure with the message).
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error && cause.message) return cause.message;
  return error instanceof Error ? error.message : String(error);
}

export async function runHealthReport(
  input: HealthReportInput,
  activities: Pick<ReportActivities, 'openScheduledReport' | 'generateReport' | 'failReport'>,
  engine: { jobId: string },
): Promise<HealthReportOutcome> {
  const reportId =
    'reportId' in input ? input.reportId : (await activities.openScheduledReport({ ...input, jobId: engine.jobId })).reportId;
  if (reportId === null) return { status: 'gone', reportId: null, files: {} };
  try {
    return await activities.generateReport({ reportId });
  } catch (error) {
    await activities.failReport({ reportId, error: messageOf(error), jobId: engine.jobId });
    throw error;
  }
}

/** A job whose last attempt was lost (src/jobs/local-runner.ts): its report, the scheduled slot's too, is failed. */
export async function giveUpHealthReport(
  input: HealthReportInput,
  activities: Pick<ReportActivities, 'openScheduledReport' | 'failReport'>,
  engine: { jobId: string },
  error: string,
): Promise<void> {
  const reportId =
    'reportId' in input ? input.reportId : (await activities.openScheduledReport({ ...input, jobId: engine.jobId })).reportId;
  if (reportId !== null) await activities.failReport({ reportId, error, jobId: engine.jobId });
}
