import { rule } from '../src/lib/input-rules.js';
import { ACTIVITY_WEIGHTS, MVPA_TARGET_MINUTES, STEPS_TARGET } from '../src/scores/activity-area.js';
import { CARDIO_WEIGHTS } from '../src/scores/cardio-area.js';
import { SCORE_WINDOW_DAYS, type ScoreComponent, type ScoreComponentId } from '../src/scores/components.js';
import { AREA_IDS, AREA_WEIGHTS, COMPONENT_WEIGHTS, type AreaScore, type HealthScores } from '../src/scores/health-scores.js';
import { computeAndStoreHealthScore, listHealthScores, type StoredHealthScore } from '../src/scores/score-store.js';
import { SLEEP_WEIGHTS } from '../src/scores/sleep-area.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';
import { ReadinessBaselineType } from './readiness.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const percent = (weights: Record<string, number>) =>
  Object.entries(weights)
    .map(([id, weight]) => `${id} ${weight * 100}%`)
    .join(', ');
const COMPONENT_IDS = [...new Set(AREA_IDS.flatMap((area) => Object.keys(COMPONENT_WEIGHTS[area])))] as ScoreComponentId[];

const AreaEnum = builder.enumType('HealthScoreArea', {
  description: `Overall weights: ${percent(AREA_WEIGHTS)}; an area without data gives its weight to the others.`,
  values: AREA_IDS,
});
const ComponentEnum = builder.enumType('HealthScoreComponent', {
  description:
    `sleep: ${percent(SLEEP_WEIGHTS)}; activity: ${percent(ACTIVITY_WEIGHTS)}; cardio: ${percent(CARDIO_WEIGHTS)}; ` +
    'recovery: readiness 100%. A component without data gives its weight to the others of its area.',
  values: COMPONENT_IDS,
});

const ComponentType = builder.objectRef<ScoreComponent>('HealthScoreComponentScore').implement({
  description:
    'One component of an area: its value over the local days from–to, the reference it is scored against, its sub-score 0–100 and its share of the area. ' +
    'duration: mean asleep / nightly need, 200 × ratio − 100; efficiency: 50 + 5 × (mean % − 75) (Ohayon et al. 2017: ≥ 85% appropriate); ' +
    'regularity: 100 − (SD of the sleep midpoint − 30) × 100 / 60 (min, from 3 nights); ' +
    `steps: 100 × mean daily steps / ${STEPS_TARGET} (Paluch et al. 2022); ` +
    `active_minutes: 100 × weekly moderate + 2 × vigorous minutes / ${MVPA_TARGET_MINUTES} (WHO 2020); ` +
    'resting_heart_rate: 100 − 2.5 × (mean bpm − 60) (AHA 60–100 bpm, lower better); hrv: 50 + 25 × modified z of the mean RMSSD against the 30 days before; ' +
    'readiness: the day’s readiness score. Sub-scores are clipped to 0–100.',
  fields: (t) => ({
    component: t.field({ type: ComponentEnum, resolve: (c) => c.component }),
    source: t.exposeString('source', { description: 'The metric type or derived figure the value is.' }),
    value: t.exposeFloat('value'),
    unit: t.exposeString('unit'),
    reference: t.exposeFloat('reference', { description: 'The need, target, norm or personal median the value is scored against.' }),
    referenceBasis: t.exposeString('referenceBasis', { description: 'Where the reference comes from.' }),
    baseline: t.field({
      type: ReadinessBaselineType,
      nullable: true,
      description: 'hrv: the 30 local days before the window, their median and MAD.',
      resolve: (c) => c.baseline,
    }),
    from: t.exposeString('from', { description: 'First local day of the data.' }),
    to: t.exposeString('to', { description: 'Last local day of the data.' }),
    n: t.exposeInt('n', { description: 'Days (nights) with a value; readiness: its signals with data.' }),
    sources: t.exposeStringList('sources', { description: 'Sources of the data (readiness: its signals).' }),
    subScore: t.exposeFloat('subScore'),
    weight: t.exposeFloat('weight'),
    share: t.exposeFloat('share', { description: 'The weight’s share among the area’s components with data.' }),
    contribution: t.exposeFloat('contribution', { description: 'subScore × share: they add up to the area’s score.' }),
  }),
});

const AreaType = builder.objectRef<AreaScore>('HealthScoreAreaScore').implement({
  description:
    'One area: its score (Σ component subScore × share, rounded), its weight and share of the overall score, and its components.',
  fields: (t) => ({
    area: t.field({ type: AreaEnum, resolve: (a) => a.area }),
    subScore: t.exposeInt('subScore', { description: 'The area’s score, 0–100.' }),
    weight: t.exposeFloat('weight'),
    share: t.exposeFloat('share', { description: 'The weight’s share among the areas with data.' }),
    contribution: t.exposeFloat('contribution', { description: 'subScore × share: they add up to the overall score.' }),
    components: t.field({ type: [ComponentType], resolve: (a) => a.components }),
    missing: t.field({ type: [ComponentEnum], description: 'Components without data.', resolve: (a) => a.missing }),
  }),
});

const SCORES_DESCRIPTION =
  `Composite wellness scores 0–100 for a local day, each area over the ${SCORE_WINDOW_DAYS} local days (nights) ending on it: ` +
  `sleep, activity, cardio and recovery (the day’s readiness); overall is their weighted mean (${percent(AREA_WEIGHTS)}). ` +
  'Missing components and areas give their weight to the others; null when nothing had data.';

/** The field builder of a HealthScores object: the stored HealthScore has the same fields (it extends the shape) plus its own. */
type ScoreFieldBuilder = Parameters<
  NonNullable<Parameters<ReturnType<typeof builder.objectRef<HealthScores>>['implement']>[0]['fields']>
>[0];

function scoreFields(t: ScoreFieldBuilder) {
  const area = (id: (typeof AREA_IDS)[number]) => t.int({ nullable: true, description: `The ${id} area’s score.`, resolve: (s) => s[id] });
  return {
    userId: t.exposeID('userId'),
    timezone: t.exposeString('timezone', { description: "The user's zone: the days are its days." }),
    asOf: t.exposeString('asOf', { description: 'The scored local day.' }),
    overall: t.int({ nullable: true, description: 'Weighted mean of the areas with data.', resolve: (s) => s.overall }),
    sleep: area('sleep'),
    activity: area('activity'),
    cardio: area('cardio'),
    recovery: area('recovery'),
    areas: t.field({ type: [AreaType], resolve: (s) => s.areas }),
    missing: t.field({ type: [AreaEnum], description: 'Areas without data.', resolve: (s) => s.missing }),
  };
}

export const HealthScoresType = builder.objectRef<HealthScores>('HealthScores').implement({
  description: SCORES_DESCRIPTION,
  fields: (t) => scoreFields(t),
});

const HealthScoreType = builder.objectRef<StoredHealthScore>('HealthScore').implement({
  description: `${SCORES_DESCRIPTION} A stored score: one per user and local day.`,
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Kept when the day is computed again.' }),
    computedAt: t.field({ type: 'DateTime', description: 'When the day was last computed.', resolve: (s) => s.computedAt }),
    // A StoredHealthScore is a HealthScores: resolvers written for the narrower parent read the wider one safely.
    ...scoreFields(t as unknown as ScoreFieldBuilder),
  }),
});

const HealthScorePage = pageType('HealthScorePage', HealthScoreType, 'A page of stored health scores, newest day first.');

builder.queryFields((t) => ({
  healthScores: t.field({
    type: HealthScorePage,
    description: 'The user’s computed health scores (overall, sleep, activity, cardio, recovery), newest local day first.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({ description: 'First local day (YYYY-MM-DD), inclusive.', ...DAY_RULE }),
      to: t.arg.string({ description: 'Last local day (YYYY-MM-DD), inclusive.', ...DAY_RULE }),
      ...pageArgs,
    },
    resolve: (_root, { userId, from, to, ...page }, ctx) => listHealthScores(serviceContext(ctx), String(userId), { from, to }, page),
  }),
}));

builder.mutationFields((t) => ({
  computeHealthScore: t.field({
    type: HealthScoreType,
    description:
      'Compute and store the health scores of a local day. One score per user and day: computing a day again replaces its figures and keeps its id. ' +
      'Emits health_score.computed.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      asOf: t.arg.string({
        description:
          'The local day to score (YYYY-MM-DD); default the user’s yesterday, the last complete day (today’s is still counting).',
        ...DAY_RULE,
      }),
    },
    resolve: (_root, { userId, asOf }, ctx) => computeAndStoreHealthScore(serviceContext(ctx), String(userId), asOf),
  }),
}));
