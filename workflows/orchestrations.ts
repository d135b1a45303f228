import type { Orchestration } from '../src/jobs/local-runner.js';
import type { Activities } from './activities.js';
import { runSync, SYNC_WORKFLOW } from './sync.js';

/** The workflows the local runner runs, by name: the same orchestration functions the Temporal workflows wrap. */
export function createOrchestrations(activities: Activities): Record<string, Orchestration> {
  return {
    [SYNC_WORKFLOW]: (input, tools) => runSync(input, activities, tools),
  };
}
