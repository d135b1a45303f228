import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { DEFAULT_LOAD_DAYS, getTrainingLoad, MAX_LOAD_DAYS } from '../src/training/load-report.js';
import { getReadiness, READINESS_WEIGHTS, type Readiness, type ReadinessSignal, type SignalBaseline } from '../src/training/readiness.js';
import {
  ATL_DAYS,
  CTL_DAYS,
  type HeartRateAnchor,
  type LoadDay,
  type TrainingLoad,
  type WorkoutLoad,
} from '../src/training/training-load.js';
import { builder } from './builder.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const SIGNALS = Object.keys(READINESS_WEIGHTS) as (keyof typeof READINESS_WEIGHTS)[];

const SignalEnum = builder.enumType('ReadinessSignalKind', {
  description: `Weights: ${SIGNALS.map((s) => `${s} ${READINESS_WEIGHTS[s] * 100}%`).join(', ')}; a signal without data gives its weight to the others.`,
  values: SIGNALS,
});
const LevelEnum = builder.enumType('ReadinessLevel', {
  description: 'low under 40, moderate under 70, high from 70.',
  values: ['low', 'moderate', 'high'] as const,
});
const MethodEnum = builder.enumType('TrainingLoadMethod', {
  description: 'heart_rate: HRr from the workout’s average HR; rpe: the source’s CR-10 perceived exertion / 10; estimated: 0.5 (moderate).',
  values: ['heart_rate', 'rpe', 'estimated'] as const,
});
const AnchorBasisEnum = builder.enumType('HeartRateAnchorBasis', { values: ['measured', 'default'] as const });

export const ReadinessBaselineType = builder.objectRef<SignalBaseline>('ReadinessBaseline').implement({
  description: 'The 30 local days before the day: their median and MAD.',
  fields: (t) => ({
    median: t.exposeFloat('median'),
    mad: t.exposeFloat('mad'),
    n: t.exposeInt('n'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
  }),
});

const SignalType = builder.objectRef<ReadinessSignal>('ReadinessSignal').implement({
  description: 'One contributing signal: its value, its baseline or reference, its sub-score 0–100 and its share of the score.',
  fields: (t) => ({
    signal: t.field({ type: SignalEnum, resolve: (s) => s.signal }),
    source: t.exposeString('source', { description: 'The metric type, or sleep_minutes (last night) or tsb (yesterday’s form).' }),
    value: t.exposeFloat('value'),
    unit: t.exposeString('unit'),
    baseline: t.field({ type: ReadinessBaselineType, nullable: true, resolve: (s) => s.baseline }),
    deviation: t.exposeFloat('deviation', {
      nullable: true,
      description: 'hrv and resting_heart_rate: the modified z-score; sleep: asleep / need; temperature: °C from the reference.',
    }),
    subScore: t.exposeFloat('subScore'),
    weight: t.exposeFloat('weight'),
    share: t.exposeFloat('share', { description: 'The weight’s share among the signals with data.' }),
    contribution: t.exposeFloat('contribution', { description: 'subScore × share: the signals’ contributions add up to the score.' }),
  }),
});

export const ReadinessType = builder.objectRef<Readiness>('Readiness').implement({
  description:
    'Readiness 0–100 on a local day: HRV and resting HR against their 30-day baselines (modified z), last night’s sleep against the need, yesterday’s training form (TSB) and temperature deviation, each scored 0–100 and weighted.',
  fields: (t) => ({
    asOf: t.exposeString('asOf'),
    score: t.exposeInt('score', { nullable: true, description: 'Null when no signal has data.' }),
    level: t.field({ type: LevelEnum, nullable: true, resolve: (r) => r.level }),
    signals: t.field({ type: [SignalType], resolve: (r) => r.signals }),
    missing: t.field({ type: [SignalEnum], resolve: (r) => r.missing }),
  }),
});

const AnchorType = builder.objectRef<HeartRateAnchor>('HeartRateAnchor').implement({
  fields: (t) => ({
    bpm: t.exposeFloat('bpm'),
    basis: t.field({ type: AnchorBasisEnum, resolve: (a) => a.basis }),
    n: t.exposeInt('n', { description: 'Days (resting) or workouts (max) it was taken from.' }),
  }),
});

const LoadDayType = builder.objectRef<LoadDay>('TrainingLoadDay').implement({
  fields: (t) => ({
    date: t.exposeString('date'),
    load: t.exposeFloat('load', { description: 'The day’s TRIMP.' }),
    workouts: t.exposeInt('workouts'),
    ctl: t.exposeFloat('ctl', { description: `Chronic load, ${CTL_DAYS}-day time constant.` }),
    atl: t.exposeFloat('atl', { description: `Acute load, ${ATL_DAYS}-day time constant.` }),
    tsb: t.exposeFloat('tsb', { description: 'CTL − ATL.' }),
    rampRate: t.exposeFloat('rampRate', { nullable: true, description: 'CTL − CTL seven days before.' }),
    acwr: t.exposeFloat('acwr', { nullable: true, description: 'ATL / CTL; null while CTL is 0.' }),
  }),
});

const WorkoutLoadType = builder.objectRef<WorkoutLoad>('WorkoutLoad').implement({
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The workout (health event).' }),
    date: t.exposeString('date'),
    subtype: t.exposeString('subtype', { nullable: true }),
    source: t.exposeString('source'),
    durationMinutes: t.exposeFloat('durationMinutes'),
    avgHeartRate: t.exposeFloat('avgHeartRate', { nullable: true }),
    hrr: t.exposeFloat('hrr', { description: 'Heart-rate reserve fraction, 0–1.' }),
    method: t.field({ type: MethodEnum, resolve: (w) => w.method }),
    trimp: t.exposeFloat('trimp'),
  }),
});

const TrainingLoadType = builder.objectRef<TrainingLoad>('TrainingLoad').implement({
  description:
    'Banister TRIMP per workout (minutes × HRr × 0.64 × e^(1.92 × HRr)) and per local day, with CTL and ATL (exponentially weighted, 1 − e^(−1/τ) a day, τ 42 and 7), TSB, ramp rate and ACWR per day. restingHeartRate and maxHeartRate are the anchors of HRr.',
  fields: (t) => ({
    asOf: t.exposeString('asOf'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    restingHeartRate: t.field({ type: AnchorType, resolve: (l) => l.restingHeartRate }),
    maxHeartRate: t.field({ type: AnchorType, resolve: (l) => l.maxHeartRate }),
    days: t.field({ type: [LoadDayType], resolve: (l) => l.days }),
    workouts: t.field({ type: [WorkoutLoadType], resolve: (l) => l.workouts }),
  }),
});

builder.queryFields((t) => ({
  readiness: t.field({
    type: ReadinessType,
    description: 'Readiness score with contributing signals for a local day.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      asOf: t.arg.string({ description: 'Local day (YYYY-MM-DD); default the user’s today.', ...DAY_RULE }),
    },
    resolve: (_root, { userId, asOf }, ctx) => getReadiness(serviceContext(ctx), String(userId), { asOf }),
  }),
  trainingLoad: t.field({
    type: TrainingLoadType,
    description: 'Training load per workout and day (TRIMP), with CTL, ATL, TSB, ramp rate and ACWR.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      asOf: t.arg.string({ description: 'Last local day (YYYY-MM-DD); default the user’s today.', ...DAY_RULE }),
      days: t.arg.int({ description: `Days reported (default ${DEFAULT_LOAD_DAYS}).`, ...rule({ minimum: 1, maximum: MAX_LOAD_DAYS }) }),
    },
    resolve: (_root, { userId, ...query }, ctx) => getTrainingLoad(serviceContext(ctx), String(userId), query),
  }),
}));
