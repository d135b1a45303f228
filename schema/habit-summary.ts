import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import {
  habitSummary,
  DEFAULT_SUMMARY_DAYS,
  MAX_SUMMARY_DAYS,
  type HabitDaySummary,
  type HabitSummary,
} from '../src/wellness/habits/summary.js';
import { builder } from './builder.js';
import { HabitFrequencyEnum, StreakUnitEnum } from './habits.js';

const SUMMARY_DAYS_RULE = {
  description: `The completion-rate window: the last days local days up to today, 1–${MAX_SUMMARY_DAYS} (default ${DEFAULT_SUMMARY_DAYS}).`,
  ...rule({ minimum: 1, maximum: MAX_SUMMARY_DAYS }),
};

const RATE_WORDS =
  'met periods / counted periods: the habit’s periods (days, scheduled days, or ISO weeks) from its startDate that end on or after from; ' +
  'the open period (today, this week) counts only once met, as it cannot have failed yet. A week reaching into the window counts whole. Null when no period counts.';

const HabitDaySummaryType = builder.objectRef<HabitDaySummary>('HabitDaySummary').implement({
  description: 'One habit in the summary.',
  fields: (t) => ({
    habitId: t.exposeID('habitId'),
    name: t.exposeString('name'),
    frequency: t.field({ type: HabitFrequencyEnum, resolve: (habit) => habit.frequency }),
    targetPerDay: t.exposeInt('targetPerDay'),
    todayCount: t.exposeInt('todayCount', { description: 'Completions today.' }),
    todayMet: t.exposeBoolean('todayMet', { description: 'todayCount ≥ targetPerDay.' }),
    dueToday: t.exposeBoolean('dueToday', {
      description:
        'daily: always; weekdays: on its weekdays; times_per_week: while this week’s met days before today fall short of timesPerWeek.',
    }),
    currentStreak: t.exposeInt('currentStreak', {
      description: 'Consecutive met periods up to now; the open period extends it once met and does not break it before.',
    }),
    longestStreak: t.exposeInt('longestStreak', { description: 'The longest run of met periods since startDate.' }),
    streakUnit: t.field({ type: StreakUnitEnum, resolve: (habit) => habit.streakUnit }),
    completionRate: t.exposeFloat('completionRate', { nullable: true, description: RATE_WORDS }),
    metPeriods: t.exposeInt('metPeriods'),
    scheduledPeriods: t.exposeInt('scheduledPeriods', { description: 'The periods completionRate counts.' }),
  }),
});

const HabitSummaryType = builder.objectRef<HabitSummary>('HabitSummary').implement({
  description:
    'A user’s habits today in their current zone, with streaks by each habit’s frequency (a first times_per_week week needs ' +
    'min(timesPerWeek, its days from startDate)) and completion rates over a window of local days.',
  fields: (t) => ({
    date: t.exposeString('date', { description: 'Today in the user’s zone (YYYY-MM-DD).' }),
    timezone: t.exposeString('timezone'),
    from: t.exposeString('from', { description: 'First day of the completion-rate window: date − days + 1.' }),
    days: t.exposeInt('days'),
    dueToday: t.exposeInt('dueToday', { description: 'Habits due today.' }),
    completedToday: t.exposeInt('completedToday', { description: 'Habits due today and met.' }),
    todayCompletionRate: t.exposeFloat('todayCompletionRate', {
      nullable: true,
      description: 'completedToday / dueToday; null when none is due.',
    }),
    completionRate: t.exposeFloat('completionRate', {
      nullable: true,
      description: 'Σ metPeriods / Σ scheduledPeriods over the habits; null when no period counts.',
    }),
    metPeriods: t.exposeInt('metPeriods'),
    scheduledPeriods: t.exposeInt('scheduledPeriods'),
    habits: t.field({ type: [HabitDaySummaryType], resolve: (summary) => summary.habits }),
  }),
});

builder.queryFields((t) => ({
  habitSummary: t.field({
    type: HabitSummaryType,
    description:
      'Today in the user’s zone: each habit’s count, due and met; its current and longest streaks in its own periods since its ' +
      'start day; and completion rates (met periods / counted periods) over the last `days` local days.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), days: t.arg.int({ ...SUMMARY_DAYS_RULE }) },
    resolve: (_root, { userId, days }, ctx) => habitSummary(serviceContext(ctx), String(userId), { days }),
  }),
}));
