import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { BEVERAGE_IDS, BEVERAGES, DEFAULT_WATER_GOAL_ML, MAX_LOG_ML, WATER_UNIT_IDS } from '../src/wellness/water/beverages.js';
import {
  hydrationToday,
  hydrationWeek,
  MAX_WATER_GOAL_ML,
  type HydrationDay,
  type HydrationToday,
  type HydrationWeek,
} from '../src/wellness/water/hydration.js';
import {
  createWaterLog,
  deleteWaterLog,
  listWaterLogs,
  MAX_NOTE,
  MIN_AMOUNT,
  type WaterLogView,
} from '../src/wellness/water/water-logs.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';
import { TargetSourceEnum } from './wellness-targets.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const GOAL_WORDS =
  `Daily goal in ml: this parameter, else the target of the user’s active daily goal on metric water (GET /v1/users/{userId}/goals), ` +
  `else ${DEFAULT_WATER_GOAL_ML} ml (EFSA 2010 adequate intake of total water: 2.0 l/day women, 2.5 l/day men; EFSA Journal 8(3):1459).`;
const GOAL_RULE = rule({ minimum: 1, maximum: MAX_WATER_GOAL_ML });
const FACTORS = BEVERAGE_IDS.map((id) => `${id} ${BEVERAGES[id]}`).join(', ');

const BeverageEnum = builder.enumType('Beverage', {
  description:
    `What was drunk, with its hydration factor (share of the volume counted as water): ${FACTORS}. Maughan et al. 2016 (Am J Clin Nutr ` +
    '103:717–723): no everyday drink retained less water than still water (milk, juice retained more: counted at their volume); wine and ' +
    'spirits: the urine alcohol drives (about 10 ml a gram, Eggleton 1942) takes back their water.',
  values: BEVERAGE_IDS,
});
const WaterUnitEnum = builder.enumType('WaterUnit', {
  description: 'ml; l; fl_oz: US fluid ounce (29.5735295625 ml); cup: US customary cup (8 US fl oz, 236.5882365 ml).',
  values: WATER_UNIT_IDS,
});

const WaterLogType = builder.objectRef<WaterLogView>('WaterLog').implement({
  description:
    'A logged drink. Its hydration is stored once, as a sample of metric water (source vitasync, externalId the log id), so health routes show it and a drink an app also pushed counts once.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    at: t.field({ type: 'DateTime', description: 'When it was drunk.', resolve: (log) => new Date(log.at) }),
    localDate: t.exposeString('localDate', { description: 'The user’s local day at `at`, in the zone the user had when it was logged.' }),
    amount: t.exposeFloat('amount', { description: 'As given, in unit.' }),
    unit: t.exposeString('unit'),
    volumeMl: t.exposeFloat('volumeMl', { description: 'The amount in ml.' }),
    beverage: t.exposeString('beverage'),
    hydrationFactor: t.exposeFloat('hydrationFactor'),
    hydrationMl: t.exposeFloat('hydrationMl', { description: 'volumeMl × hydrationFactor: the water counted (the sample’s value).' }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.field({ type: 'DateTime', resolve: (log) => new Date(log.createdAt) }),
  }),
});
const WaterLogPage = pageType('WaterLogPage', WaterLogType, 'A page of water logs in time order.');

const dayFields = {
  date: 'The local day (YYYY-MM-DD).',
  totalMl:
    'The day’s water: the merged water metric of the local day in the user’s current zone (every source, each quarter hour from the highest-priority source with data, as GET …/health/daily-summaries), so a drink logged here and pushed by an app counts once.',
  goalMl: 'The goal the day is judged against.',
  percent: 'totalMl / goalMl × 100, one decimal.',
  remainingMl: 'max(0, goalMl − totalMl).',
} as const;

const HydrationDayType = builder.objectRef<HydrationDay>('HydrationDay').implement({
  description: 'One local day’s water against the goal.',
  fields: (t) => ({
    date: t.exposeString('date', { description: dayFields.date }),
    totalMl: t.exposeFloat('totalMl', { description: dayFields.totalMl }),
    goalMl: t.exposeFloat('goalMl', { description: dayFields.goalMl }),
    percent: t.exposeFloat('percent', { description: dayFields.percent }),
    remainingMl: t.exposeFloat('remainingMl', { description: dayFields.remainingMl }),
    met: t.exposeBoolean('met', { description: 'totalMl ≥ goalMl.' }),
    sources: t.exposeStringList('sources', { description: 'Sources of the total, highest priority first (vitasync: the logs).' }),
    samples: t.exposeInt('samples', { description: 'Water samples behind the total after the merge.' }),
    logs: t.exposeInt('logs', { description: 'Water logs whose localDate is this day.' }),
  }),
});

const HydrationTodayType = builder.objectRef<HydrationToday>('HydrationToday').implement({
  description: 'A local day’s hydration (default today in the user’s zone) and its goal progress.',
  fields: (t) => ({
    date: t.exposeString('date', { description: dayFields.date }),
    timezone: t.exposeString('timezone'),
    totalMl: t.exposeFloat('totalMl', { description: dayFields.totalMl }),
    goalMl: t.exposeFloat('goalMl', { description: dayFields.goalMl }),
    goalSource: t.field({ type: TargetSourceEnum, resolve: (day) => day.goalSource }),
    goalId: t.exposeString('goalId', { nullable: true, description: 'The goal the target came from (goalSource goal).' }),
    percent: t.exposeFloat('percent', { description: dayFields.percent }),
    remainingMl: t.exposeFloat('remainingMl', { description: dayFields.remainingMl }),
    met: t.exposeBoolean('met'),
    sources: t.exposeStringList('sources'),
    samples: t.exposeInt('samples'),
    logs: t.exposeInt('logs'),
  }),
});

const HydrationWeekType = builder.objectRef<HydrationWeek>('HydrationWeek').implement({
  description: 'Seven local days of hydration ending `to`, each against the goal of the last day.',
  fields: (t) => ({
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    timezone: t.exposeString('timezone'),
    goalMl: t.exposeFloat('goalMl'),
    goalSource: t.field({ type: TargetSourceEnum, resolve: (week) => week.goalSource }),
    goalId: t.exposeString('goalId', { nullable: true }),
    days: t.field({ type: [HydrationDayType], resolve: (week) => week.days }),
    totalMl: t.exposeFloat('totalMl', { description: 'The seven days’ totals summed.' }),
    averageMl: t.exposeFloat('averageMl', { nullable: true, description: 'totalMl / daysWithData; null without data.' }),
    daysWithData: t.exposeInt('daysWithData', { description: 'Days with at least one water sample.' }),
    daysMet: t.exposeInt('daysMet'),
  }),
});

builder.queryFields((t) => ({
  waterLogs: t.field({
    type: WaterLogPage,
    description: 'List a user’s water logs in time order, optionally between two local days (inclusive, over localDate).',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({ description: 'First local day, YYYY-MM-DD.', ...DAY_RULE }),
      to: t.arg.string({ description: 'Last local day, YYYY-MM-DD.', ...DAY_RULE }),
      ...pageArgs,
    },
    resolve: (_root, { userId, from, to, ...page }, ctx) => listWaterLogs(serviceContext(ctx), String(userId), { from, to }, page),
  }),
  waterToday: t.field({
    type: HydrationTodayType,
    description: 'A local day’s water (default today in the user’s current zone) against the daily goal.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      date: t.arg.string({ description: 'YYYY-MM-DD, default today in the user’s zone.', ...DAY_RULE }),
      goal: t.arg.float({ description: GOAL_WORDS, ...GOAL_RULE }),
    },
    resolve: (_root, { userId, ...query }, ctx) => hydrationToday(serviceContext(ctx), String(userId), query),
  }),
  waterWeekly: t.field({
    type: HydrationWeekType,
    description: 'Seven local days of water ending `to` (default today in the user’s zone), with the daily breakdown.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      to: t.arg.string({ description: 'Last local day, YYYY-MM-DD (default today).', ...DAY_RULE }),
      goal: t.arg.float({ description: GOAL_WORDS, ...GOAL_RULE }),
    },
    resolve: (_root, { userId, ...query }, ctx) => hydrationWeek(serviceContext(ctx), String(userId), query),
  }),
}));

builder.mutationFields((t) => ({
  logWater: t.field({
    type: WaterLogType,
    description: 'Log a drink: water_log.created, and its water sample (source vitasync) through the ingestion service.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      amount: t.arg.float({
        required: true,
        description: `In unit; at least ${MIN_AMOUNT}, and at most ${MAX_LOG_ML} ml in one log.`,
        ...rule({ minimum: MIN_AMOUNT, maximum: MAX_LOG_ML }),
      }),
      unit: t.arg({ type: WaterUnitEnum, description: 'Default ml.' }),
      beverage: t.arg({ type: BeverageEnum, description: 'Default water.' }),
      at: t.arg({ type: 'DateTime', description: 'When it was drunk (default now); at most a day ahead of the server’s clock.' }),
      note: t.arg.string({ ...rule({ maxLength: MAX_NOTE }) }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createWaterLog(serviceContext(ctx), String(userId), input),
  }),
  deleteWaterLog: t.boolean({
    description: 'Delete a water log and exactly its sample (water_log.deleted).',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), logId: t.arg.id({ required: true }) },
    resolve: async (_root, { userId, logId }, ctx) => {
      await deleteWaterLog(serviceContext(ctx), String(userId), String(logId));
      return true;
    },
  }),
}));
