import type { StreamCounts } from '../../workflows/sync.js';

/** A connection changed status (error, disconnected…): `connectionChanged` subscription and webhooks. */
export interface ConnectionChange {
  connectionId: string;
  userId: string;
  providerId: string;
  status: 'active' | 'error' | 'disconnected';
  reason: string | null;
  at: Date;
}

/** Progress of a running sync: `syncProgress` subscription. */
export interface SyncProgress {
  connectionId: string;
  userId: string;
  jobId: string;
  stream: string;
  counts: StreamCounts;
  at: Date;
}
