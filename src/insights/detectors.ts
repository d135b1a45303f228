import type { Correlation } from '../analytics/correlations.js';
import { getMetricType } from '../health/metric-types.js';
import type { SleepDebt } from '../sleep/debt.js';
import type { TrainingLoad } from '../training/training-load.js';
import type { RecentRecord, StoredAnomaly } from './facts.js';
import { clamp01, figure, round, twoSidedP, type InsightDraft } from './insight.js';
import { TREND_BASELINE_DAYS, TREND_WEEK_DAYS, type Trend } from './trends.js';

/**
 * Each finding as an insight draft: a sentence, a severity and a confidence whose derivation the draft states.
 *
 * | kind | when | severity | confidence |
 * |---|---|---|---|
 * | trend | src/insights/trends.ts | warning when |z| ≥ 2, else info | (1 − p) × coverage (trends.ts) |
 * | anomaly | stored anomaly in the window | the anomaly's | statistical: 1 − 2(1 − Φ(|z|)); clinical: 0.9 |
 * | correlation | lag-0 Spearman |ρ| ≥ 0.5, q ≤ 0.05 | info | 1 − q |
 * | record | a personal record set in the window | info | 1 (a measured value) |
 * | sleep_debt | debt ≥ 5 h (moderate or high, src/sleep/debt.ts) | high: warning, else info | nights with data / nights |
 * | training_load | ACWR outside 0.8–1.3 | > 1.5: warning, else info | 0.5 + 0.5 × share of measured workouts |
 *
 * The clinical 0.9: the reading itself crossed a published limit; the rest allows for device error. ACWR bands:
 * Gabbett 2016, "The training–injury prevention paradox", Br J Sports Med 50(5):273–280 (0.8–1.3 the "sweet
 * spot", above 1.5 the "danger zone"). Measured workouts: loaded from heart rate or perceived exertion, not the
 * default intensity (src/training/training-load.ts).
 */
const nameOf = (id: string) => getMetricType(id)?.name.toLowerCase() ?? id.replace(/_/g, ' ');
const categoryOf = (id: string) => getMetricType(id)?.category ?? 'activity';
const withUnit = (value: number, unit: string | null) => (unit && unit !== 'count' ? `${figure(value)} ${unit}` : figure(value));

export function trendInsight(trend: Trend): InsightDraft {
  const change = trend.changePercent === null ? '' : ` (${trend.changePercent > 0 ? '+' : ''}${figure(trend.changePercent)}%)`;
  return {
    kind: 'trend',
    category: categoryOf(trend.metricType),
    severity: Math.abs(trend.z) >= 2 ? 'warning' : 'info',
    deterministicSentence:
      `Your ${nameOf(trend.metricType)} averaged ${withUnit(trend.weekMean, trend.unit)} over the last ${TREND_WEEK_DAYS} days, ` +
      `${trend.direction === 'up' ? 'above' : 'below'} your ${TREND_BASELINE_DAYS}-day median of ${withUnit(trend.baselineMedian, trend.unit)}${change}.`,
    confidence: trend.confidence,
    confidenceBasis: '(1 − p) × coverage; p two-sided normal of z × √(week days), coverage the mean share of days with a value',
    evidence: {
      metrics: [trend.metricType],
      from: trend.baselineFrom,
      to: trend.weekTo,
      values: {
        weekMean: trend.weekMean,
        weekDays: trend.weekDays,
        baselineMedian: trend.baselineMedian,
        baselineMad: trend.baselineMad,
        baselineDays: trend.baselineDays,
        z: trend.z,
        changePercent: trend.changePercent,
      },
      unit: trend.unit,
      n: trend.weekDays + trend.baselineDays,
      sources: trend.sources,
      route: `GET /v1/users/{userId}/baselines?asOf=${trend.weekFrom}&metricType=${trend.metricType}`,
    },
  };
}

export function anomalyInsight(anomaly: StoredAnomaly): InsightDraft {
  const unit = getMetricType(anomaly.metricType)?.unit ?? null;
  const what = `${nameOf(anomaly.metricType)} on ${anomaly.date} (${withUnit(anomaly.value, unit)})`;
  const sentence =
    anomaly.kind === 'statistical' && anomaly.baseline
      ? `Your ${what} was unusually ${anomaly.direction} against your ${anomaly.baseline.windowDays}-day median of ${withUnit(anomaly.baseline.median, unit)}.`
      : `Your ${what} crossed the clinical limit "${anomaly.rule?.label ?? figure(anomaly.threshold)}".`;
  const statistical = anomaly.kind === 'statistical' && anomaly.score !== null;
  return {
    kind: 'anomaly',
    category: categoryOf(anomaly.metricType),
    severity: anomaly.severity,
    deterministicSentence: sentence,
    confidence: statistical ? round(clamp01(1 - twoSidedP(anomaly.score!)), 2) : 0.9,
    confidenceBasis: statistical
      ? '1 − two-sided normal p of the modified z-score'
      : 'clinical limit crossed by a measured value: 0.9 (device error allowed for)',
    evidence: {
      metrics: [anomaly.metricType],
      from: anomaly.baseline?.from ?? anomaly.date,
      to: anomaly.date,
      values: { value: anomaly.value, z: anomaly.score, threshold: anomaly.threshold, baselineMedian: anomaly.baseline?.median ?? null },
      unit,
      n: anomaly.baseline?.n ?? anomaly.samples,
      sources: anomaly.sources,
      route: `POST /v1/users/{userId}/analytics/anomalies (from ${anomaly.date}, to ${anomaly.date})`,
    },
  };
}

export function correlationInsight(correlation: Correlation, from: string, to: string): InsightDraft {
  return {
    kind: 'correlation',
    category: categoryOf(correlation.seriesA),
    severity: 'info',
    deterministicSentence: correlation.sentence,
    confidence: round(clamp01(1 - correlation.spearman.q), 2),
    confidenceBasis: '1 − the Benjamini–Hochberg q-value of Spearman’s ρ',
    evidence: {
      metrics: [correlation.seriesA, correlation.seriesB],
      from,
      to,
      values: { rho: round(correlation.spearman.r, 3), q: round(correlation.spearman.q, 4), lagDays: correlation.lagDays },
      unit: null,
      n: correlation.n,
      sources: [],
      route: `POST /v1/users/{userId}/analytics/correlations (from ${from}, to ${to}, maxLag 0)`,
    },
  };
}

const RECORD_WORDS: Record<string, string> = {
  highest: 'highest',
  lowest: 'lowest',
  highest_daily_total: 'highest daily total of',
  longest_duration: 'longest',
  longest_distance: 'farthest',
  fastest_speed: 'fastest',
};

export function recordInsight(record: RecentRecord): InsightDraft {
  const subject = record.qualifier ? `${record.qualifier} ${record.metricType}` : nameOf(record.metricType);
  const before = record.previousValue === null ? '' : ` (previous best ${withUnit(record.previousValue, record.unit)})`;
  return {
    kind: 'record',
    category: record.metricType === 'sleep' ? 'sleep' : record.metricType === 'workout' ? 'activity' : categoryOf(record.metricType),
    severity: 'info',
    deterministicSentence: `New personal record on ${record.date}: your ${RECORD_WORDS[record.kind] ?? record.kind} ${subject}, ${withUnit(record.value, record.unit)}${before}.`,
    confidence: 1,
    confidenceBasis: 'a measured value: 1',
    evidence: {
      metrics: [record.metricType],
      from: record.date,
      to: record.date,
      values: { value: record.value, previousValue: record.previousValue },
      unit: record.unit,
      n: 1,
      sources: [record.source],
      route: `GET /v1/users/{userId}/personal-records/${record.metricType}`,
    },
  };
}

export function sleepDebtInsight(debt: SleepDebt): InsightDraft | null {
  if (debt.level !== 'moderate' && debt.level !== 'high') return null;
  const hours = figure(debt.debtMinutes / 60);
  return {
    kind: 'sleep_debt',
    category: 'sleep',
    severity: debt.level === 'high' ? 'warning' : 'info',
    deterministicSentence:
      `You built up ${hours} h of sleep debt over the ${debt.nights.length} nights to ${debt.to} ` +
      `against a nightly need of ${figure(debt.need.minutes / 60)} h (${debt.level}).`,
    confidence: round(debt.nightsWithData / debt.nights.length, 2),
    confidenceBasis: 'nights with data / nights in the window',
    evidence: {
      metrics: ['sleep_minutes'],
      from: debt.from,
      to: debt.to,
      values: { debtMinutes: debt.debtMinutes, needMinutes: debt.need.minutes, averageAsleepMinutes: debt.averageAsleepMinutes },
      unit: 'min',
      n: debt.nightsWithData,
      sources: debt.sources,
      route: `GET /v1/users/{userId}/sleep-analysis/debt?asOf=${debt.to}&days=${debt.nights.length}`,
    },
  };
}

export function trainingLoadInsight(load: TrainingLoad): InsightDraft | null {
  const day = load.days[load.days.length - 1];
  if (!day || day.acwr === null || (day.acwr >= 0.8 && day.acwr <= 1.3)) return null;
  const inWindow = load.workouts.filter((w) => w.date >= load.from);
  const measured = inWindow.filter((w) => w.method !== 'estimated').length;
  const high = day.acwr > 1.3;
  return {
    kind: 'training_load',
    category: 'training',
    severity: day.acwr > 1.5 ? 'warning' : 'info',
    deterministicSentence: high
      ? `Your acute:chronic training load ratio is ${figure(day.acwr)} on ${day.date}: this week's load is well above what you are used to (0.8–1.3 is the usual range).`
      : `Your acute:chronic training load ratio is ${figure(day.acwr)} on ${day.date}: you are training less than you are used to (0.8–1.3 is the usual range).`,
    confidence: round(0.5 + 0.5 * (inWindow.length ? measured / inWindow.length : 0), 2),
    confidenceBasis: '0.5 + 0.5 × the share of workouts loaded from heart rate or perceived exertion',
    evidence: {
      metrics: ['acwr'],
      from: load.from,
      to: day.date,
      values: { acwr: round(day.acwr, 3), atl: day.atl, ctl: day.ctl, rampRate: day.rampRate },
      unit: null,
      n: inWindow.length,
      sources: [...new Set(inWindow.map((w) => w.source))].sort(),
      route: `GET /v1/users/{userId}/readiness/training-load?asOf=${day.date}&days=${load.days.length}`,
    },
  };
}
