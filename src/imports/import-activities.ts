import type { Readable } from 'node:stream';
import type { ImportActivities, ImportOutcome } from '../../workflows/imports.js';
import type { ServiceContext } from '../context.js';
import type { SqlSession } from '../db/client.js';
import { emit } from '../domain-events/emit.js';
import type { EventInput } from '../events/event-input.js';
import { ingestEvents } from '../events/ingest-events.js';
import type { DataImport } from '../generated/prisma/client.js';
import { ingestSamples, type Provenance } from '../health/ingest.js';
import type { SampleInput } from '../health/sample-input.js';
import type { Platform } from '../jobs/platform.js';
import { AppError } from '../lib/errors.js';
import { readAppleHealth } from './apple-health.js';
import { readFit } from './fit.js';
import { readGpx } from './gpx.js';
import { MalformedFile, type ImportFormat, type ImportRecord } from './import-record.js';
import { importView, REJECTION_EXAMPLES } from './imports.js';
import { readTcx } from './tcx.js';
import { isAppleHealthXml, openZipEntry } from './zip-entry.js';

/** Samples per ingest call: one transaction each, with the import's progress. */
export const IMPORT_BATCH_SAMPLES = 5_000;
/** Events (workouts, sleep sessions) per batch at most. */
const IMPORT_BATCH_EVENTS = 500;
/** Records per batch at most (a file of skipped or refused records still checkpoints, and holds little). */
const IMPORT_BATCH_RECORDS = 20_000;
/** A workout starting this close to a stored one (any source) is the same workout, synced or imported before. */
export const SAME_WORKOUT_MS = 60_000;
/** In-process passes before the engine's own retry: a database hiccup resumes after the last stored batch. */
const PASSES = 3;

const READERS: Record<ImportFormat, (body: AsyncIterable<Uint8Array>) => AsyncGenerator<ImportRecord>> = {
  apple_health: readAppleHealth,
  fit: readFit,
  gpx: readGpx,
  tcx: readTcx,
};

/** A refusal's reason without its numbers, so refusals of one kind count together. */
export function reasonKey(type: string, reason: string): string {
  return `${type}: ${reason.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, 'N')}`.slice(0, 300);
}

interface Totals {
  position: number;
  recordsRead: number;
  samplesStored: number;
  eventsStored: number;
  duplicates: number;
  skipped: Record<string, number>;
  rejections: Record<string, number>;
  rejectionSamples: { record: number; type: string; reason: string }[];
}

/** What one batch holds between its parse and its commit. */
interface Batch {
  /** The parser's position and the records read after the batch's last record (absolute, as stored). */
  position: number;
  recordsRead: number;
  /** Items of the parser in the batch. */
  records: number;
  samples: SampleInput[];
  sampleRecords: number[];
  events: EventInput[];
  eventRecords: number[];
  skipped: Record<string, number>;
  rejected: { record: number; type: string; reason: string }[];
}

const totalsOf = (row: DataImport): Totals => ({
  position: row.position,
  recordsRead: row.recordsRead,
  samplesStored: row.samplesStored,
  eventsStored: row.eventsStored,
  duplicates: row.duplicates,
  skipped: { ...(row.skipped as Record<string, number>) },
  rejections: { ...(row.rejections as Record<string, number>) },
  rejectionSamples: [...(row.rejectionSamples as Totals['rejectionSamples'])],
});

function reject(totals: Totals, record: number, type: string, reason: string): void {
  const key = reasonKey(type, reason);
  totals.rejections[key] = (totals.rejections[key] ?? 0) + 1;
  if (totals.rejectionSamples.length < REJECTION_EXAMPLES) totals.rejectionSamples.push({ record, type, reason });
}

const SAVE_PROGRESS_SQL = `UPDATE "DataImport" SET position = $2, "recordsRead" = $3, "samplesStored" = $4, "eventsStored" = $5,
  duplicates = $6, skipped = $7::jsonb, rejections = $8::jsonb, "rejectionSamples" = $9::jsonb WHERE id = $1`;

async function saveProgress(tx: Pick<SqlSession, 'query'>, importId: string, t: Totals): Promise<void> {
  await tx.query(SAVE_PROGRESS_SQL, [
    importId,
    t.position,
    t.recordsRead,
    t.samplesStored,
    t.eventsStored,
    t.duplicates,
    JSON.stringify(t.skipped),
    JSON.stringify(t.rejections),
    JSON.stringify(t.rejectionSamples),
  ]);
}

const payloadOf = (row: DataImport) => JSON.parse(JSON.stringify(importView(row))) as unknown;

/** Workouts already stored within SAME_WORKOUT_MS of one of these (except the very key this import would write). */
async function sameWorkouts(ctx: ServiceContext, userId: string, source: string, events: EventInput[]): Promise<Set<EventInput>> {
  const workouts = events.filter((event) => event.type === 'workout');
  if (!workouts.length) return new Set();
  const times = workouts.map((event) => event.startAt.getTime());
  const stored = await ctx.db.healthEvent.findMany({
    where: {
      userId,
      type: 'workout',
      startAt: { gte: new Date(Math.min(...times) - SAME_WORKOUT_MS), lte: new Date(Math.max(...times) + SAME_WORKOUT_MS) },
    },
    select: { startAt: true, source: true, dedupeKey: true },
  });
  return new Set(
    workouts.filter((event) =>
      stored.some(
        (row) =>
          Math.abs(row.startAt.getTime() - event.startAt.getTime()) <= SAME_WORKOUT_MS &&
          // Its own earlier import (or retry) is found by the ingestion service's key, and counted there.
          !(row.source === source && row.dedupeKey === `workout:${event.startAt.toISOString()}`),
      ),
    ),
  );
}

/** The dataImport workflow's activities (workflows/imports.ts). */
export function createImportActivities(platform: Platform): ImportActivities {
  async function load(importId: string) {
    return platform.db.dataImport.findUnique({ where: { id: importId } });
  }

  /** Marks the import failed and announces it, in one transaction; nothing when it already finished. */
  async function markFailed(importId: string, error: string): Promise<ImportOutcome> {
    return platform.db.$transaction(async (tx) => {
      const { count } = await tx.dataImport.updateMany({
        where: { id: importId, status: { in: ['queued', 'running'] } },
        data: { status: 'failed', error: error.slice(0, 2000), completedAt: platform.clock.now() },
      });
      const row = await tx.dataImport.findUnique({ where: { id: importId } });
      if (!row) return { status: 'gone' };
      if (count)
        await emit(tx, { workspaceId: row.workspaceId, type: 'import.failed', payload: payloadOf(row), occurredAt: platform.clock.now() });
      return { status: row.status as ImportOutcome['status'], error: row.error };
    });
  }

  async function openBody(ctx: ServiceContext, row: DataImport): Promise<Readable> {
    const storage = platform.storage;
    if (!storage) throw new Error('the job engine has no file storage');
    const file = await ctx.db.storedFile.findFirst({ where: { id: row.fileId, workspaceId: row.workspaceId } });
    if (!file) throw new MalformedFile(`file ${row.fileId} was deleted before it was imported`);
    if (row.format === 'apple_health') {
      const head = await storage.get(file.storageKey, { start: 0, end: Math.min(3, Number(file.size) - 1) });
      const magic: Buffer[] = [];
      for await (const chunk of head) magic.push(Buffer.from(chunk));
      if (Buffer.concat(magic).toString('latin1') === 'PK\x03\x04') {
        return openZipEntry(storage, file.storageKey, Number(file.size), isAppleHealthXml);
      }
    }
    return storage.get(file.storageKey);
  }

  /** One pass over the file: stores everything after the import's position, batch by batch, then completes it. */
  async function pass(importId: string): Promise<ImportOutcome> {
    const row = await load(importId);
    if (!row) return { status: 'gone' };
    if (row.status === 'completed' || row.status === 'failed') return { status: row.status, error: row.error };
    const ctx: ServiceContext = { ...platform, workspaceId: row.workspaceId };
    if (row.status === 'queued') {
      await ctx.db.dataImport.update({ where: { id: importId }, data: { status: 'running', startedAt: ctx.clock.now() } });
    }
    const totals = totalsOf(row);
    const resumeAt = row.position;
    let provenance: Provenance | null = null;
    const newBatch = (position: number, recordsRead: number): Batch => ({
      position,
      recordsRead,
      records: 0,
      samples: [],
      sampleRecords: [],
      events: [],
      eventRecords: [],
      skipped: {},
      rejected: [],
    });
    let batch = newBatch(row.position, row.recordsRead);

    /** Stores one batch: its events, then its samples with the import's new counts and position in their transaction. */
    const store = async (b: Batch, source: Provenance) => {
      const next = structuredClone(totals);
      next.position = b.position;
      next.recordsRead = b.recordsRead;
      for (const [type, count] of Object.entries(b.skipped)) next.skipped[type] = (next.skipped[type] ?? 0) + count;
      for (const r of b.rejected) reject(next, r.record, r.type, r.reason);
      if (b.events.length) {
        const same = await sameWorkouts(ctx, row.userId, source.source, b.events);
        const kept = b.events.filter((event) => !same.has(event));
        next.duplicates += same.size;
        if (kept.length) {
          const keptRecords = b.eventRecords.filter((_, i) => !same.has(b.events[i]!));
          const result = await ingestEvents(ctx, row.userId, kept, source);
          next.eventsStored += result.inserted + result.updated;
          next.duplicates += result.duplicates;
          for (const r of result.rejected) reject(next, keptRecords[r.index] ?? 0, r.metricType, r.reason);
        }
      }
      await ingestSamples(ctx, row.userId, b.samples, source, undefined, async (tx, counts) => {
        next.samplesStored += counts.inserted + counts.updated;
        next.duplicates += counts.duplicates;
        for (const r of counts.rejected) reject(next, b.sampleRecords[r.index] ?? 0, r.metricType, r.reason);
        await saveProgress(tx, importId, next);
        return [];
      });
      Object.assign(totals, next);
    };

    // One batch is stored while the next is parsed: at most two in memory, commits in file order.
    let inflight: Promise<void> | null = null;
    const flush = async () => {
      if (inflight) await inflight;
      inflight = null;
      const full = batch;
      batch = newBatch(full.position, full.recordsRead);
      if (!provenance || full.position === resumeAt) return;
      inflight = store(full, provenance);
      // Awaited at the next flush or at the end; until then a failure must not count as unhandled.
      inflight.catch(() => undefined);
    };

    const body = await openBody(ctx, row);
    let position = 0;
    try {
      for await (const record of READERS[row.format as ImportFormat](body)) {
        position += 1;
        if (record.origin) provenance = { source: record.origin.source };
        if (position <= resumeAt) continue;
        batch.position = position;
        batch.records += 1;
        if (!record.flush) batch.recordsRead += 1;
        const at = batch.recordsRead;
        if (record.skipped) batch.skipped[record.skipped] = (batch.skipped[record.skipped] ?? 0) + 1;
        if (record.rejected) batch.rejected.push({ record: at, ...record.rejected });
        for (const sample of record.samples ?? []) {
          batch.samples.push(sample);
          batch.sampleRecords.push(at);
        }
        for (const event of record.events ?? []) {
          batch.events.push(event);
          batch.eventRecords.push(at);
        }
        if (
          batch.samples.length >= IMPORT_BATCH_SAMPLES ||
          batch.events.length >= IMPORT_BATCH_EVENTS ||
          batch.records >= IMPORT_BATCH_RECORDS
        ) {
          await flush();
        }
      }
      await flush();
      if (inflight) await inflight;
    } catch (error) {
      // The batch being stored commits (or not) before the import is marked failed: its counts are then final.
      await (inflight as Promise<void> | null)?.catch(() => undefined);
      throw error;
    } finally {
      body.destroy();
    }
    return platform.db.$transaction(async (tx) => {
      const { count } = await tx.dataImport.updateMany({
        where: { id: importId, status: { in: ['queued', 'running'] } },
        data: { status: 'completed', completedAt: platform.clock.now() },
      });
      const done = await tx.dataImport.findUnique({ where: { id: importId } });
      if (!done) return { status: 'gone' as const };
      if (count)
        await emit(tx, {
          workspaceId: done.workspaceId,
          type: 'import.completed',
          payload: payloadOf(done),
          occurredAt: platform.clock.now(),
        });
      return { status: done.status as ImportOutcome['status'], error: done.error };
    });
  }

  return {
    async runImport({ importId }) {
      for (let attempt = 1; ; attempt++) {
        try {
          return await pass(importId);
        } catch (error) {
          // A file that is not what it should be fails at once: reading it again would fail the same way.
          if (error instanceof MalformedFile || error instanceof AppError) return markFailed(importId, error.message);
          if (attempt >= PASSES) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
        }
      }
    },
    async failImport({ importId, error }) {
      return markFailed(importId, error);
    },
  };
}
