import { createActivities } from '../../workflows/activities.js';
import { createOrchestrations } from '../../workflows/orchestrations.js';
import type { Platform } from '../connections/sync-activities.js';
import type { Database } from '../db/client.js';
import { createLocalRunner } from './local-runner.js';
import type { JobRunner } from './port.js';

/**
 * The job engine of this process. The local runner by default; the runner needs the activities and the
 * activities need the runner (a sync may start another job), so the platform reads it lazily.
 */
export function startJobEngine(parts: Omit<Platform, 'jobs' | 'db' | 'sql'> & { database: Database }): JobRunner {
  const { database, ...rest } = parts;
  let runner: JobRunner | null = null;
  const platform: Platform = {
    ...rest,
    db: database.prisma,
    sql: database,
    get jobs(): JobRunner {
      if (!runner) throw new Error('the job engine is still starting');
      return runner;
    },
  };
  runner = createLocalRunner({
    db: database.prisma,
    orchestrations: createOrchestrations(createActivities(platform)),
    leaseSeconds: parts.config.jobs.leaseSeconds,
    concurrency: parts.config.jobs.concurrency,
  });
  return runner;
}
