/**
 * A small workflow to watch the engines work: it sleeps (a durable timer) and then runs one activity. Tests start
 * it to check timers, retries and schedules on both engines; the bench fires it from schedules to time them.
 * Deterministic: only activities and sleep.
 */
export interface ProbeInput {
  /** Sleep first, in milliseconds (0: none). */
  sleepMs?: number;
  /** Make the activity fail: `retryable` with a plain error, `non-retryable` with a non-retryable ApplicationFailure. */
  failure?: 'retryable' | 'non-retryable';
  /** Free text logged by the activity, to tell probes apart. */
  label?: string;
}

export interface ProbeResult {
  /** When the activity ran (ISO). */
  ranAt: string;
}

export interface ProbeActivities {
  /** Logs "probe ran" with the job id (tests count the lines) and answers when it ran; or fails as asked. */
  probe(input: { jobId: string; failure?: ProbeInput['failure']; label?: string }): Promise<ProbeResult>;
}

export async function runProbe(
  input: ProbeInput,
  activities: ProbeActivities,
  engine: { jobId: string; sleep(ms: number): Promise<void> },
) {
  if (input.sleepMs) await engine.sleep(input.sleepMs);
  return activities.probe({ jobId: engine.jobId, failure: input.failure, label: input.label });
}
