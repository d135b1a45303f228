import { createHash } from 'node:crypto';
import type { ServiceContext } from '../context.js';
import type { SqlSession } from '../db/client.js';
import { Invalid, NotFound } from '../lib/errors.js';
import type { InputRule } from '../lib/input-rules.js';
import { nullableNumberArray, plainArray, textArray } from '../db/array-literal.js';
import { newId } from '../lib/ids.js';
import { SINGLE_VALUE_RECORD_METRICS, updateSampleRecords } from '../records/sample-records.js';
import type { PersonalRecordRow } from '../records/upsert-record.js';
import { emit, type NewDomainEvent } from '../domain-events/emit.js';
import { recordEvents } from '../records/record-events.js';
import { INGEST_SAMPLES_SQL, RECOMPUTE_CORRECTED_ROLLUPS_SQL, type IngestedMetric } from './ingest-sql.js';
import { isMergedMetric } from './merge-sql.js';
import { getUser } from '../users/users.js';
import { refreshMergedDays } from './merged-daily-rollups.js';
import { normalizeSamples, type NormalizedSample, type Rejection, type SampleInput } from './sample-input.js';

/** Where samples come from; stored on every row. */
export interface Provenance {
  /** Provider id ("fitbit"…), or "api"/"healthkit"/"health_connect" for pushes from an app. */
  source: string;
  connectionId?: string | null;
}

export interface IngestResult {
  inserted: number;
  /** Samples stored before under the same key that the source sent with a new value (a day's growing total). */
  updated: number;
  /** Valid samples already stored under their natural key with the same value (re-syncs, retries, overlaps). */
  duplicates: number;
  rejected: Rejection[];
  metrics: { metricType: string; inserted: number }[];
  records: PersonalRecordRow[];
}

/** The prepared name of INGEST_SAMPLES_SQL, from its text: a changed statement is prepared anew. */
const INGEST_STATEMENT = `ingest_samples_${createHash('sha256').update(INGEST_SAMPLES_SQL).digest('hex').slice(0, 12)}`;

const UNIQUE_VIOLATION = '23505';

/** Rows per statement: a whole push (10,000 at most) in one; measured no slower than 2,500 or 5,000 a statement. */
const CHUNK_ROWS = 10_000;
export const SOURCE_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,63}$/;
/** The rule of a source argument (push, filters): declared once for the REST checks and the OpenAPI document. */
export const SOURCE_RULE: InputRule = {
  pattern: SOURCE_PATTERN,
  patternWords: '1–64 lower-case letters, digits, "_", "." or "-", starting with a letter or digit',
};

export function assertSource(source: string): string {
  if (!SOURCE_PATTERN.test(source)) throw new Invalid(`source "${source}" must be 1–64 lower-case letters, digits, "_", "." or "-"`);
  return source;
}

function chunkParams(chunk: NormalizedSample[], userId: string, provenance: Provenance, timezone: string, careful: boolean): unknown[] {
  return [
    // ULIDs and metric type ids are plain tokens; times go as epoch milliseconds, not ISO text.
    plainArray(chunk.map(() => newId())),
    plainArray(chunk.map((s) => s.metricType)),
    plainArray(chunk.map((s) => s.recordedAt.getTime())),
    nullableNumberArray(chunk.map((s) => (s.endAt ? s.endAt.getTime() : null))),
    plainArray(chunk.map((s) => s.value)),
    textArray(chunk.map((s) => s.device)),
    textArray(chunk.map((s) => s.externalId)),
    userId,
    provenance.source,
    provenance.connectionId ?? null,
    timezone,
    SINGLE_VALUE_RECORD_METRICS.highest,
    SINGLE_VALUE_RECORD_METRICS.lowest,
    careful,
  ];
}

function mergeMetrics(rows: IngestedMetric[]): IngestedMetric[] {
  const byMetric = new Map<string, IngestedMetric>();
  for (const row of rows) {
    const seen = byMetric.get(row.metricType);
    if (!seen) {
      byMetric.set(row.metricType, { ...row });
      continue;
    }
    seen.inserted += row.inserted;
    seen.corrected += row.corrected;
    seen.correctedAt = [...seen.correctedAt, ...row.correctedAt];
    if (row.firstAt < seen.firstAt) seen.firstAt = row.firstAt;
    if (row.lastAt > seen.lastAt) seen.lastAt = row.lastAt;
    if (row.maxValue > seen.maxValue) Object.assign(seen, { maxValue: row.maxValue, maxId: row.maxId, maxAt: row.maxAt });
    if (row.minValue < seen.minValue) Object.assign(seen, { minValue: row.minValue, minId: row.minId, minAt: row.minAt });
  }
  return [...byMetric.values()];
}

async function writeSamples(
  tx: SqlSession,
  userId: string,
  samples: NormalizedSample[],
  provenance: Provenance,
  careful: boolean,
): Promise<IngestedMetric[]> {
  // FOR SHARE: a concurrent time-zone change (which rebuilds daily rollups) waits for this ingest, and vice versa.
  const [user] = await tx.query<{ timezone: string }>('SELECT timezone FROM "User" WHERE id = $1 FOR SHARE', [userId]);
  if (!user) throw new NotFound(`user ${userId} not found`);
  const rows: IngestedMetric[] = [];
  const paramsAt = (start: number) => chunkParams(samples.slice(start, start + CHUNK_ROWS), userId, provenance, user.timezone, careful);
  // The next chunk's parameters are built while the database works on this one.
  let params = paramsAt(0);
  for (let start = 0; start < samples.length; start += CHUNK_ROWS) {
    const running = tx.query<IngestedMetric>(INGEST_SAMPLES_SQL, params, INGEST_STATEMENT);
    if (start + CHUNK_ROWS < samples.length) params = paramsAt(start + CHUNK_ROWS);
    rows.push(...(await running));
  }
  const date = (at: Date | null) => (at === null ? null : new Date(at));
  const metrics = mergeMetrics(
    rows.map((row) => ({
      ...row,
      firstAt: new Date(row.firstAt),
      lastAt: new Date(row.lastAt),
      maxAt: date(row.maxAt),
      minAt: date(row.minAt),
    })),
  );
  for (const metric of metrics.filter((m) => m.corrected > 0)) {
    const params = [
      userId,
      provenance.source,
      metric.metricType,
      metric.correctedAt.map((at) => new Date(at).toISOString()),
      user.timezone,
    ];
    await tx.query(RECOMPUTE_CORRECTED_ROLLUPS_SQL[0]!, params.slice(0, 4));
    await tx.query(RECOMPUTE_CORRECTED_ROLLUPS_SQL[1]!, params);
  }
  const merged = metrics.filter((metric) => metric.inserted + metric.corrected > 0 && isMergedMetric(metric.metricType));
  if (merged.length) {
    const from = new Date(Math.min(...merged.map((metric) => metric.firstAt.getTime())));
    const to = new Date(Math.max(...merged.map((metric) => metric.lastAt.getTime())));
    await refreshMergedDays(
      tx,
      userId,
      merged.map((metric) => metric.metricType),
      from,
      to,
    );
  }
  return metrics;
}

/** health_data.ingested: one per ingest that stored or corrected samples (none for duplicates only). */
function ingestedEvents(ctx: ServiceContext, userId: string, provenance: Provenance, metrics: IngestedMetric[]) {
  const changed = metrics.filter((metric) => metric.inserted + metric.corrected > 0);
  if (!changed.length) return [];
  const payload = {
    userId,
    source: provenance.source,
    connectionId: provenance.connectionId ?? null,
    inserted: changed.reduce((total, metric) => total + metric.inserted, 0),
    updated: changed.reduce((total, metric) => total + metric.corrected, 0),
    metrics: changed.map((metric) => ({ metricType: metric.metricType, inserted: metric.inserted, updated: metric.corrected })),
    from: new Date(Math.min(...changed.map((metric) => metric.firstAt.getTime()))).toISOString(),
    to: new Date(Math.max(...changed.map((metric) => metric.lastAt.getTime()))).toISOString(),
  };
  return [{ workspaceId: ctx.workspaceId, type: 'health_data.ingested' as const, payload, occurredAt: ctx.clock.now() }];
}

/**
 * A write that belongs with the samples (a wellness log whose values are these samples): run in the ingest's
 * transaction before them, it returns the events that announce it, emitted with the ingest's own.
 */
export type AlongWithSamples = (tx: SqlSession) => Promise<NewDomainEvent[]>;

/**
 * A write that records what the ingest did (an import's progress), in the ingest's transaction after the samples:
 * so a crash either keeps both or neither, and a retried batch is not counted twice.
 */
export type AfterSamples = (
  tx: SqlSession,
  counts: { inserted: number; updated: number; duplicates: number; rejected: Rejection[] },
) => Promise<NewDomainEvent[]>;

/**
 * The one ingestion path of every source (providers, imports, the push route, wellness logs): validates and
 * converts units, rejects impossible values with a reason per sample, writes new samples and their rollups and
 * records in one transaction, with the domain events that announce what landed.
 */
export async function ingestSamples(
  ctx: ServiceContext,
  userId: string,
  inputs: readonly SampleInput[],
  provenance: Provenance,
  along?: AlongWithSamples,
  after?: AfterSamples,
): Promise<IngestResult> {
  assertSource(provenance.source);
  // Through the request's user cache (the route has just read the same user), not a query of its own.
  await getUser(ctx, userId);
  const { samples, rejected } = normalizeSamples(inputs, ctx.clock.now());
  const write = (careful: boolean) =>
    ctx.sql.transaction(async (tx) => {
      const alongEvents = along ? await along(tx) : [];
      const metrics = samples.length ? await writeSamples(tx, userId, samples, provenance, careful) : [];
      const records = await updateSampleRecords(tx, userId, metrics, provenance.source);
      const inserted = metrics.reduce((total, metric) => total + metric.inserted, 0);
      const updated = metrics.reduce((total, metric) => total + metric.corrected, 0);
      const afterEvents = after ? await after(tx, { inserted, updated, duplicates: samples.length - inserted - updated, rejected }) : [];
      await emit(tx, [...alongEvents, ...ingestedEvents(ctx, userId, provenance, metrics), ...recordEvents(ctx, records), ...afterEvents]);
      return { metrics, records };
    });
  // A span that looked empty is written with plain inserts; a concurrent ingest of the same keys that committed
  // first makes one fail on the unique key, and nothing of it is kept: written again, carefully, it counts them as
  // duplicates.
  const { metrics, records } = await write(false).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) return write(true);
    throw error;
  });
  const inserted = metrics.reduce((total, metric) => total + metric.inserted, 0);
  const updated = metrics.reduce((total, metric) => total + metric.corrected, 0);
  const counts = metrics
    .filter((metric) => metric.inserted > 0)
    .map((metric) => ({ metricType: metric.metricType, inserted: metric.inserted }));
  return { inserted, updated, duplicates: samples.length - inserted - updated, rejected, metrics: counts, records };
}
