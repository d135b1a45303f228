import {
  analyticsContext,
  DEFAULT_MAX_TOKENS,
  MAX_MAX_TOKENS,
  MIN_MAX_TOKENS,
  type AnalyticsContext,
  type ContextBaseline,
  type ContextNight,
  type ContextSleep,
  type ContextTraining,
  type ContextWorkout,
} from '../src/analytics/context.js';
import { CONTEXT_SECTIONS, type ContextText } from '../src/analytics/context-text.js';
import type { RecentRecord } from '../src/insights/facts.js';
import type { Trend } from '../src/insights/trends.js';
import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { AnomalyType, BaselineType, CorrelationType } from './analytics.js';
import { builder } from './builder.js';
import { HealthScoresType } from './health-scores.js';
import { ReadinessType } from './readiness.js';

export const TrendType = builder.objectRef<Trend>('Trend').implement({
  description:
    'The mean of the last 7 local days against the 30-day baseline before them; a trend when |modified z| of the mean ≥ 1 ' +
    '(Iglewicz & Hoaglin 1993), with ≥ 5 days in the week and ≥ 14 in the baseline.',
  fields: (t) => ({
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    direction: t.exposeString('direction', { description: 'up or down.' }),
    weekFrom: t.exposeString('weekFrom'),
    weekTo: t.exposeString('weekTo'),
    weekMean: t.exposeFloat('weekMean'),
    weekDays: t.exposeInt('weekDays', { description: 'Days of the week with a value.' }),
    baselineFrom: t.exposeString('baselineFrom'),
    baselineTo: t.exposeString('baselineTo'),
    baselineMedian: t.exposeFloat('baselineMedian'),
    baselineMad: t.exposeFloat('baselineMad'),
    baselineDays: t.exposeInt('baselineDays'),
    changePercent: t.exposeFloat('changePercent', { nullable: true, description: '(weekMean − median) / |median| × 100.' }),
    z: t.exposeFloat('z', { description: 'Modified z-score of the week’s mean.' }),
    confidence: t.exposeFloat('confidence', { description: '(1 − p) × coverage; p two-sided normal of z × √weekDays.' }),
    sources: t.exposeStringList('sources'),
  }),
});

const ContextBaselineType = builder.objectRef<ContextBaseline>('ContextBaseline').implement({
  description: 'A metric’s 30-day baseline and the mean of its last 7 days (both end the day before asOf).',
  fields: (t) => ({
    metricType: t.exposeString('metricType'),
    unit: t.exposeString('unit'),
    baseline30: t.field({ type: BaselineType, resolve: (b) => b.baseline30 }),
    mean7: t.exposeFloat('mean7', { nullable: true }),
    n7: t.exposeInt('n7', { description: 'Days of the last 7 with a value.' }),
  }),
});

const ContextSleepType = builder.objectRef<ContextSleep>('ContextSleep').implement({
  description: 'Sleep debt and quality over the 14 nights ending asOf (GET …/sleep-analysis/debt and /quality for the detail).',
  fields: (t) => ({
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    debtMinutes: t.exposeFloat('debtMinutes'),
    debtLevel: t.exposeString('debtLevel'),
    needMinutes: t.exposeFloat('needMinutes'),
    needBasis: t.exposeString('needBasis'),
    nightsWithData: t.exposeInt('nightsWithData'),
    averageAsleepMinutes: t.exposeFloat('averageAsleepMinutes', { nullable: true }),
    efficiency: t.exposeFloat('efficiency', { nullable: true, description: 'Mean sleep efficiency, %.' }),
    sources: t.exposeStringList('sources'),
  }),
});

const ContextTrainingType = builder.objectRef<ContextTraining>('ContextTraining').implement({
  description: 'Training load on asOf (GET …/readiness/training-load for the detail).',
  fields: (t) => ({
    asOf: t.exposeString('asOf'),
    ctl: t.exposeFloat('ctl'),
    atl: t.exposeFloat('atl'),
    tsb: t.exposeFloat('tsb'),
    acwr: t.exposeFloat('acwr', { nullable: true }),
    rampRate: t.exposeFloat('rampRate', { nullable: true }),
    workouts28: t.exposeInt('workouts28', { description: 'Workouts in the 28 days ending asOf.' }),
  }),
});

const ContextWorkoutType = builder.objectRef<ContextWorkout>('ContextWorkout').implement({
  fields: (t) => ({
    date: t.exposeString('date'),
    subtype: t.exposeString('subtype', { nullable: true }),
    minutes: t.exposeFloat('minutes'),
    trimp: t.exposeFloat('trimp'),
    source: t.exposeString('source'),
  }),
});

const ContextNightType = builder.objectRef<ContextNight>('ContextNight').implement({
  fields: (t) => ({ date: t.exposeString('date'), asleepMinutes: t.exposeFloat('asleepMinutes'), source: t.exposeString('source') }),
});

const ContextRecordType = builder.objectRef<RecentRecord>('ContextRecord').implement({
  description: 'A personal record set in the 30 days ending asOf.',
  fields: (t) => ({
    id: t.exposeID('id'),
    metricType: t.exposeString('metricType'),
    kind: t.exposeString('kind'),
    qualifier: t.exposeString('qualifier', { nullable: true }),
    value: t.exposeFloat('value'),
    unit: t.exposeString('unit'),
    date: t.exposeString('date', { description: 'Local day it was set.' }),
    source: t.exposeString('source'),
    previousValue: t.exposeFloat('previousValue', { nullable: true }),
  }),
});

const PartialSectionType = builder.objectRef<NonNullable<ContextText['partial']>>('ContextPartialSection').implement({
  fields: (t) => ({ section: t.exposeString('section'), lines: t.exposeInt('lines'), of: t.exposeInt('of') }),
});

const AnalyticsContextType = builder.objectRef<AnalyticsContext>('AnalyticsContext').implement({
  description:
    'What VitaSync knows of a user on a local day, as JSON sections and as a compact text within a token budget. Sections of the text, ' +
    `most important first (dropped from the end when the budget is short): ${CONTEXT_SECTIONS.join(', ')}.`,
  fields: (t) => ({
    userId: t.exposeID('userId'),
    timezone: t.exposeString('timezone'),
    asOf: t.exposeString('asOf'),
    baselines: t.field({ type: [ContextBaselineType], resolve: (c) => c.baselines }),
    trends: t.field({ type: [TrendType], resolve: (c) => c.trends, description: 'The week ending the day before asOf.' }),
    anomalies: t.field({ type: [AnomalyType], resolve: (c) => c.anomalies, description: 'Stored anomalies of the 14 days ending asOf.' }),
    correlations: t.field({
      type: [CorrelationType],
      resolve: (c) => c.correlations,
      description: 'Lag-0 discoveries over the 30 days ending the day before asOf (≥ 21 days, Spearman, BH q ≤ 0.05), top 5.',
    }),
    readiness: t.field({ type: ReadinessType, resolve: (c) => c.readiness }),
    scores: t.field({
      type: HealthScoresType,
      nullable: true,
      resolve: (c) => c.scores,
      description:
        'Health scores of the day before asOf (the last complete day), computed on read as GET …/health-scores scores; null when no area has data.',
    }),
    training: t.field({ type: ContextTrainingType, nullable: true, resolve: (c) => c.training, description: 'Null without workouts.' }),
    sleep: t.field({ type: ContextSleepType, resolve: (c) => c.sleep }),
    recentWorkouts: t.field({ type: [ContextWorkoutType], resolve: (c) => c.recentWorkouts, description: 'The 7 days ending asOf.' }),
    recentNights: t.field({ type: [ContextNightType], resolve: (c) => c.recentNights, description: 'The 7 nights ending asOf.' }),
    records: t.field({ type: [ContextRecordType], resolve: (c) => c.records }),
    text: t.exposeString('text', { description: 'The compact rendering, at most maxTokens o200k_base tokens.' }),
    tokens: t.exposeInt('tokens', { description: 'o200k_base tokens of text (gpt-tokenizer).' }),
    maxTokens: t.exposeInt('maxTokens'),
    included: t.exposeStringList('included', { description: 'Sections in the text whole.' }),
    partial: t.field({ type: PartialSectionType, nullable: true, resolve: (c) => c.partial, description: 'The section cut short.' }),
    omitted: t.exposeStringList('omitted', { description: 'Sections left out for the budget.' }),
  }),
});

builder.queryFields((t) => ({
  analyticsContext: t.field({
    type: AnalyticsContextType,
    description:
      'LLM-ready context of a user on a local day: baselines, trends, anomalies, correlations, readiness, health scores, sleep, training ' +
      'load, records and recent events as JSON, and `text`, a compact rendering that fits maxTokens tokens counted with the o200k_base ' +
      'encoding (gpt-tokenizer), dropping the least important sections first and naming them. Computed from rollups and short windows.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      asOf: t.arg.string({ description: "Local day (YYYY-MM-DD); default the user's today.", ...rule({ format: 'date', status: 400 }) }),
      maxTokens: t.arg.int({
        description: `Token budget of text (o200k_base), ${MIN_MAX_TOKENS}–${MAX_MAX_TOKENS} (default ${DEFAULT_MAX_TOKENS}).`,
        ...rule({ minimum: MIN_MAX_TOKENS, maximum: MAX_MAX_TOKENS, status: 400 }),
      }),
    },
    resolve: (_root, { userId, ...query }, ctx) => analyticsContext(serviceContext(ctx), String(userId), query),
  }),
}));
