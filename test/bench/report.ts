import { cpus } from 'node:os';
import type { IngestRun } from './ingest-series.js';
import { mb, type Latency } from './measure.js';
import type { EngineResult } from './run-engine.js';

/** The targets; they are set for PostgreSQL, and shown for PGlite as information. */
export const TARGETS = {
  ingestVsCopy: 0.35,
  reingestVsCopy: 0.6,
  yearDayTimeseriesMs: 20,
  deepPageVsFirst: 2,
};

export interface Figures {
  copyRowsPerSecond: number;
  ingestSamplesPerSecond: number;
  reingestSamplesPerSecond: number;
  ingestVsCopy: number;
  reingestVsCopy: number;
  /** Against COPY into a table that also has the foreign key to User (as HealthSample has). */
  ingestVsCopyWithForeignKey: number;
  /** The same ratios from CPU time (bench process + server) instead of wall time: steadier when other work shares the machine. */
  ingestVsCopyCpu: number;
  reingestVsCopyCpu: number;
  page1000VsPage1: number;
  page1000VsPage2: number;
  rawScanVsRollups: number;
  /** deepPage: page 1000 against page 1 as the API serves it (which also counts the list); deepPageVsCursorPage:
   * against page 2, the first page read the same way as page 1000 (by cursor, without a count). */
  targetsMet: { ingest: boolean; reingest: boolean; timeseries: boolean; deepPage: boolean; deepPageVsCursorPage: boolean };
}

const runCpuMs = (run: IngestRun) => run.clientCpuMs + (run.serverCpuMs ?? 0);

export function figures(result: EngineResult): Figures {
  const copyRowsPerSecond = result.copy.rows / (result.copy.ms / 1000);
  const perSecond = (run: IngestRun) => run.samples / (run.serviceMs / 1000);
  const ingestSamplesPerSecond = perSecond(result.ingest);
  const reingestSamplesPerSecond = perSecond(result.reingest);
  const page1000VsPage1 = result.pages.page1000.medianMs / result.pages.page1.medianMs;
  return {
    copyRowsPerSecond,
    ingestSamplesPerSecond,
    reingestSamplesPerSecond,
    ingestVsCopy: ingestSamplesPerSecond / copyRowsPerSecond,
    reingestVsCopy: reingestSamplesPerSecond / copyRowsPerSecond,
    ingestVsCopyWithForeignKey: ingestSamplesPerSecond / (result.copy.rows / (result.copy.withForeignKeyMs / 1000)),
    ingestVsCopyCpu: result.copy.cpuMs / result.copy.rows / (runCpuMs(result.ingest) / result.ingest.samples),
    reingestVsCopyCpu: result.copy.cpuMs / result.copy.rows / (runCpuMs(result.reingest) / result.reingest.samples),
    page1000VsPage1,
    page1000VsPage2: result.pages.page1000.medianMs / result.pages.page2.medianMs,
    rawScanVsRollups: result.reads.rawScanDayYear.medianMs / result.reads.timeseriesDayYear.medianMs,
    targetsMet: {
      ingest: ingestSamplesPerSecond / copyRowsPerSecond >= TARGETS.ingestVsCopy,
      reingest: reingestSamplesPerSecond / copyRowsPerSecond >= TARGETS.reingestVsCopy,
      timeseries: result.reads.timeseriesDayYear.medianMs < TARGETS.yearDayTimeseriesMs,
      deepPage: page1000VsPage1 <= TARGETS.deepPageVsFirst,
      deepPageVsCursorPage: result.pages.page1000.medianMs / result.pages.page2.medianMs <= TARGETS.deepPageVsFirst,
    },
  };
}

const int = (n: number) => Math.round(n).toLocaleString('en');
const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const sec = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const msText = (ms: number) => `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
const mark = (ok: boolean) => (ok ? '✓' : '✗');

function row(label: string, ...cells: string[]): string {
  return `  ${label.padEnd(48)}${cells.map((cell, i) => (i === 0 ? cell.padStart(10) : cell.padStart(20))).join('')}`;
}

function cpuText(run: IngestRun): string {
  const server = run.serverCpuMs === null ? '' : `, Postgres server ${sec(run.serverCpuMs)}`;
  return `CPU: bench process ${sec(run.clientCpuMs)}${server} over ${sec(run.wallMs)} of wall time`;
}

function latencyRow(label: string, value: Latency, note = ''): string {
  return (
    row(label, msText(value.medianMs), `${msText(value.minMs)}–${msText(value.maxMs)}`, `n=${value.runs}`) + (note ? `   ${note}` : '')
  );
}

export function formatEngine(result: EngineResult): string {
  const f = figures(result);
  const { ingest, reingest, year, reads, pages, copy, rollupCheck } = result;
  const consistent =
    rollupCheck.samples === ingest.inserted &&
    rollupCheck.quarterHourCount === ingest.inserted &&
    rollupCheck.dailyCount === ingest.inserted;
  const note = result.engine === 'postgres' ? '' : ' (targets are set for PostgreSQL; shown for information)';
  return [
    `━━ ${result.engine} ${result.serverVersion}${note}`,
    `Ingest ${int(ingest.samples)} heart-rate samples, calls of 10,000 to ingestSamples`,
    row('', 'time', 'rows/s', 'vs COPY', 'target'),
    row('raw COPY (same rows, same indexes)', sec(copy.ms), int(f.copyRowsPerSecond), '100%', ''),
    row(
      'raw COPY + the foreign key to User',
      sec(copy.withForeignKeyMs),
      int(copy.rows / (copy.withForeignKeyMs / 1000)),
      pct(copy.ms / copy.withForeignKeyMs),
      '',
    ),
    row(
      `ingestSamples, new (${int(ingest.inserted)} inserted)`,
      sec(ingest.serviceMs),
      int(f.ingestSamplesPerSecond),
      pct(f.ingestVsCopy),
      `≥ ${pct(TARGETS.ingestVsCopy)} ${mark(f.targetsMet.ingest)}`,
    ),
    row(
      `ingestSamples, all duplicates (${int(reingest.duplicates)})`,
      sec(reingest.serviceMs),
      int(f.reingestSamplesPerSecond),
      pct(f.reingestVsCopy),
      `≥ ${pct(TARGETS.reingestVsCopy)} ${mark(f.targetsMet.reingest)}`,
    ),
    `  ingestion against COPY with the foreign key: ${pct(f.ingestVsCopyWithForeignKey)}`,
    `  by CPU time instead of wall time (steadier under other load): ingest ${pct(f.ingestVsCopyCpu)} of COPY, re-ingest ${pct(f.reingestVsCopyCpu)}`,
    `  (time inside ingestSamples; generating the input added ${sec(ingest.wallMs - ingest.serviceMs)} and ${sec(reingest.wallMs - reingest.serviceMs)}; rejected: ${ingest.rejected + reingest.rejected})`,
    `  ingest ${cpuText(ingest)}`,
    `  re-ingest ${cpuText(reingest)}`,
    `  peak RSS during ingest ${int(mb(ingest.rssPeakBytes))} MB (${int(mb(ingest.rssStartBytes))} MB at start); during re-ingest ${int(mb(reingest.rssPeakBytes))} MB` +
      (result.engine === 'pglite' ? ' (PGlite holds the whole database in this process, so RSS grows with the data)' : ''),
    `  rollups agree with samples: ${int(rollupCheck.samples)} samples = ${int(rollupCheck.quarterHourCount)} in 15-min rollups = ${int(rollupCheck.dailyCount)} in daily rollups ${mark(consistent)}`,
    '',
    `A year of heart rate: ${int(year.samples)} samples over ${year.days} days, one every ${year.intervalSeconds.toFixed(1)} s`,
    `  loaded through ingestSamples in ${sec(year.serviceMs)}: ${int(year.samples / (year.serviceMs / 1000))} samples/s; peak RSS ${int(mb(year.rssPeakBytes))} MB (${int(mb(year.rssStartBytes))} MB at start)`,
    `  ${cpuText(year)}`,
    row('', 'median', 'min–max', 'runs'),
    latencyRow(
      `timeseries, day buckets, whole year (${reads.timeseriesDayYear.points} pts)`,
      reads.timeseriesDayYear,
      `target < ${TARGETS.yearDayTimeseriesMs} ms ${mark(f.targetsMet.timeseries)}`,
    ),
    latencyRow(`timeseries, hour buckets, one week (${reads.timeseriesHourWeek.points} pts)`, reads.timeseriesHourWeek),
    latencyRow(`daily summaries, 365 days (${reads.dailySummaries365.rows} rows)`, reads.dailySummaries365),
    latencyRow(
      `raw date_trunc scan of the year (${reads.rawScanDayYear.rows} rows)`,
      reads.rawScanDayYear,
      `${f.rawScanVsRollups.toFixed(0)}× the rollup read`,
    ),
    '',
    `Cursor pages: listSamples, limit 100 (walking to page 1000 took ${sec(pages.walkMs)})`,
    latencyRow('page 1 (no cursor: also counts the total)', pages.page1),
    latencyRow('page 2 (first cursor page)', pages.page2),
    latencyRow('page 1000 (cursor)', pages.page1000, `target ≤ ${TARGETS.deepPageVsFirst}× the first page`),
    `  page 1000 / page 1 = ${f.page1000VsPage1.toFixed(2)} ${mark(f.targetsMet.deepPage)}   page 1000 / page 2 = ${f.page1000VsPage2.toFixed(2)} ${mark(f.targetsMet.deepPageVsCursorPage)}`,
    '',
    `${result.engine} total: ${sec(result.totalMs)}; 1-minute load average ${result.loadAverage.start.toFixed(2)} at start, ${result.loadAverage.end.toFixed(2)} at end (${cpus().length} CPUs; more than this means other work competed)`,
  ].join('\n');
}
