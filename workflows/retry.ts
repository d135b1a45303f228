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
   * Webhook deliveries: a receiver down for a weekend still gets its events. 1 min doubling to 6 h, 20 attempts:
   * the last one about 2.9 days after the first (retryDelaysMs sums the waits; a test holds it near three days).
   */
  delivery: {
    initialIntervalMs: MINUTE,
    backoffCoefficient: 2,
    maximumIntervalMs: 6 * HOUR,
    maximumAttempts: 20,
    attemptTimeoutMs: MINUTE,
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
