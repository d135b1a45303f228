import { DERIVED_GOAL_METRICS, GOAL_METRIC_IDS } from '../src/goals/goal-metrics.js';
import { GOAL_STATUSES } from '../src/goals/goal-store.js';
import { createGoal, listGoals, MAX_GOAL_NAME, MAX_GOAL_TARGET, updateGoal, type GoalView } from '../src/goals/goals.js';
import { GOAL_PERIODS } from '../src/goals/periods.js';
import { GOAL_DIRECTIONS, STREAK_LOOKBACK_DAYS, type GoalProgress } from '../src/goals/progress.js';
import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const NAME_RULE = rule({ minLength: 1, maxLength: MAX_GOAL_NAME, ...NOT_BLANK });
const TARGET_RULE = rule({ minimum: -MAX_GOAL_TARGET, maximum: MAX_GOAL_TARGET });

const DirectionEnum = builder.enumType('GoalDirection', {
  description:
    'at_least: the period’s value reaches the target; at_most: it stays at or under it (judged once the period is over); reach: the latest value crosses the target coming from the value before the goal’s start (weight down to 70 kg).',
  values: GOAL_DIRECTIONS,
});
const PeriodEnum = builder.enumType('GoalPeriod', {
  description:
    'Local days of the user: daily, weekly (ISO weeks, Monday to Sunday), monthly (calendar months), or by_date (one period from startDate to endDate).',
  values: GOAL_PERIODS,
});
const StatusEnum = builder.enumType('GoalStatus', { description: 'Archived goals are not checked.', values: GOAL_STATUSES });

const ProgressType = builder.objectRef<GoalProgress>('GoalProgress').implement({
  description: 'A goal’s period holding asOf, computed from the daily rollups in the user’s zone.',
  fields: (t) => ({
    asOf: t.exposeString('asOf', { description: 'The local day judged (YYYY-MM-DD).' }),
    periodStart: t.exposeString('periodStart'),
    periodEnd: t.exposeString('periodEnd'),
    value: t.exposeFloat('value', {
      nullable: true,
      description:
        'The period so far: its days summed for totals (steps, workouts), averaged for means, or the latest for reach goals and last-value metrics; null without data.',
    }),
    daysWithData: t.exposeInt('daysWithData'),
    percent: t.exposeFloat('percent', {
      description: 'value / target in % (at_most: the share of the allowance used); reach: the way from startValue covered.',
    }),
    met: t.exposeBoolean('met'),
    completed: t.exposeBoolean('completed', { description: 'The period is over.' }),
    elapsed: t.exposeFloat('elapsed', {
      description: 'Share of the period’s hours gone, 0–1 (a week with a DST change has 167 or 169 hours).',
    }),
    projected: t.exposeFloat('projected', {
      nullable: true,
      description: 'The value at the period’s end at the pace so far (totals: value / elapsed; reach: the straight line from startValue).',
    }),
    onTrack: t.exposeBoolean('onTrack'),
    streak: t.exposeInt('streak', {
      description: `Consecutive periods met up to this one (counted once it is met; an unfinished period does not break it), over at most ${STREAK_LOOKBACK_DAYS} days.`,
    }),
    startValue: t.exposeFloat('startValue', { nullable: true, description: 'reach goals: the value the goal started from.' }),
  }),
});

const GoalType = builder.objectRef<GoalView>('Goal').implement({
  description: 'A user’s target on a metric over local periods, with its progress.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    name: t.exposeString('name'),
    metricType: t.exposeString('metricType', { description: `A metric type, or ${DERIVED_GOAL_METRICS.join(', ')} (from health events).` }),
    unit: t.exposeString('unit', { description: 'The metric’s canonical unit: target and values are in it.' }),
    target: t.exposeFloat('target'),
    direction: t.field({ type: DirectionEnum, resolve: (goal) => goal.direction }),
    period: t.field({ type: PeriodEnum, resolve: (goal) => goal.period }),
    startDate: t.exposeString('startDate'),
    endDate: t.exposeString('endDate', { nullable: true }),
    status: t.field({ type: StatusEnum, resolve: (goal) => goal.status }),
    progress: t.field({ type: ProgressType, resolve: (goal) => goal.progress }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const GoalPage = pageType('GoalPage', GoalType, 'A page of goals in creation order, each with its progress.');

const metricTypeRule = rule({
  enum: GOAL_METRIC_IDS,
  enumWords: `a metric type id that GET /v1/metric-types lists, or one of ${DERIVED_GOAL_METRICS.join(', ')}`,
});

builder.queryFields((t) => ({
  goals: t.field({
    type: GoalPage,
    description: 'List a user’s goals with their progress as of a local day (default today in the user’s zone).',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      status: t.arg({ type: StatusEnum }),
      asOf: t.arg.string({ description: 'YYYY-MM-DD: judge progress as that day ended (default: now).', ...DAY_RULE }),
      ...pageArgs,
    },
    resolve: (_root, { userId, status, asOf, ...page }, ctx) => listGoals(serviceContext(ctx), String(userId), { status, asOf }, page),
  }),
}));

builder.mutationFields((t) => ({
  createGoal: t.field({
    type: GoalType,
    description: 'Create a goal. Periods its data already meets are recorded (goal.achieved each).',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      name: t.arg.string({ ...NAME_RULE }),
      metricType: t.arg.string({ required: true, ...metricTypeRule }),
      target: t.arg.float({ required: true, description: 'In the metric’s canonical unit.', ...TARGET_RULE }),
      direction: t.arg({ type: DirectionEnum, description: 'Default at_least.' }),
      period: t.arg({ type: PeriodEnum, required: true }),
      startDate: t.arg.string({ description: 'YYYY-MM-DD, default today in the user’s zone.', ...DAY_RULE }),
      endDate: t.arg.string({ description: 'YYYY-MM-DD, inclusive; required for by_date.', ...DAY_RULE }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createGoal(serviceContext(ctx), String(userId), input),
  }),
  updateGoal: t.field({
    type: GoalType,
    description: 'Change a goal’s name, target, direction, end date or status. Periods already achieved stay achieved.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      goalId: t.arg.id({ required: true }),
      name: t.arg.string({ ...NAME_RULE }),
      target: t.arg.float({ ...TARGET_RULE }),
      direction: t.arg({ type: DirectionEnum }),
      endDate: t.arg.string({ ...DAY_RULE }),
      status: t.arg({ type: StatusEnum }),
    },
    resolve: (_root, { userId, goalId, ...changes }, ctx) => updateGoal(serviceContext(ctx), String(userId), String(goalId), changes),
  }),
}));
