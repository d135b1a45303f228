import type { ServiceContext } from '../context.js';
import { mergedDays, type DailySummary } from '../health/daily-summaries.js';
import { requireMetricType } from '../health/metric-types.js';
import { emit } from '../domain-events/emit.js';
import { BadRequest, Invalid } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { nullableNumberArray, textArray } from '../db/array-literal.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { byMetric, windowBefore } from './baselines.js';
import { CLINICAL_THRESHOLDS, crosses, type ClinicalThreshold } from './clinical-thresholds.js';
import { modifiedZScore, seriesStatistics } from './statistics.js';

/**
 * Anomaly detection over a user's local days.
 *
 * Statistical: each day's value against the personal baseline of the `baselineDays` days before it, by the
 * modified z-score (src/analytics/statistics.ts); |z| ≥ threshold (default 3.5, Iglewicz & Hoaglin's
 * recommendation) is a warning, |z| ≥ 2 × threshold critical. A baseline needs `minBaselineDays` days with a value
 * (default 7): fewer would call a new user's second day an anomaly.
 * Clinical: the day's figure past a limit of src/analytics/clinical-thresholds.ts, whatever the baseline.
 * Each finding is stored once per (metric, day, kind); the first detection emits `anomaly.detected`.
 */
export interface AnomalyQuery {
  from?: string | null;
  to?: string | null;
  metricTypes?: readonly string[] | null;
  threshold?: number | null;
  baselineDays?: number | null;
  minBaselineDays?: number | null;
}

export const DEFAULT_Z_THRESHOLD = 3.5;
const DEFAULT_WINDOW_DAYS = 7;
const MAX_WINDOW_DAYS = 366;

export interface AnomalyBaseline {
  windowDays: number;
  from: string;
  to: string;
  n: number;
  median: number;
  mad: number;
}

export interface Anomaly {
  id: string;
  userId: string;
  metricType: string;
  unit: string;
  date: string;
  kind: 'statistical' | 'clinical';
  direction: 'high' | 'low';
  severity: 'warning' | 'critical';
  /** The figure judged: the day's value, or its lowest/highest reading for clinical limits on readings. */
  value: number;
  /** The modified z-score (statistical). */
  score: number | null;
  /** The |z| threshold (statistical) or the clinical limit. */
  threshold: number;
  baseline: AnomalyBaseline | null;
  rule: { label: string; source: string; on: ClinicalThreshold['on'] } | null;
  /** Samples and sources behind the day. */
  samples: number;
  sources: string[];
  detectedAt: Date;
}

export interface AnomalyReport {
  userId: string;
  timezone: string;
  from: string;
  to: string;
  threshold: number;
  baselineDays: number;
  anomalies: Anomaly[];
}

type Finding = Omit<Anomaly, 'id' | 'detectedAt'>;

function statisticalFinding(userId: string, day: DailySummary, history: readonly DailySummary[], q: Required<Settings>): Finding | null {
  const baselineDays = windowBefore(history, day.date, q.baselineDays);
  if (baselineDays.length < q.minBaselineDays) return null;
  const values = baselineDays.map((entry) => entry.value);
  const score = modifiedZScore(day.value, values);
  if (score === null || Math.abs(score) < q.threshold) return null;
  const stats = seriesStatistics(values)!;
  return {
    userId,
    metricType: day.metricType,
    unit: day.unit,
    date: day.date,
    kind: 'statistical',
    direction: score > 0 ? 'high' : 'low',
    severity: Math.abs(score) >= 2 * q.threshold ? 'critical' : 'warning',
    value: day.value,
    score,
    threshold: q.threshold,
    baseline: {
      windowDays: q.baselineDays,
      from: addDays(day.date, -q.baselineDays),
      to: addDays(day.date, -1),
      n: stats.n,
      median: stats.median,
      mad: stats.mad,
    },
    rule: null,
    samples: day.count,
    sources: day.sources,
  };
}

/** The most severe clinical limit the day crosses in each direction. */
function clinicalFindings(userId: string, day: DailySummary): Finding[] {
  const findings: Finding[] = [];
  for (const direction of ['high', 'low'] as const) {
    const crossed = CLINICAL_THRESHOLDS.filter((t) => t.metricType === day.metricType && t.direction === direction)
      .filter((t) => crosses(t, figureOf(day, t)))
      .sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'critical' ? -1 : 1));
    const worst = crossed[0];
    if (!worst) continue;
    findings.push({
      userId,
      metricType: day.metricType,
      unit: day.unit,
      date: day.date,
      kind: 'clinical',
      direction,
      severity: worst.severity,
      value: figureOf(day, worst),
      score: null,
      threshold: worst.limit,
      baseline: null,
      rule: { label: worst.label, source: worst.source, on: worst.on },
      samples: day.count,
      sources: day.sources,
    });
  }
  return findings;
}

function figureOf(day: DailySummary, threshold: ClinicalThreshold): number {
  return threshold.on === 'min' ? day.min : threshold.on === 'max' ? day.max : day.value;
}

interface Settings {
  threshold: number;
  baselineDays: number;
  minBaselineDays: number;
}

function settingsOf(query: AnomalyQuery): Required<Settings> {
  const threshold = query.threshold ?? DEFAULT_Z_THRESHOLD;
  if (!(threshold >= 1 && threshold <= 10)) throw new Invalid('threshold must be a number from 1 to 10');
  const baselineDays = query.baselineDays ?? 30;
  if (!Number.isInteger(baselineDays) || baselineDays < 7 || baselineDays > 90)
    throw new Invalid('baselineDays must be an integer from 7 to 90');
  const minBaselineDays = query.minBaselineDays ?? Math.min(7, baselineDays);
  if (!Number.isInteger(minBaselineDays) || minBaselineDays < 3 || minBaselineDays > baselineDays) {
    throw new Invalid(`minBaselineDays must be an integer from 3 to baselineDays (${baselineDays})`);
  }
  return { threshold, baselineDays, minBaselineDays };
}

const STORE_SQL = `
INSERT INTO "Anomaly" (id, "userId", "metricType", day, kind, direction, severity, value, score, threshold, details, "detectedAt")
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::date[], $5::text[], $6::text[], $7::text[], $8::float8[],
  $9::float8[], $10::float8[], $11::jsonb[], $12::timestamptz[])
ON CONFLICT ("userId", "metricType", day, kind) DO UPDATE SET
  direction = EXCLUDED.direction, severity = EXCLUDED.severity, value = EXCLUDED.value, score = EXCLUDED.score,
  threshold = EXCLUDED.threshold, details = EXCLUDED.details
RETURNING id, "metricType", to_char(day, 'YYYY-MM-DD') AS date, kind, "detectedAt", (xmax = 0) AS inserted`;

/**
 * Finds the anomalies of a user's local days from–to (default the last 7 days up to today) and stores them; the
 * answer lists every anomaly of the window, those found before included (with their first detection time).
 */
export async function detectAnomalies(ctx: ServiceContext, userId: string, query: AnomalyQuery): Promise<AnomalyReport> {
  const user = await getUser(ctx, userId);
  const settings = settingsOf(query);
  const to = query.to != null ? checkDay('to', query.to) : localDay(user.timezone, ctx.clock.now());
  const from = query.from != null ? checkDay('from', query.from) : addDays(to, -(DEFAULT_WINDOW_DAYS - 1));
  if (from > to) throw new BadRequest('from must not be after to');
  if (addDays(from, MAX_WINDOW_DAYS) <= to) throw new BadRequest(`from–to spans more than ${MAX_WINDOW_DAYS} days`);
  const metricTypes = query.metricTypes?.length ? query.metricTypes.map((id) => requireMetricType(id).id) : null;
  const days = await mergedDays(ctx, user.id, addDays(from, -settings.baselineDays), to, metricTypes);

  const findings: Finding[] = [];
  for (const series of byMetric(days).values()) {
    for (const day of series) {
      if (day.date < from) continue;
      const statistical = statisticalFinding(user.id, day, series, settings);
      if (statistical) findings.push(statistical);
      findings.push(...clinicalFindings(user.id, day));
    }
  }
  return {
    userId: user.id,
    timezone: user.timezone,
    from,
    to,
    threshold: settings.threshold,
    baselineDays: settings.baselineDays,
    anomalies: await store(ctx, findings),
  };
}

interface StoredRow {
  id: string;
  metricType: string;
  date: string;
  kind: string;
  detectedAt: Date;
  inserted: boolean;
}

async function store(ctx: ServiceContext, findings: readonly Finding[]): Promise<Anomaly[]> {
  if (findings.length === 0) return [];
  const now = ctx.clock.now();
  return ctx.sql.transaction(async (tx) => {
    const text = (pick: (finding: Finding) => string) => textArray(findings.map(pick));
    const numbers = (pick: (finding: Finding) => number | null) => nullableNumberArray(findings.map(pick));
    const rows = await tx.query<StoredRow>(STORE_SQL, [
      textArray(findings.map(() => newId())),
      text((f) => f.userId),
      text((f) => f.metricType),
      text((f) => f.date),
      text((f) => f.kind),
      text((f) => f.direction),
      text((f) => f.severity),
      numbers((f) => f.value),
      numbers((f) => f.score),
      numbers((f) => f.threshold),
      text((f) => JSON.stringify({ baseline: f.baseline, rule: f.rule, samples: f.samples, sources: f.sources })),
      text(() => now.toISOString()),
    ]);
    const stored = new Map(rows.map((row) => [`${row.metricType}|${row.date}|${row.kind}`, row]));
    const anomalies = findings.map((finding) => {
      const row = stored.get(`${finding.metricType}|${finding.date}|${finding.kind}`)!;
      return { id: row.id, ...finding, detectedAt: new Date(row.detectedAt) };
    });
    const fresh = anomalies.filter((anomaly) => stored.get(`${anomaly.metricType}|${anomaly.date}|${anomaly.kind}`)!.inserted);
    if (fresh.length) {
      await emit(
        tx,
        fresh.map((anomaly) => ({
          workspaceId: ctx.workspaceId,
          type: 'anomaly.detected' as const,
          payload: anomalyResource(anomaly),
          occurredAt: now,
        })),
      );
    }
    return anomalies;
  });
}

/** What GET/POST return for an anomaly and what `anomaly.detected` carries (one serializer). */
export function anomalyResource(anomaly: Anomaly): Record<string, unknown> {
  return { ...anomaly, detectedAt: anomaly.detectedAt.toISOString() };
}
