import type { HousekeepingActivities } from '../../workflows/housekeeping.js';
import type { Platform } from '../jobs/platform.js';
import { log } from '../lib/logger.js';
import { purgeDispatchedEvents } from './purge.js';
import { purgeExpiredFiles } from '../files/expired-files.js';

/** The housekeeping workflows' activities: the domain-event purge (DOMAIN_EVENT_RETENTION_DAYS) and expired files. */
export function createHousekeepingActivities(platform: Platform): HousekeepingActivities {
  return {
    async purgeDomainEvents() {
      const retentionDays = platform.config.domainEvents.retentionDays;
      const purged = await purgeDispatchedEvents(platform.sql, retentionDays, platform.clock.now());
      log.info('purged dispatched domain events', { purged, retentionDays });
      return { purged, retentionDays };
    },
    async purgeExpiredFiles() {
      const result = await purgeExpiredFiles(platform);
      log.info('purged expired export and report files', { ...result });
      return result;
    },
  };
}
