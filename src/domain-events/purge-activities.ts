import type { HousekeepingActivities } from '../../workflows/housekeeping.js';
import type { Platform } from '../jobs/platform.js';
import { log } from '../lib/logger.js';
import { purgeDispatchedEvents } from './purge.js';

/** The purge workflow's activity, over the process's database and its DOMAIN_EVENT_RETENTION_DAYS. */
export function createHousekeepingActivities(platform: Platform): HousekeepingActivities {
  return {
    async purgeDomainEvents() {
      const retentionDays = platform.config.domainEvents.retentionDays;
      const purged = await purgeDispatchedEvents(platform.sql, retentionDays, platform.clock.now());
      log.info('purged dispatched domain events', { purged, retentionDays });
      return { purged, retentionDays };
    },
  };
}
