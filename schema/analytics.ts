import { baselines, type Baseline, type BaselineReport } from '../src/analytics/baselines.js';
import {
  detectAnomalies,
  DEFAULT_Z_THRESHOLD,
  type Anomaly,
  type AnomalyBaseline,
  type AnomalyReport,
} from '../src/analytics/anomalies.js';
import {
  CORRELATION_SERIES_IDS,
  discoverCorrelations,
  MAX_CORRELATION_DAYS,
  type Coefficient,
  type Correlation,
  type CorrelationReport,
} from '../src/analytics/correlations.js';
import { METRIC_TYPE_RULE } from '../src/health/metric-types.js';
import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';

const DAY_RULE = rule({ format: 'date', status: 400 });

export const BaselineType = builder.objectRef<Baseline>('Baseline').implement({
  description:
    "A metric's statistics over a rolling window of the user's local days (one value a day: the daily summary's). " +
    'SD is the sample SD (n − 1); MAD the unscaled median absolute deviation; p10/p90 interpolate linearly (NumPy’s default).',
  fields: (t) => ({
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    windowDays: t.exposeInt('windowDays', { description: '7, 30 or 90.' }),
    from: t.exposeString('from', { description: 'First day of the window (YYYY-MM-DD).' }),
    to: t.exposeString('to', { description: 'Last day of the window: the day before asOf.' }),
    n: t.exposeInt('n', { description: 'Days with a value.' }),
    coverage: t.exposeFloat('coverage', { description: 'n / windowDays.' }),
    samples: t.exposeInt('samples', { description: 'Samples behind the daily values.' }),
    sources: t.exposeStringList('sources', { description: 'Sources of the daily values, most days first.' }),
    mean: t.exposeFloat('mean'),
    median: t.exposeFloat('median'),
    sd: t.exposeFloat('sd', { nullable: true, description: 'Null below two days.' }),
    mad: t.exposeFloat('mad'),
    p10: t.exposeFloat('p10'),
    p90: t.exposeFloat('p90'),
  }),
});

const BaselineReportType = builder.objectRef<BaselineReport>('BaselineReport').implement({
  description: 'Baselines of every metric with data, as of a local day.',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    timezone: t.exposeString('timezone', { description: "The user's zone: the days are its days." }),
    asOf: t.exposeString('asOf', { description: 'The windows end the day before (a day in progress would bias them).' }),
    baselines: t.field({ type: [BaselineType], resolve: (report) => report.baselines }),
  }),
});

const AnomalyBaselineType = builder.objectRef<AnomalyBaseline>('AnomalyBaseline').implement({
  description: 'The personal baseline a statistical anomaly was judged against.',
  fields: (t) => ({
    windowDays: t.exposeInt('windowDays'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    n: t.exposeInt('n', { description: 'Days with a value in the window.' }),
    median: t.exposeFloat('median'),
    mad: t.exposeFloat('mad'),
  }),
});

const ClinicalRuleType = builder.objectRef<NonNullable<Anomaly['rule']>>('ClinicalRule').implement({
  description: 'The clinical limit a clinical anomaly crossed, with its source.',
  fields: (t) => ({
    label: t.exposeString('label'),
    source: t.exposeString('source'),
    on: t.exposeString('on', { description: "value (the day's value), min or max (its lowest or highest reading)." }),
  }),
});

export const AnomalyType = builder.objectRef<Anomaly>('Anomaly').implement({
  description:
    'A day on which a metric left the personal baseline (kind statistical: modified z-score, Iglewicz & Hoaglin 1993) ' +
    'or crossed a clinical limit (kind clinical: the limit and its source in `rule`). Stored once per metric, day and kind.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    date: t.exposeString('date', { description: "The user's local day (YYYY-MM-DD)." }),
    kind: t.exposeString('kind', { description: 'statistical or clinical.' }),
    direction: t.exposeString('direction', { description: 'high or low.' }),
    severity: t.exposeString('severity', { description: 'warning or critical (|z| ≥ 2 × threshold, or a critical limit).' }),
    value: t.exposeFloat('value', { description: 'The figure judged.' }),
    score: t.exposeFloat('score', { nullable: true, description: 'Modified z-score (statistical).' }),
    threshold: t.exposeFloat('threshold', { description: '|z| threshold, or the clinical limit.' }),
    baseline: t.field({ type: AnomalyBaselineType, nullable: true, resolve: (anomaly) => anomaly.baseline }),
    rule: t.field({ type: ClinicalRuleType, nullable: true, resolve: (anomaly) => anomaly.rule }),
    samples: t.exposeInt('samples', { description: 'Samples behind the day.' }),
    sources: t.exposeStringList('sources'),
    detectedAt: t.expose('detectedAt', { type: 'DateTime', description: 'First detection.' }),
  }),
});

const AnomalyReportType = builder.objectRef<AnomalyReport>('AnomalyReport').implement({
  description: 'The anomalies of a window of local days, those found by earlier runs included.',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    timezone: t.exposeString('timezone'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    threshold: t.exposeFloat('threshold'),
    baselineDays: t.exposeInt('baselineDays'),
    anomalies: t.field({ type: [AnomalyType], resolve: (report) => report.anomalies }),
  }),
});

builder.queryFields((t) => ({
  baselines: t.field({
    type: BaselineReportType,
    description:
      'Rolling 7-, 30- and 90-day baselines (mean, median, SD, MAD, p10, p90) of every metric with data, from the daily rollups.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      asOf: t.arg.string({ description: "Local day the baselines are for (YYYY-MM-DD); default the user's today.", ...DAY_RULE }),
      metricType: t.arg.stringList({ description: 'Only these metrics (repeatable).', ...rule(METRIC_TYPE_RULE) }),
    },
    resolve: (_root, { userId, asOf, metricType }, ctx) =>
      baselines(serviceContext(ctx), String(userId), { asOf, metricTypes: metricType }),
  }),
}));

builder.mutationFields((t) => ({
  detectAnomalies: t.field({
    type: AnomalyReportType,
    description:
      'Detect anomalies over a window of local days: each day against the baseline of the days before it, and against clinical limits. ' +
      'New findings are stored and announced with anomaly.detected.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({ description: 'First local day (YYYY-MM-DD); default six days before to.', ...DAY_RULE }),
      to: t.arg.string({ description: "Last local day (inclusive); default the user's today.", ...DAY_RULE }),
      metricTypes: t.arg.stringList({ description: 'Only these metrics; default every metric with data.', ...rule(METRIC_TYPE_RULE) }),
      threshold: t.arg.float({
        description: `|modified z| from which a day is anomalous (default ${DEFAULT_Z_THRESHOLD}).`,
        ...rule({ minimum: 1, maximum: 10 }),
      }),
      baselineDays: t.arg.int({
        description: 'Days before each day its baseline spans (default 30).',
        ...rule({ minimum: 7, maximum: 90 }),
      }),
      minBaselineDays: t.arg.int({
        description: 'Days with a value a baseline needs (default 7; at most baselineDays).',
        ...rule({ minimum: 3, maximum: 90 }),
      }),
    },
    resolve: (_root, { userId, ...query }, ctx) => detectAnomalies(serviceContext(ctx), String(userId), query),
  }),
}));

const CoefficientType = builder.objectRef<Coefficient>('CorrelationCoefficient').implement({
  description: 'A coefficient with its two-sided p-value and its Benjamini–Hochberg q-value within the request’s tests.',
  fields: (t) => ({ r: t.exposeFloat('r'), p: t.exposeFloat('p'), q: t.exposeFloat('q') }),
});

export const CorrelationType = builder.objectRef<Correlation>('Correlation').implement({
  description: 'Series A on day d against series B on day d + lagDays, over the days both have a value.',
  fields: (t) => ({
    seriesA: t.exposeString('seriesA', { description: 'A metric type, or workout_minutes / sleep_minutes (from events).' }),
    seriesB: t.exposeString('seriesB'),
    lagDays: t.exposeInt('lagDays'),
    n: t.exposeInt('n', { description: 'Days with both values.' }),
    pearson: t.field({ type: CoefficientType, resolve: (c) => c.pearson }),
    spearman: t.field({ type: CoefficientType, resolve: (c) => c.spearman }),
    direction: t.exposeString('direction', { description: 'positive or negative.' }),
    strength: t.exposeString('strength', { description: '|ρ| < 0.3 weak, < 0.5 moderate, else strong (Cohen 1988).' }),
    sentence: t.exposeString('sentence'),
  }),
});

const CorrelationReportType = builder.objectRef<CorrelationReport>('CorrelationReport').implement({
  description: 'The correlations discovered in a window: Spearman q ≤ alpha, strongest first.',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    timezone: t.exposeString('timezone'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    maxLag: t.exposeInt('maxLag'),
    minN: t.exposeInt('minN'),
    alpha: t.exposeFloat('alpha'),
    series: t.exposeStringList('series', { description: 'Series with data in the window.' }),
    tested: t.exposeInt('tested', { description: 'Tests run: pairs × lags with at least minN days.' }),
    discoveries: t.exposeInt('discoveries', { description: 'Discoveries before the limit.' }),
    correlations: t.field({ type: [CorrelationType], resolve: (report) => report.correlations }),
  }),
});

builder.mutationFields((t) => ({
  discoverCorrelations: t.field({
    type: CorrelationReportType,
    description:
      'Test every pair of daily series (metrics, and workout/sleep minutes from events) at lags 0 to maxLag: Pearson and ' +
      'Spearman with p-values, Benjamini–Hochberg across the tests; returns the discoveries ranked by effect size.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({ description: 'First local day; default 89 days before to.', ...DAY_RULE }),
      to: t.arg.string({ description: 'Last local day (inclusive); default yesterday in the user’s zone.', ...DAY_RULE }),
      metricTypes: t.arg.stringList({
        description: 'Only these series; default every series with data.',
        ...rule({ enum: CORRELATION_SERIES_IDS, enumWords: 'a metric type of GET /v1/metric-types, workout_minutes or sleep_minutes' }),
      }),
      maxLag: t.arg.int({ description: 'Largest lag in days (0–3, default 3).', ...rule({ minimum: 0, maximum: 3 }) }),
      minN: t.arg.int({
        description: 'Days with both values a test needs (default 14).',
        ...rule({ minimum: 5, maximum: MAX_CORRELATION_DAYS }),
      }),
      alpha: t.arg.float({ description: 'False discovery rate (default 0.05).', ...rule({ minimum: 0.000001, maximum: 0.5 }) }),
      limit: t.arg.int({ description: 'Most correlations returned (default 20).', ...rule({ minimum: 1, maximum: 500 }) }),
    },
    resolve: (_root, { userId, ...query }, ctx) => discoverCorrelations(serviceContext(ctx), String(userId), query),
  }),
}));
