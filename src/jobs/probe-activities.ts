import { ApplicationFailure } from '@temporalio/common';
import type { ProbeActivities } from '../../workflows/probe.js';
import { log } from '../lib/logger.js';
import type { Platform } from './platform.js';

/** The probe workflow's activity: a log line tests count across restarts, and the time it ran. */
export function createProbeActivities(platform: Platform): ProbeActivities {
  return {
    async probe({ jobId, failure, label }) {
      log.info('probe ran', { jobId, label });
      if (failure === 'non-retryable') throw ApplicationFailure.create({ message: `probe ${jobId} refused`, nonRetryable: true });
      if (failure === 'retryable') throw new Error(`probe ${jobId} failed`);
      return { ranAt: platform.clock.now().toISOString() };
    },
  };
}
