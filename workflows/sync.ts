/**
 * The sync orchestration, shared by both engines: the local runner calls it with plain functions, the Temporal
 * workflow (workflows/temporal-workflows.ts) with proxyActivities and Temporal's sleep. Deterministic: it only
 * calls activities and sleep, so it replays on Temporal.
 */

export type SyncReason = 'backfill' | 'incremental' | 'manual' | 'push' | 'scheduled';

export interface SyncInput {
  connectionId: string;
  reason: SyncReason;
}

export interface StreamCounts {
  pages: number;
  samples: number;
  events: number;
  /** Records the provider sent that were not stored, each for a reason (logged with it). */
  rejected: number;
}

export interface PageOutcome {
  done: boolean;
  samples: number;
  events: number;
  /** Records of the page refused by the mapping or by ingestion (absent in histories recorded before it was counted). */
  rejected?: number;
  /** The provider asked us to wait (429 + Retry-After) before the same page again. */
  retryAfterSeconds: number | null;
}

export interface SyncActivities {
  /** Records sync.started; answers the streams to walk (none when the connection is not active). */
  beginSync(input: SyncInput & { jobId: string }): Promise<{ streams: string[] }>;
  /**
   * Fetches, ingests and checkpoints one page of one stream. Idempotent: a repeat re-ingests duplicates only.
   * Given the stream's counts before this page, it also publishes the progress after it (one activity per page
   * instead of two).
   */
  syncPage(input: { connectionId: string; stream: string; jobId: string; countsBefore?: StreamCounts }): Promise<PageOutcome>;
  /** Records sync.completed or sync.failed and the connection's last sync. */
  finishSync(input: { connectionId: string; jobId: string; counts: Record<string, StreamCounts>; error: string | null }): Promise<void>;
  /** Publishes progress to the syncProgress subscription (histories before PROGRESS_IN_SYNC_PAGE). */
  reportProgress(input: { connectionId: string; jobId: string; stream: string; counts: StreamCounts }): Promise<void>;
}

/**
 * Versions of this orchestration (Temporal's patched()): a workflow recorded before a change replays the old
 * path. PROGRESS_IN_SYNC_PAGE: progress is published by syncPage, not by a reportProgress activity of its own.
 */
export const PROGRESS_IN_SYNC_PAGE = 'progress-in-sync-page';

export interface SyncEngine {
  jobId: string;
  sleep(ms: number): Promise<void>;
  /** Temporal's patched(); engines without histories to replay (the local runner) leave it out: always the newest. */
  patched?(patchId: string): boolean;
}

export async function runSync(input: SyncInput, activities: SyncActivities, engine: SyncEngine): Promise<Record<string, StreamCounts>> {
  const { jobId } = engine;
  const progressInPage = engine.patched?.(PROGRESS_IN_SYNC_PAGE) ?? true;
  const { streams } = await activities.beginSync({ ...input, jobId });
  const counts: Record<string, StreamCounts> = {};
  try {
    for (const stream of streams) {
      const stats: StreamCounts = (counts[stream] = { pages: 0, samples: 0, events: 0, rejected: 0 });
      for (;;) {
        const page = await activities.syncPage({
          connectionId: input.connectionId,
          stream,
          jobId,
          ...(progressInPage ? { countsBefore: { ...stats } } : {}),
        });
        if (page.retryAfterSeconds !== null) {
          await engine.sleep(page.retryAfterSeconds * 1000);
          continue;
        }
        stats.pages += 1;
        stats.samples += page.samples;
        stats.events += page.events;
        stats.rejected += page.rejected ?? 0;
        if (!progressInPage) await activities.reportProgress({ connectionId: input.connectionId, jobId, stream, counts: stats });
        if (page.done) break;
      }
    }
  } catch (error) {
    await activities.finishSync({
      connectionId: input.connectionId,
      jobId,
      counts,
      error: error instanceof Error ? error.message : String(error),
    });
    throw error;
  }
  await activities.finishSync({ connectionId: input.connectionId, jobId, counts, error: null });
  return counts;
}
