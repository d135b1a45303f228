import type { Config } from '../config.js';
import { log } from '../lib/logger.js';
import type { JobRunner } from './port.js';

/** Housekeeping jobs belong to no tenant: no workspace's `GET /v1/jobs/:jobId` shows them. */
export const SYSTEM_WORKSPACE_ID = 'system';

/** Daily at 03:17 UTC: a quiet hour, off the round minute that other installations' jobs crowd. */
export const HOUSEKEEPING_CALENDAR = { hour: 3, minute: 17 } as const;

/**
 * The schedule id of the domain-event purge. On Temporal one namespace may serve several installations, told apart
 * by their task queue, so the id names it; the local runner's schedules live in the installation's own database.
 */
export function purgeScheduleId(config: Config): string {
  return `housekeeping:purge-domain-events:${config.temporal.taskQueue}`;
}

/** The schedule id of the daily removal of expired export and report files (named like purgeScheduleId). */
export function expiredFilesScheduleId(config: Config): string {
  return `housekeeping:purge-expired-files:${config.temporal.taskQueue}`;
}

/**
 * Keeps the installation's housekeeping schedules in place; every API instance calls it at start (an upsert on
 * both engines, so instances starting together agree). The schedule fires on one engine for the whole
 * installation, however many instances run.
 */
export async function ensureHousekeepingSchedules(jobs: JobRunner, config: Config): Promise<void> {
  await jobs.schedule(
    'purgeDomainEvents',
    {},
    { id: purgeScheduleId(config), workspaceId: SYSTEM_WORKSPACE_ID, calendar: HOUSEKEEPING_CALENDAR, timezone: 'UTC' },
  );
  await jobs.schedule(
    'purgeExpiredFiles',
    {},
    { id: expiredFilesScheduleId(config), workspaceId: SYSTEM_WORKSPACE_ID, calendar: HOUSEKEEPING_CALENDAR, timezone: 'UTC' },
  );
  const daily = `daily ${HOUSEKEEPING_CALENDAR.hour}:${HOUSEKEEPING_CALENDAR.minute} UTC`;
  log.info('housekeeping scheduled', { purgeDomainEvents: daily, purgeExpiredFiles: daily });
}
