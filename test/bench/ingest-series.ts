import type { ServiceContext } from '../../src/context.js';
import { ingestSamples, type Provenance } from '../../src/health/ingest.js';
import { heartRateBatches, type HeartRateSeries } from './heart-rate.js';
import { RssSampler, startCpu, type CpuSnapshot } from './measure.js';

/** How a provider sync calls the service: one ingestSamples call per page of this many samples. */
export const CALL_SIZE = 10_000;

export interface IngestRun {
  samples: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  /** Time spent inside ingestSamples (validation, units, dedup, rollups, commit). */
  serviceMs: number;
  /** Wall time including generating the input, as a caller would see it. */
  wallMs: number;
  rssStartBytes: number;
  rssPeakBytes: number;
  /** CPU used meanwhile by this process (with PGlite: the database too) and by the Postgres server processes. */
  clientCpuMs: number;
  serverCpuMs: number | null;
}

/** Streams `series` through the ingestion service in calls of CALL_SIZE; only one batch is in memory at a time. */
export async function ingestSeries(
  ctx: ServiceContext,
  userId: string,
  series: HeartRateSeries,
  provenance: Provenance,
  serverCpu: CpuSnapshot,
): Promise<IngestRun> {
  const cpu = await startCpu(serverCpu);
  const rss = new RssSampler(100);
  const run = { samples: 0, inserted: 0, duplicates: 0, rejected: 0, serviceMs: 0 };
  const started = performance.now();
  try {
    for (const batch of heartRateBatches(series, CALL_SIZE)) {
      const callStarted = performance.now();
      const result = await ingestSamples(ctx, userId, batch, provenance);
      run.serviceMs += performance.now() - callStarted;
      run.samples += batch.length;
      run.inserted += result.inserted;
      run.duplicates += result.duplicates;
      run.rejected += result.rejected.length;
    }
  } catch (error) {
    rss.stop();
    throw error;
  }
  const memory = rss.stop();
  const wallMs = performance.now() - started;
  const { clientMs, serverMs } = await cpu();
  return { ...run, wallMs, rssStartBytes: memory.startBytes, rssPeakBytes: memory.peakBytes, clientCpuMs: clientMs, serverCpuMs: serverMs };
}
