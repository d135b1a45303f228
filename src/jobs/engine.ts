import { createActivities } from '../../workflows/activities.js';
import type { Platform } from './platform.js';
import type { Database } from '../db/client.js';
import { createLocalRunner } from './local-runner.js';
import type { JobRunner } from './port.js';

/**
 * The job engine of this process: Temporal when TEMPORAL_ADDRESS is set, else the local runner. The local runner
 * needs the activities and the
 * activities need the runner (a sync may start another job), so the platform reads it lazily.
 */
export async function startJobEngine(parts: Omit<Platform, 'jobs' | 'db' | 'sql'> & { database: Database }): Promise<JobRunner> {
  // On Temporal the workers (npm run worker) run the activities; this process only starts and watches workflows.
  if (parts.config.temporal.address) {
    // Loaded only here: the Temporal client is a second of start-up that an install on the local runner never uses.
    const { createTemporalRunner } = await import('./temporal-runner.js');
    return createTemporalRunner({ ...parts.config.temporal, address: parts.config.temporal.address });
  }
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
    activities: createActivities(platform),
    leaseSeconds: parts.config.jobs.leaseSeconds,
    concurrency: parts.config.jobs.concurrency,
    outboundConcurrency: parts.config.jobs.outboundConcurrency,
  });
  return runner;
}
