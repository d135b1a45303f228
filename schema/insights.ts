import { QUICK_CORRELATION_DAYS, QUICK_CORRELATION_MIN_N } from '../src/insights/facts.js';
import { INSIGHT_KINDS, type Insight, type InsightEvidence } from '../src/insights/insight.js';
import { DEFAULT_INSIGHT_DAYS, listInsights, MAX_INSIGHT_DAYS, type InsightPage } from '../src/insights/insights.js';
import { TREND_MIN_BASELINE_DAYS, TREND_MIN_WEEK_DAYS, TREND_Z } from '../src/insights/trends.js';
import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });

const InsightEvidenceType = builder.objectRef<InsightEvidence>('InsightEvidence').implement({
  description: 'The data an insight stands on: its metrics, days, figures, count and sources, and the route that shows the detail.',
  fields: (t) => ({
    metrics: t.exposeStringList('metrics', {
      description: 'Metric types or derived series (sleep_minutes, acwr); a correlation names both.',
    }),
    from: t.exposeString('from', { description: 'First local day of the data (YYYY-MM-DD).' }),
    to: t.exposeString('to', { description: 'Last local day of the data.' }),
    values: t.field({
      type: 'JSON',
      description: 'The figures behind the sentence by name (weekMean, baselineMedian, z, rho, q, acwr, debtMinutes…), in `unit`.',
      resolve: (evidence) => evidence.values,
    }),
    unit: t.exposeString('unit', { nullable: true }),
    n: t.exposeInt('n', { description: 'Days, nights or workouts behind the figures.' }),
    sources: t.exposeStringList('sources'),
    route: t.exposeString('route', { description: 'The API route that shows the detail ({userId} is this user).' }),
  }),
});

const InsightType = builder.objectRef<Insight>('Insight').implement({
  description:
    'A short sentence about the user’s data with its evidence and a confidence 0–1. Kinds: trend (the 7-day mean against the ' +
    `30-day baseline before it: |modified z| ≥ ${TREND_Z}, Iglewicz & Hoaglin 1993, with ≥ ${TREND_MIN_WEEK_DAYS} and ≥ ${TREND_MIN_BASELINE_DAYS} days; ` +
    'confidence (1 − p) × coverage), anomaly (stored anomalies; 1 − p of z, clinical 0.9), correlation (lag-0 Spearman |ρ| ≥ 0.5 over ' +
    `${QUICK_CORRELATION_DAYS} days, ≥ ${QUICK_CORRELATION_MIN_N} days, BH q ≤ 0.05; confidence 1 − q), record (a personal record set in the window; 1), ` +
    'sleep_debt (≥ 5 h over 14 nights; nights with data / nights), training_load (ACWR outside 0.8–1.3, Gabbett 2016; ' +
    '0.5 + 0.5 × share of measured workouts). `confidenceBasis` states the derivation of each.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable for the same evidence (a hash of the kind and the evidence).' }),
    kind: t.exposeString('kind', { description: INSIGHT_KINDS.join(', ') + '.' }),
    category: t.exposeString('category', { description: 'The metric’s category (heart, sleep, activity…) or training.' }),
    severity: t.exposeString('severity', { description: 'info, warning or critical.' }),
    sentence: t.exposeString('sentence', { description: 'The sentence shown: deterministicSentence, or a model’s rewording of it.' }),
    deterministicSentence: t.exposeString('deterministicSentence', { description: 'VitaSync’s own sentence.' }),
    wordedBy: t.exposeString('wordedBy', { description: '"vitasync", or the model (INSIGHTS_LLM_MODEL) that reworded the sentence.' }),
    confidence: t.exposeFloat('confidence', { description: '0–1; see confidenceBasis.' }),
    confidenceBasis: t.exposeString('confidenceBasis'),
    evidence: t.field({ type: InsightEvidenceType, resolve: (insight) => insight.evidence }),
  }),
});

const InsightPageType = builder.objectRef<InsightPage>('InsightPage').implement({
  description: 'A page of insights, most severe first (then by kind and id).',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    timezone: t.exposeString('timezone', { description: "The user's zone: the days are its days." }),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    data: t.field({ type: [InsightType], resolve: (page) => page.data }),
    limit: t.exposeInt('limit'),
    total: t.exposeInt('total', { nullable: true, description: 'Insights in the whole list (offset pages only).' }),
    offset: t.exposeInt('offset', { nullable: true }),
    nextCursor: t.exposeString('nextCursor', { nullable: true }),
  }),
});

builder.queryFields((t) => ({
  insights: t.field({
    type: InsightPageType,
    description:
      'Insights of a window of local days: trends, anomalies, strong correlations, personal records, sleep debt and training load, ' +
      'each with its evidence and confidence. Deterministic; when INSIGHTS_LLM_URL and INSIGHTS_LLM_MODEL are set the sentences of ' +
      'the page are reworded by that OpenAI-compatible endpoint (never the evidence; VitaSync’s sentence on any failure).',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({
        description: `First local day; default ${DEFAULT_INSIGHT_DAYS - 1} days before to (not before 1900-01-01).`,
        ...DAY_RULE,
      }),
      to: t.arg.string({
        description: `Last local day (inclusive; at most ${MAX_INSIGHT_DAYS} days after from); default yesterday in the user’s zone. Trends, sleep debt and training load are as of this day.`,
        ...DAY_RULE,
      }),
      kind: t.arg.stringList({ description: 'Only these kinds (repeatable).', ...rule({ enum: INSIGHT_KINDS }) }),
      ...pageArgs,
    },
    resolve: (_root, { userId, ...query }, ctx) => listInsights(serviceContext(ctx), String(userId), query),
  }),
}));
