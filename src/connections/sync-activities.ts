import type { ServiceContext } from '../context.js';
import type { Connection, Prisma } from '../generated/prisma/client.js';
import { ingestEvents } from '../events/ingest-events.js';
import { removeSourceData } from '../events/remove-source-data.js';
import { ingestSamples } from '../health/ingest.js';
import { newId } from '../lib/ids.js';
import { log } from '../lib/logger.js';
import { ProviderError } from '../providers/provider-error.js';
import type { Provider, ProviderCall } from '../providers/provider.js';
import { backfillDaysOf, requireProvider } from '../providers/registry.js';
import type { PageOutcome, StreamCounts, SyncActivities, SyncInput } from '../../workflows/sync.js';
import { emit } from '../domain-events/emit.js';
import { connectionEvent } from './connection-events.js';
import type { Platform } from '../jobs/platform.js';
import { markConnectionError } from './connection-status.js';
import { NOTICE_STREAM, readOldestNotice, type PageRead } from './notices.js';
import { providerCallFor } from './provider-call.js';

/** Where a stream's sync stands: [from, until) is synced; `window` + `page` is the window in progress. */
interface StreamState {
  from?: string;
  until?: string;
  window?: { from: string; to: string };
  page?: string | null;
}

function contextFor(platform: Platform, connection: Connection): ServiceContext {
  return { ...platform, workspaceId: connection.workspaceId };
}

async function loadConnection(platform: Platform, connectionId: string): Promise<Connection | null> {
  return platform.db.connection.findUnique({ where: { id: connectionId } });
}

/** A stream's next page for its window in progress (or a new one from where it stopped), and its checkpoint. */
async function readStreamPage(
  platform: Platform,
  provider: Provider,
  connection: Connection,
  call: ProviderCall,
  stream: string,
): Promise<PageRead> {
  const states = (connection.syncState ?? {}) as Record<string, StreamState>;
  const state = states[stream] ?? {};
  const now = platform.clock.now();
  const window = state.window
    ? { from: new Date(state.window.from), to: new Date(state.window.to) }
    : {
        from: state.until ? new Date(state.until) : new Date(now.getTime() - backfillDaysOf(provider, platform.config) * 86_400_000),
        to: now,
      };
  const page = await provider.fetchPage(call, stream, window, state.page ?? null, platform.config);
  const next: StreamState = page.nextPage
    ? { ...state, window: { from: window.from.toISOString(), to: window.to.toISOString() }, page: page.nextPage }
    : { from: state.from ?? window.from.toISOString(), until: window.to.toISOString() };
  return {
    page,
    checkpoint: async () => {
      await platform.db.connection.update({
        where: { id: connection.id },
        data: { syncState: { ...states, [stream]: next } as unknown as Prisma.InputJsonValue },
      });
    },
  };
}

const FINISHED: PageOutcome = { done: true, samples: 0, events: 0, rejected: 0, retryAfterSeconds: null };

/** The ids every sync.* domain event carries. */
function syncIds(connection: Connection, jobId: string) {
  return { connectionId: connection.id, userId: connection.userId, providerId: connection.providerId, jobId };
}

/** Progress to the job's row (GET /v1/jobs/:jobId; none on Temporal) and, as sync.progress, to subscribers. */
async function publishProgress(
  platform: Platform,
  connection: Connection,
  jobId: string,
  stream: string,
  counts: StreamCounts,
): Promise<void> {
  await platform.db.$transaction(async (tx) => {
    await tx.job.updateMany({ where: { id: jobId }, data: { progress: { stream, ...counts } } });
    await emit(tx, {
      workspaceId: connection.workspaceId,
      type: 'sync.progress',
      payload: { ...syncIds(connection, jobId), stream, counts },
      occurredAt: platform.clock.now(),
    });
  });
}

/** The activities of the sync workflow, bound to the platform once (worker start-up or the local runner). */
export function createSyncActivities(platform: Platform): SyncActivities {
  return {
    async beginSync(input: SyncInput & { jobId: string }) {
      const connection = await loadConnection(platform, input.connectionId);
      if (!connection || connection.status !== 'ACTIVE') return { streams: [] };
      await platform.db.$transaction(async (tx) => {
        await tx.syncEvent.create({
          data: {
            id: newId(),
            workspaceId: connection.workspaceId,
            connectionId: connection.id,
            jobId: input.jobId,
            type: 'sync.started',
            details: { reason: input.reason },
          },
        });
        await emit(tx, {
          workspaceId: connection.workspaceId,
          type: 'sync.started',
          payload: { ...syncIds(connection, input.jobId), reason: input.reason },
          occurredAt: platform.clock.now(),
        });
      });
      const provider = requireProvider(connection.providerId);
      if (!provider.readNotice) return { streams: [...provider.streams] };
      // A push-first provider's own streams only ask it for history (Garmin's backfill requests), which the backfill,
      // scheduled and manual syncs do. A push sync reads the notices alone: walking those streams too, it raced the
      // backfill running beside it and sent again the ranges not yet checkpointed (Garmin answers 409).
      return { streams: input.reason === 'push' ? [NOTICE_STREAM] : [NOTICE_STREAM, ...provider.streams] };
    },

    async syncPage({ connectionId, stream, jobId, countsBefore }): Promise<PageOutcome> {
      // Let requests waiting for the (embedded, single-connection) database go first between pages.
      await new Promise((resolve) => setImmediate(resolve));
      const connection = await loadConnection(platform, connectionId);
      if (!connection || connection.status !== 'ACTIVE') return FINISHED;
      const ctx = contextFor(platform, connection);
      const provider = requireProvider(connection.providerId);
      let call: ProviderCall;
      try {
        call = await providerCallFor(ctx, connection);
      } catch (error) {
        if (error instanceof ProviderError && error.kind === 'unauthorized') return FINISHED;
        throw error;
      }
      let read;
      try {
        read =
          stream === NOTICE_STREAM
            ? await readOldestNotice(platform, provider, connection, call)
            : await readStreamPage(platform, provider, connection, call, stream);
      } catch (error) {
        if (error instanceof ProviderError && error.kind === 'rate_limited') {
          return { done: false, samples: 0, events: 0, rejected: 0, retryAfterSeconds: error.retryAfterSeconds ?? 60 };
        }
        if (error instanceof ProviderError && error.kind === 'unauthorized') {
          await markConnectionError(ctx, connection, `the provider refused the token: ${error.message}`);
          return FINISHED;
        }
        throw error;
      }
      const { page } = read;
      const provenance = { source: provider.id, connectionId: connection.id };
      // Removals first: an update removes what the new version replaces, then stores the new version.
      if (page.removals) {
        const removed = await removeSourceData(ctx, connection.userId, provider.id, page.removals);
        if (removed.events || removed.samples) log.info('provider data removed', { connectionId, stream, jobId, ...removed });
      }
      const samples = page.samples.length ? await ingestSamples(ctx, connection.userId, page.samples, provenance) : null;
      const events = page.events.length ? await ingestEvents(ctx, connection.userId, page.events, provenance) : null;
      // The checkpoint comes after the data: a crash in between re-fetches a page whose rows are then duplicates.
      await read.checkpoint();
      const reasons = [
        ...(page.rejected ?? []),
        ...(samples?.rejected ?? []).map((r) => `${r.metricType}: ${r.reason}`),
        ...(events?.rejected ?? []).map((r) => `${r.metricType}: ${r.reason}`),
      ];
      if (reasons.length)
        log.warn('provider records rejected', { connectionId, stream, jobId, count: reasons.length, reasons: reasons.slice(0, 10) });
      const outcome = {
        done: !page.nextPage,
        samples: samples?.inserted ?? 0,
        events: (events?.inserted ?? 0) + (events?.updated ?? 0),
        rejected: reasons.length,
        retryAfterSeconds: null,
      };
      if (countsBefore) {
        const counts = {
          pages: countsBefore.pages + 1,
          samples: countsBefore.samples + outcome.samples,
          events: countsBefore.events + outcome.events,
          rejected: (countsBefore.rejected ?? 0) + outcome.rejected,
        };
        await publishProgress(platform, connection, jobId, stream, counts);
      }
      return outcome;
    },

    async finishSync({ connectionId, jobId, counts, error }) {
      const connection = await loadConnection(platform, connectionId);
      if (!connection) return;
      const now = platform.clock.now();
      const type = error ? 'sync.failed' : 'sync.completed';
      const details = { counts, ...(error ? { error } : {}) };
      await platform.db.$transaction(async (tx) => {
        await tx.syncEvent.create({
          data: {
            id: newId(),
            workspaceId: connection.workspaceId,
            connectionId,
            jobId,
            type,
            details: details as unknown as Prisma.InputJsonValue,
          },
        });
        const updated = await tx.connection.update({
          where: { id: connectionId },
          data: { lastSyncAt: now, lastSyncStatus: error ? 'failed' : 'completed', lastSyncError: error },
        });
        await emit(tx, [
          { workspaceId: connection.workspaceId, type, payload: { ...syncIds(connection, jobId), ...details }, occurredAt: now },
          connectionEvent(platform, 'connection.updated', updated),
        ]);
      });
    },

    async reportProgress({ connectionId, jobId, stream, counts }) {
      const connection = await loadConnection(platform, connectionId);
      if (connection) await publishProgress(platform, connection, jobId, stream, counts);
    },
  };
}
