import { METRIC_TYPE_RULE } from '../src/health/metric-types.js';
import {
  AGGREGATIONS,
  BUCKETS,
  MERGE_MODES,
  MERGED_BY,
  timeseries,
  type Timeseries,
  type TimeseriesPoint,
} from '../src/health/timeseries.js';
import { dailySummaries, type DailySummary } from '../src/health/daily-summaries.js';
import { deleteHealthData } from '../src/health/delete-health.js';
import { healthSummary, type MetricSummary } from '../src/health/summary.js';
import { listSamples } from '../src/health/samples.js';
import { getMetricType } from '../src/health/metric-types.js';
import type { SamplesIngested } from '../src/health/live-updates.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { userFeed } from './user-feed.js';
import { pageArgs, pageType } from './pagination.js';
import { rule } from '../src/lib/input-rules.js';
import { SOURCE_RULE } from '../src/health/ingest.js';

export const HealthSampleType = builder.prismaObject('HealthSample', {
  description: "One measurement in its metric's canonical unit, with its provenance.",
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    metricType: t.exposeString('metricType'),
    value: t.exposeFloat('value'),
    unit: t.string({ description: "The metric type's canonical unit.", resolve: (sample) => getMetricType(sample.metricType)?.unit ?? '' }),
    recordedAt: t.expose('recordedAt', { type: 'DateTime' }),
    endAt: t.expose('endAt', { type: 'DateTime', nullable: true, description: 'End of the interval for totals (steps…).' }),
    source: t.exposeString('source', { description: 'Provider id, or the app source for pushed samples.' }),
    device: t.string({ nullable: true, resolve: (sample) => sample.device || null }),
    connectionId: t.exposeString('connectionId', { nullable: true }),
    externalId: t.exposeString('externalId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const HealthSamplePage = pageType('HealthSamplePage', HealthSampleType, 'A page of samples in time order (then id).');

const MetricSummaryType = builder.objectRef<MetricSummary>('MetricSummary').implement({
  description: 'What is stored of one metric type.',
  fields: (t) => ({
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    count: t.exposeInt('count', { description: 'Samples from all sources.' }),
    firstAt: t.expose('firstAt', { type: 'DateTime' }),
    lastAt: t.expose('lastAt', { type: 'DateTime' }),
    latestValue: t.exposeFloat('latestValue'),
    sources: t.exposeStringList('sources'),
  }),
});

const HealthSummaryType = builder.objectRef<{ data: MetricSummary[] }>('HealthSummary').implement({
  fields: (t) => ({ data: t.field({ type: [MetricSummaryType], resolve: (summary) => summary.data }) }),
});

export const BucketEnum = builder.enumType('TimeseriesBucket', { values: BUCKETS });
export const AggregationEnum = builder.enumType('Aggregation', { values: AGGREGATIONS });
const MergeModeEnum = builder.enumType('MergeMode', {
  description: "priority: merge sources by the workspace's source priority (the default); none: every source's own values.",
  values: MERGE_MODES,
});
const MergedByEnum = builder.enumType('MergedBy', {
  description:
    'quarter_hour: cumulative metrics, each quarter hour from the highest-priority source with data, summed; bucket: one source per bucket; none: every source apart; source: the one source asked for.',
  values: MERGED_BY,
});

const TimeseriesPointType = builder.objectRef<TimeseriesPoint>('TimeseriesPoint').implement({
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: 'Start of the bucket in the requested zone, as a UTC instant.' }),
    value: t.exposeFloat('value'),
    count: t.exposeInt('count', { description: 'Samples behind the value.' }),
    source: t.exposeString('source', { description: 'The highest-priority source used in this bucket.' }),
    sources: t.exposeStringList('sources', { description: 'Every source used in this bucket, highest priority first.' }),
  }),
});

const TimeseriesType = builder.objectRef<Timeseries>('Timeseries').implement({
  fields: (t) => ({
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    bucket: t.field({ type: BucketEnum, resolve: (series) => series.bucket }),
    agg: t.field({ type: AggregationEnum, resolve: (series) => series.agg }),
    timezone: t.exposeString('timezone'),
    mergedBy: t.field({ type: MergedByEnum, resolve: (series) => series.mergedBy }),
    sources: t.exposeStringList('sources', { description: 'Every source the series used, highest priority first.' }),
    from: t.expose('from', { type: 'DateTime' }),
    to: t.expose('to', { type: 'DateTime' }),
    data: t.field({ type: [TimeseriesPointType], resolve: (series) => series.data }),
  }),
});

const DailySummaryType = builder.objectRef<DailySummary>('DailySummary').implement({
  description: "One metric on one local day of the user (in the user's time zone).",
  fields: (t) => ({
    date: t.exposeString('date', { description: 'YYYY-MM-DD in `timezone`.' }),
    timezone: t.exposeString('timezone'),
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    agg: t.field({ type: AggregationEnum, resolve: (day) => day.agg }),
    value: t.exposeFloat('value'),
    count: t.exposeInt('count'),
    min: t.exposeFloat('min'),
    max: t.exposeFloat('max'),
    source: t.exposeString('source', { description: 'The highest-priority source used that day.' }),
    sources: t.exposeStringList('sources', { description: 'Every source used that day, highest priority first.' }),
    mergedBy: t.field({ type: MergedByEnum, resolve: (day) => day.mergedBy }),
  }),
});

const DailySummaryPage = pageType(
  'DailySummaryPage',
  DailySummaryType,
  'A page of daily summaries by (date, metricType), and source with merge none.',
);

builder.queryFields((t) => ({
  healthSamples: t.field({
    type: HealthSamplePage,
    description: 'Raw samples of a user, filtered by metric types, source and a [from, to) window.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      metricType: t.arg.stringList({ description: 'One or more metric types.', ...rule(METRIC_TYPE_RULE) }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      source: t.arg.string({ description: 'Only this source.', ...rule(SOURCE_RULE) }),
      ...pageArgs,
    },
    resolve: (_root, { userId, metricType, from, to, source, ...page }, ctx) =>
      listSamples(serviceContext(ctx), String(userId), { metricTypes: metricType, from, to, source }, page),
  }),
  healthSummary: t.field({
    type: HealthSummaryType,
    description: 'Count per metric type with first/last timestamps and the latest value.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => ({ data: await healthSummary(serviceContext(ctx), String(args.userId)) }),
  }),
  healthTimeseries: t.field({
    type: TimeseriesType,
    description:
      "Aggregated series of one metric in buckets of the requested zone (default the user's); whole buckets overlapping [from, to).",
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      metricType: t.arg.string({ required: true, ...rule(METRIC_TYPE_RULE) }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime', description: 'Default now.' }),
      bucket: t.arg({ type: BucketEnum, description: 'Default day.' }),
      agg: t.arg({ type: AggregationEnum, description: "Default the metric's own (sum for totals, avg for most samples)." }),
      timezone: t.arg.string({ description: "IANA zone of the buckets; default the user's." }),
      merge: t.arg({ type: MergeModeEnum, description: 'Default priority.' }),
      source: t.arg.string({ description: 'Only this source (no merge).', ...rule(SOURCE_RULE) }),
    },
    resolve: (_root, { userId, ...query }, ctx) => timeseries(serviceContext(ctx), String(userId), query),
  }),
  dailySummaries: t.field({
    type: DailySummaryPage,
    description: "Per-day values per metric in the user's time zone.",
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({ description: 'First local day, YYYY-MM-DD.', ...rule({ format: 'date', status: 400 }) }),
      to: t.arg.string({ description: 'Last local day, YYYY-MM-DD (inclusive).', ...rule({ format: 'date', status: 400 }) }),
      metricType: t.arg.stringList({ ...rule(METRIC_TYPE_RULE) }),
      merge: t.arg({ type: MergeModeEnum, description: 'Default priority.' }),
      source: t.arg.string({ description: 'Only this source (no merge).', ...rule(SOURCE_RULE) }),
      ...pageArgs,
    },
    resolve: (_root, { userId, from, to, metricType, merge, source, ...page }, ctx) =>
      dailySummaries(serviceContext(ctx), String(userId), { from, to, metricTypes: metricType, merge, source }, page),
  }),
}));

builder.mutationFields((t) => ({
  deleteHealthData: t.boolean({
    description: "Delete all of a user's samples, rollups, events and records (GDPR); idempotent.",
    authScopes: { admin: true },
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await deleteHealthData(serviceContext(ctx), String(args.userId));
      return true;
    },
  }),
}));

const MetricCountLiveType = builder.objectRef<{ metricType: string; inserted: number }>('IngestedMetricCount').implement({
  fields: (t) => ({ metricType: t.exposeString('metricType'), inserted: t.exposeInt('inserted') }),
});

const SamplesIngestedType = builder.objectRef<SamplesIngested>('SamplesIngested').implement({
  description: 'New samples stored for a user by one ingest (a push or a provider sync).',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    source: t.exposeString('source'),
    inserted: t.exposeInt('inserted'),
    metrics: t.field({ type: [MetricCountLiveType], resolve: (batch) => batch.metrics }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionFields((t) => ({
  healthSamplesIngested: t.field({
    type: SamplesIngestedType,
    description: 'Live health updates: one message per ingest that stored new samples (optionally of one user).',
    authScopes: { read: true },
    args: { userId: t.arg.id() },
    subscribe: (_root, args, ctx) => userFeed(ctx, 'health.samples', args.userId),
    resolve: (batch) => batch,
  }),
}));
