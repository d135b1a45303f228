/**
 * Housekeeping: the installation's own periodic work, run as workflows on a daily calendar schedule so that it runs
 * once per installation (not once per API instance) and shows up like any other job. Deterministic: activities only.
 */
import type { PurgeExpiredFilesResult } from '../src/files/expired-files.js';

export type { PurgeExpiredFilesResult };

export interface PurgeDomainEventsResult {
  /** Dispatched domain events removed (with their receipts). */
  purged: number;
  /** The retention applied (DOMAIN_EVENT_RETENTION_DAYS of the process that ran the activity). */
  retentionDays: number;
}

export interface HousekeepingActivities {
  /** Removes dispatched domain events older than the retention; undispatched ones are kept whatever their age. */
  purgeDomainEvents(input: Record<string, never>): Promise<PurgeDomainEventsResult>;
  /** Removes exports' and reports' files past their expiresAt (src/files/expired-files.ts). */
  purgeExpiredFiles(input: Record<string, never>): Promise<PurgeExpiredFilesResult>;
}

export async function runPurgeDomainEvents(
  input: Record<string, never>,
  activities: Pick<HousekeepingActivities, 'purgeDomainEvents'>,
): Promise<PurgeDomainEventsResult> {
  return activities.purgeDomainEvents(input);
}

export async function runPurgeExpiredFiles(
  input: Record<string, never>,
  activities: Pick<HousekeepingActivities, 'purgeExpiredFiles'>,
): Promise<PurgeExpiredFilesResult> {
  return activities.purgeExpiredFiles(input);
}
