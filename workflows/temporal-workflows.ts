/**
 * The Temporal workflows: thin wrappers that hand the shared orchestrations Temporal's activities and sleep.
 * Bundled for the worker's sandbox: imports only @temporalio/workflow, activity types and pure modules.
 */
import { patched, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { Activities } from './activities.js';
import { runSync, type SyncInput } from './sync.js';

// Named retry profile: provider and database hiccups are retried with backoff, as on the local runner.
// A worker that dies mid-activity stops heartbeating (workflows/heartbeats.ts): the attempt is retried on another
// worker after the heartbeat timeout instead of waiting out start-to-close.
const activities = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 10 },
});

export async function sync(input: SyncInput) {
  return runSync(input, activities, { jobId: workflowInfo().workflowId, sleep: (ms) => sleep(ms), patched: (patchId) => patched(patchId) });
}
