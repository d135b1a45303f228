import { createSyncActivities, type Platform } from '../src/connections/sync-activities.js';
import type { SyncActivities } from './sync.js';

/** Every activity of every workflow, bound to the platform once (the local runner and the Temporal worker). */
export type Activities = SyncActivities;

export function createActivities(platform: Platform): Activities {
  return { ...createSyncActivities(platform) };
}
