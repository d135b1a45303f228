import type { ServiceContext } from '../context.js';
import type { Anomaly } from '../analytics/anomalies.js';
import { discoverCorrelations, type Correlation } from '../analytics/correlations.js';
import { getMetricType } from '../health/metric-types.js';
import { addDays, FIRST_DAY, localDay, startOfLocalDay } from '../lib/time.js';
import { HISTORY_NIGHTS, sleepDebt, type SleepDebt } from '../sleep/debt.js';
import type { Night } from '../sleep/nights.js';
import { nightsBetween } from '../sleep/sleep-analysis.js';
import { loadOf } from '../training/load-report.js';
import type { TrainingLoad } from '../training/training-load.js';

/**
 * The reads insights and the LLM context share. Every one is bounded: daily rollups (never raw samples), stored
 * anomalies and records, nights and workouts of a few weeks.
 *
 * Correlations: the full search (90 days, lags 0–3, every pair) costs a few hundred milliseconds, too much for a
 * read. Here it is the same test (src/analytics/correlations.ts: Spearman with Benjamini–Hochberg) narrowed to
 * lag 0 over the QUICK_CORRELATION_DAYS days ending `to`, with QUICK_CORRELATION_MIN_N days of data at least;
 * POST /v1/users/:userId/analytics/correlations runs the full search.
 */
export const QUICK_CORRELATION_DAYS = 30;
export const QUICK_CORRELATION_MIN_N = 21;
export const STRONG_RHO = 0.5;
export const DEBT_NIGHTS = 14;
export const LOAD_DAYS = 28;

type User = { id: string; timezone: string };

export type StoredAnomaly = Anomaly;

const ANOMALIES_SQL = `
SELECT id, "userId", "metricType", to_char(day, 'YYYY-MM-DD') AS date, kind, direction, severity, value, score, threshold, details, "detectedAt"
FROM "Anomaly" WHERE "userId" = $1 AND day BETWEEN $2::date AND $3::date
ORDER BY day DESC, "metricType", kind`;

/** Anomalies stored by POST …/analytics/anomalies on local days from–to, newest first (a read never runs detection). */
export async function storedAnomalies(ctx: ServiceContext, user: User, from: string, to: string): Promise<StoredAnomaly[]> {
  const rows = await ctx.sql.query<Record<string, unknown>>(ANOMALIES_SQL, [user.id, from, to]);
  return rows.map((row) => {
    const details = (typeof row.details === 'string' ? JSON.parse(row.details) : row.details) as Record<string, unknown>;
    return {
      id: String(row.id),
      userId: String(row.userId),
      metricType: String(row.metricType),
      unit: getMetricType(String(row.metricType))?.unit ?? '',
      date: String(row.date),
      kind: row.kind as StoredAnomaly['kind'],
      direction: row.direction as StoredAnomaly['direction'],
      severity: row.severity as StoredAnomaly['severity'],
      value: Number(row.value),
      score: row.score === null ? null : Number(row.score),
      threshold: Number(row.threshold),
      baseline: (details.baseline as StoredAnomaly['baseline']) ?? null,
      rule: (details.rule as StoredAnomaly['rule']) ?? null,
      samples: Number(details.samples ?? 0),
      sources: (details.sources as string[]) ?? [],
      detectedAt: new Date(row.detectedAt as string),
    };
  });
}

export interface RecentRecord {
  id: string;
  metricType: string;
  kind: string;
  qualifier: string | null;
  value: number;
  unit: string;
  date: string;
  source: string;
  previousValue: number | null;
}

/** Personal records set on local days from–to, newest first. */
export async function recentRecords(ctx: ServiceContext, user: User, from: string, to: string): Promise<RecentRecord[]> {
  const rows = await ctx.db.personalRecord.findMany({
    where: {
      userId: user.id,
      achievedAt: { gte: new Date(startOfLocalDay(user.timezone, from)), lt: new Date(startOfLocalDay(user.timezone, addDays(to, 1))) },
    },
    orderBy: [{ achievedAt: 'desc' }, { id: 'asc' }],
  });
  return rows.map((row) => ({
    id: row.id,
    metricType: row.metricType,
    kind: row.kind,
    qualifier: row.qualifier || null,
    value: row.value,
    unit: row.unit,
    date: localDay(user.timezone, row.achievedAt),
    source: row.source,
    previousValue: row.previousValue,
  }));
}

/** Lag-0 correlations of the QUICK_CORRELATION_DAYS days ending `to` (see above), strongest first. */
export async function quickCorrelations(ctx: ServiceContext, user: User, to: string, limit: number): Promise<Correlation[]> {
  // The API's days start at FIRST_DAY: a window reaching before it is cut there (or is empty).
  if (to < FIRST_DAY) return [];
  const from = addDays(to, 1 - QUICK_CORRELATION_DAYS);
  const report = await discoverCorrelations(ctx, user.id, {
    from: from < FIRST_DAY ? FIRST_DAY : from,
    to,
    maxLag: 0,
    minN: QUICK_CORRELATION_MIN_N,
    limit,
  });
  return report.correlations;
}

/** Sleep debt over the DEBT_NIGHTS nights ending `to` (src/sleep/debt.ts), from nights that include its history. */
export function debtOf(nights: ReadonlyMap<string, Night>, to: string): SleepDebt {
  return sleepDebt(nights, to, DEBT_NIGHTS);
}

export async function debtUpTo(ctx: ServiceContext, user: User, to: string): Promise<SleepDebt> {
  return debtOf(await nightsBetween(ctx, user, addDays(to, 1 - DEBT_NIGHTS - HISTORY_NIGHTS), to), to);
}

/** Training load of the LOAD_DAYS days ending `to` (src/training/load-report.ts). */
export function loadUpTo(ctx: ServiceContext, user: User, to: string): Promise<TrainingLoad> {
  return loadOf(ctx, user, to, LOAD_DAYS);
}
