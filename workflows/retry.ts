/**
 * Named retry profiles. A workflow names one in the registry; Temporal applies it to the workflow's activities
 * (their retry policy), the local runner to the job as a whole (it retries a failed run from its checkpoints).
 * Pure data: the workflow sandbox imports it.
 */
export interface RetryProfile {
  /** Wait before the second attempt. */
  initialIntervalMs: number;
  backoffCoefficient: number;
  /** Longest wait between two attempts. */
  maximumIntervalMs: number;
  /** Attempts in all, the first included (Temporal: per activity). */
  maximumAttempts: number;
  /** Attempts of a whole job on the local runner, when it differs from maximumAttempts. */
  jobAttempts?: number;
  /** How long one activity attempt may run (Temporal's startToCloseTimeout). */
  attemptTimeoutMs: number;
  /**
   * A fixed schedule the workflow applies itself between attempts of its business operation (the wait before each
   * attempt, the first included), with durable timers; the fields above then only retry the activity's own failures.
   */
  scheduleMs?: readonly number[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const RETRY_PROFILES = {
  /**
   * Syncs, as before the registry: provider and database hiccups retried from 2 s doubling to 5 min. Temporal
   * retries the failing page (10 attempts); the local runner the whole sync from its checkpoints (5 attempts).
   */
  sync: {
    initialIntervalMs: 2 * SECOND,
    backoffCoefficient: 2,
    maximumIntervalMs: 5 * MINUTE,
    maximumAttempts: 10,
    jobAttempts: 5,
    attemptTimeoutMs: 5 * MINUTE,
  },
  /**
   * Webhook deliveries. The receiver's failures follow `scheduleMs`, the Standard Webhooks schedule, applied by the
   * delivery workflow itself with durable timers (workflows/delivery.ts): attempts immediately, then 5 s, 5 min,
   * 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h after the previous one (each wait ±10% jitter) — ten attempts over
   * about 3 days 3 hours. The engine's own retries below only cover the attempt activity failing to run
   * (database unreachable, worker lost), never a receiver's answer.
   */
  delivery: {
    initialIntervalMs: SECOND,
    backoffCoefficient: 2,
    maximumIntervalMs: MINUTE,
    maximumAttempts: 10,
    // The attempt's HTTP deadline is 15 s (WEBHOOK_TIMEOUT_MS); the rest is database work around it.
    attemptTimeoutMs: 45 * SECOND,
    scheduleMs: [0, 5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 14 * HOUR, 20 * HOUR, 24 * HOUR],
  },
  /**
   * Notification rules and digests. A channel's refusal is an outcome (logged, not retried); these retries only
   * cover the activity failing to run. Ten channels at 15 s each fit in one attempt.
   */
  notification: {
    initialIntervalMs: SECOND,
    backoffCoefficient: 2,
    maximumIntervalMs: MINUTE,
    maximumAttempts: 5,
    attemptTimeoutMs: 5 * MINUTE,
  },
  /**
   * Health reports: a database or storage hiccup retried from 2 s doubling to 1 min, 5 attempts; one attempt computes
   * the report and writes its files (seconds for a year of days).
   */
  report: {
    initialIntervalMs: 2 * SECOND,
    backoffCoefficient: 2,
    maximumIntervalMs: MINUTE,
    maximumAttempts: 5,
    attemptTimeoutMs: 5 * MINUTE,
  },
  /**
   * Data exports: one long activity (a user-year of 3-second heart rate takes minutes), its heartbeat (workflows/
   * heartbeats.ts) telling a lost worker within seconds. 5 s doubling to 2 min, 5 attempts on both engines (the same
   * count, so the activity can tell its last attempt: src/exports/export-activities.ts).
   */
  export: {
    initialIntervalMs: 5 * SECOND,
    backoffCoefficient: 2,
    maximumIntervalMs: 2 * MINUTE,
    maximumAttempts: 5,
    attemptTimeoutMs: 2 * HOUR,
  },
  /**
   * Imports (src/imports): a run reads a whole file, up to a 1 GB Apple Health export (an hour or more), so an
   * attempt may take 6 hours; retried from 5 s doubling to 5 min, 4 attempts, each resuming after the last batch stored.
   */
  import: {
    initialIntervalMs: 5 * SECOND,
    backoffCoefficient: 2,
    maximumIntervalMs: 5 * MINUTE,
    maximumAttempts: 4,
    attemptTimeoutMs: 6 * HOUR,
  },
  /** Short work that is cheap to give up on (probes, housekeeping): 1 s doubling to 5 s, 3 attempts. */
  probe: {
    initialIntervalMs: SECOND,
    backoffCoefficient: 2,
    maximumIntervalMs: 5 * SECOND,
    maximumAttempts: 3,
    attemptTimeoutMs: MINUTE,
  },
} as const satisfies Record<string, RetryProfile>;

export type RetryProfileName = keyof typeof RETRY_PROFILES;

/** The wait after failed attempt `attempt` (1-based), as Temporal computes it. */
export function retryDelayMs(profile: RetryProfile, attempt: number): number {
  return Math.min(profile.maximumIntervalMs, profile.initialIntervalMs * profile.backoffCoefficient ** (attempt - 1));
}

/** Every wait between the attempts of a profile: their sum is how long it keeps trying. */
export function retryDelaysMs(profile: RetryProfile, attempts = profile.maximumAttempts): number[] {
  return Array.from({ length: attempts - 1 }, (_, index) => retryDelayMs(profile, index + 1));
}

/** Attempts of a whole job on the local runner, which retries a failed run as a whole. */
export function jobAttempts(profile: RetryProfile): number {
  return profile.jobAttempts ?? profile.maximumAttempts;
}
