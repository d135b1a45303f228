import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import {
  DEFAULT_DEBT_NIGHTS,
  DEFAULT_NEED_MINUTES,
  HISTORY_NIGHTS,
  MAX_DEBT_NIGHTS,
  PERSONAL_MIN_NIGHTS,
  PERSONAL_PERCENTILE,
  type DebtNight,
  type SleepDebt,
  type SleepNeed,
} from '../src/sleep/debt.js';
import { DEFAULT_QUALITY_NIGHTS, MAX_QUALITY_NIGHTS, type MeanFigure, type QualityNight, type SleepQuality } from '../src/sleep/quality.js';
import { getSleepDebt, getSleepQuality } from '../src/sleep/sleep-analysis.js';
import { builder } from './builder.js';

const DAY_RULE = rule({ format: 'date', status: 400 });

const DebtLevelEnum = builder.enumType('SleepDebtLevel', {
  description: 'VitaSync’s display bands of the debt: none under 1 h, low under 5 h, moderate under 10 h, high from 10 h.',
  values: ['none', 'low', 'moderate', 'high'] as const,
});
const NeedBasisEnum = builder.enumType('SleepNeedBasis', {
  description: `default: ${DEFAULT_NEED_MINUTES / 60} h (the middle of the National Sleep Foundation’s 7–9 h for adults); personal: the ${PERSONAL_PERCENTILE}th percentile of the user’s time asleep over the ${HISTORY_NIGHTS} nights before the window, within 7–9 h, once ${PERSONAL_MIN_NIGHTS} of them have data.`,
  values: ['default', 'personal'] as const,
});
const RatingEnum = builder.enumType('SleepQualityRating', {
  description: 'The National Sleep Foundation’s sleep quality indicators for adults (Ohayon et al. 2017, Sleep Health 3(1):6–19).',
  values: ['appropriate', 'uncertain', 'inappropriate'] as const,
});

const NeedType = builder.objectRef<SleepNeed>('SleepNeed').implement({
  fields: (t) => ({
    minutes: t.exposeFloat('minutes'),
    basis: t.field({ type: NeedBasisEnum, resolve: (need) => need.basis }),
    historyNights: t.exposeInt('historyNights', { description: 'Nights with data in the history window.' }),
    historyFrom: t.exposeString('historyFrom'),
    historyTo: t.exposeString('historyTo'),
  }),
});

const DebtNightType = builder.objectRef<DebtNight>('SleepDebtNight').implement({
  description: 'A night, by the local day of waking.',
  fields: (t) => ({
    date: t.exposeString('date'),
    asleepMinutes: t.exposeFloat('asleepMinutes', { nullable: true, description: 'Null: no sleep recorded (the debt is unchanged).' }),
    source: t.exposeString('source', { nullable: true }),
    balanceMinutes: t.exposeFloat('balanceMinutes', { nullable: true, description: 'need − asleep.' }),
    debtMinutes: t.exposeFloat('debtMinutes', { description: 'The debt after this night.' }),
  }),
});

const DebtType = builder.objectRef<SleepDebt>('SleepDebt').implement({
  description:
    'A running balance of time asleep against the nightly need over the window: each night with data adds need − asleep; the debt never goes below 0 (a long night repays, it does not bank). Nights are the local days of waking, one source each (the one with the most sleep).',
  fields: (t) => ({
    asOf: t.exposeString('asOf'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    need: t.field({ type: NeedType, resolve: (debt) => debt.need }),
    debtMinutes: t.exposeFloat('debtMinutes'),
    level: t.field({ type: DebtLevelEnum, resolve: (debt) => debt.level }),
    nightsWithData: t.exposeInt('nightsWithData'),
    averageAsleepMinutes: t.exposeFloat('averageAsleepMinutes', { nullable: true }),
    shortfallMinutes: t.exposeFloat('shortfallMinutes', { description: 'Σ max(0, need − asleep), before long nights repaid any of it.' }),
    sources: t.exposeStringList('sources'),
    nights: t.field({ type: [DebtNightType], resolve: (debt) => debt.nights }),
  }),
});

const MeanFigureType = builder.objectRef<MeanFigure>('SleepMeanFigure').implement({
  description: 'A figure’s mean over the nights that gave it.',
  fields: (t) => ({
    mean: t.exposeFloat('mean', { nullable: true }),
    n: t.exposeInt('n', { description: 'Nights that gave the figure.' }),
    rating: t.field({ type: RatingEnum, nullable: true, resolve: (figure) => figure.rating }),
  }),
});

const StageSharesType = builder.objectRef<{ light: number; deep: number; rem: number; n?: number }>('SleepStageShares').implement({
  description: 'Shares of the time asleep, %.',
  fields: (t) => ({
    light: t.exposeFloat('light'),
    deep: t.exposeFloat('deep'),
    rem: t.exposeFloat('rem'),
    n: t.int({ nullable: true, description: 'Nights with stages (window means only).', resolve: (shares) => shares.n ?? null }),
  }),
});

const RegularityType = builder.objectRef<SleepQuality['regularity']>('SleepRegularity').implement({
  description:
    'Sample standard deviations across nights of the main sleep’s local bedtime, wake time and midpoint, in minutes (lower is more regular; null under two nights).',
  fields: (t) => ({
    bedtimeSdMinutes: t.exposeFloat('bedtimeSdMinutes', { nullable: true }),
    wakeTimeSdMinutes: t.exposeFloat('wakeTimeSdMinutes', { nullable: true }),
    midpointSdMinutes: t.exposeFloat('midpointSdMinutes', { nullable: true }),
    n: t.exposeInt('n'),
  }),
});

const QualityNightType = builder.objectRef<QualityNight>('SleepQualityNight').implement({
  description: 'A night’s main sleep (the longest session, or the one the source calls main).',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'The local day of waking.' }),
    source: t.exposeString('source'),
    sessionId: t.exposeID('sessionId', { description: 'The sleep event (GET /v1/users/{userId}/events).' }),
    bedtime: t.exposeString('bedtime', { description: 'Local HH:MM.' }),
    wakeTime: t.exposeString('wakeTime', { description: 'Local HH:MM.' }),
    inBedMinutes: t.exposeFloat('inBedMinutes'),
    asleepMinutes: t.exposeFloat('asleepMinutes', {
      description: 'Light + deep + REM when staged; else in bed × efficiency; else time in bed.',
    }),
    efficiency: t.exposeFloat('efficiency', { nullable: true, description: 'Asleep / in bed, %: the source’s, else from the stages.' }),
    latencyMinutes: t.exposeFloat('latencyMinutes', { nullable: true, description: 'The source’s, else start to the first sleep stage.' }),
    wasoMinutes: t.exposeFloat('wasoMinutes', {
      nullable: true,
      description: 'Awake between the first and last sleep stage; from per-stage totals: awake − latency.',
    }),
    awakenings: t.exposeFloat('awakenings', { nullable: true, description: 'The source’s count, else awake stages after sleep onset.' }),
    stageShares: t.field({ type: StageSharesType, nullable: true, resolve: (night) => night.stageShares }),
  }),
});

const QualityType = builder.objectRef<SleepQuality>('SleepQuality').implement({
  description:
    'Sleep quality over the window’s nights (local days of waking), each night’s main sleep, one source each. Ratings of the means: efficiency ≥ 85% appropriate, 75–84% uncertain; latency ≤ 30 min, 31–60; WASO ≤ 20 min, 21–50; awakenings ≤ 1, 2–3; beyond, inappropriate.',
  fields: (t) => ({
    asOf: t.exposeString('asOf'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    nightsWithData: t.exposeInt('nightsWithData'),
    sources: t.exposeStringList('sources'),
    efficiency: t.field({ type: MeanFigureType, resolve: (q) => q.efficiency }),
    latencyMinutes: t.field({ type: MeanFigureType, resolve: (q) => q.latencyMinutes }),
    wasoMinutes: t.field({ type: MeanFigureType, resolve: (q) => q.wasoMinutes }),
    awakenings: t.field({ type: MeanFigureType, resolve: (q) => q.awakenings }),
    asleepMinutes: t.field({ type: MeanFigureType, resolve: (q) => q.asleepMinutes }),
    stageShares: t.field({ type: StageSharesType, nullable: true, resolve: (q) => q.stageShares }),
    regularity: t.field({ type: RegularityType, resolve: (q) => q.regularity }),
    nights: t.field({ type: [QualityNightType], resolve: (q) => q.nights }),
  }),
});

builder.queryFields((t) => ({
  sleepDebt: t.field({
    type: DebtType,
    description: 'Sleep debt over the nights ending on asOf, against the user’s nightly need.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      asOf: t.arg.string({ description: 'The last night’s local day of waking (YYYY-MM-DD); default the user’s today.', ...DAY_RULE }),
      days: t.arg.int({
        description: `Nights in the window (default ${DEFAULT_DEBT_NIGHTS}).`,
        ...rule({ minimum: 1, maximum: MAX_DEBT_NIGHTS }),
      }),
    },
    resolve: (_root, { userId, ...query }, ctx) => getSleepDebt(serviceContext(ctx), String(userId), query),
  }),
  sleepQuality: t.field({
    type: QualityType,
    description: 'Sleep quality (efficiency, latency, WASO, awakenings, stage shares, regularity) over the nights ending on asOf.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      asOf: t.arg.string({ description: 'The last night’s local day of waking (YYYY-MM-DD); default the user’s today.', ...DAY_RULE }),
      days: t.arg.int({
        description: `Nights in the window (default ${DEFAULT_QUALITY_NIGHTS}).`,
        ...rule({ minimum: 1, maximum: MAX_QUALITY_NIGHTS }),
      }),
    },
    resolve: (_root, { userId, ...query }, ctx) => getSleepQuality(serviceContext(ctx), String(userId), query),
  }),
}));
