import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { completeHabit, STREAK_MILESTONES, undoCompletion, type HabitCompletionView } from '../src/wellness/habits/completions.js';
import type { HabitView } from '../src/wellness/habits/habit-view.js';
import {
  COLOR_PATTERN,
  COLOR_WORDS,
  createHabit,
  deleteHabit,
  listHabits,
  MAX_HABIT_ICON,
  MAX_HABIT_NAME,
  MAX_TARGET_PER_DAY,
  updateHabit,
} from '../src/wellness/habits/habits.js';
import { HABIT_FREQUENCIES, STREAK_UNITS, WEEKDAYS } from '../src/wellness/habits/schedule.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const NAME_RULE = rule({ minLength: 1, maxLength: MAX_HABIT_NAME, ...NOT_BLANK });
const ICON_RULE = rule({ minLength: 1, maxLength: MAX_HABIT_ICON, ...NOT_BLANK });
const COLOR_RULE = rule({ pattern: COLOR_PATTERN, patternWords: COLOR_WORDS });
const TIMES_RULE = rule({ minimum: 1, maximum: 7 });
const TARGET_RULE = rule({ minimum: 1, maximum: MAX_TARGET_PER_DAY });

export const HabitFrequencyEnum = builder.enumType('HabitFrequency', {
  description:
    'daily: every local day; times_per_week: timesPerWeek met days in each ISO week (Monday to Sunday), any days; ' +
    'weekdays: on the given weekdays only.',
  values: HABIT_FREQUENCIES,
});
const WeekdayEnum = builder.enumType('Weekday', { description: 'A day of the ISO week.', values: WEEKDAYS });
export const StreakUnitEnum = builder.enumType('HabitStreakUnit', {
  description: `The periods a habit's streaks count: day (daily), scheduled_day (weekdays: unscheduled days neither break nor extend a run), week (times_per_week: ISO weeks with enough met days). Milestones ${STREAK_MILESTONES.join(', ')} are in these periods.`,
  values: STREAK_UNITS,
});

const HabitType = builder.objectRef<HabitView>('Habit').implement({
  description: 'A habit a user tracks: how often it is due and how many completions make a day.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    name: t.exposeString('name'),
    icon: t.exposeString('icon', { nullable: true, description: 'An emoji or icon name for the app.' }),
    color: t.exposeString('color', { nullable: true, description: '#rrggbb (lower case).' }),
    frequency: t.field({ type: HabitFrequencyEnum, resolve: (habit) => habit.frequency }),
    timesPerWeek: t.exposeInt('timesPerWeek', { nullable: true, description: 'times_per_week: met days each ISO week needs.' }),
    weekdays: t.field({
      type: [WeekdayEnum],
      nullable: true,
      description: 'weekdays: the days it is due, Monday first.',
      resolve: (habit) => habit.weekdays,
    }),
    targetPerDay: t.exposeInt('targetPerDay', { description: 'Completions a day needs to be met (count ≥ targetPerDay).' }),
    startDate: t.exposeString('startDate', {
      description: 'First local day (YYYY-MM-DD): no completion before it; streaks and rates start there.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const HabitCompletionType = builder.objectRef<HabitCompletionView>('HabitCompletion').implement({
  description: "A habit's completions on one local day.",
  fields: (t) => ({
    habitId: t.exposeID('habitId'),
    userId: t.exposeID('userId'),
    date: t.exposeString('date', { description: 'The local day (YYYY-MM-DD).' }),
    count: t.exposeInt('count', { description: 'Completions that day.' }),
    targetPerDay: t.exposeInt('targetPerDay'),
    met: t.exposeBoolean('met', { description: 'count ≥ targetPerDay.' }),
    at: t.expose('at', { type: 'DateTime', description: 'When the day’s count was last set.' }),
  }),
});

const HabitPage = pageType('HabitPage', HabitType, 'A page of habits in creation order.');

builder.queryFields((t) => ({
  habits: t.field({
    type: HabitPage,
    description: 'List a user’s habits in creation order.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listHabits(serviceContext(ctx), String(userId), page),
  }),
}));

const scheduleArgs = builder.args((t) => ({
  name: t.string({ ...NAME_RULE }),
  icon: t.string({ description: `An emoji or icon name, 1–${MAX_HABIT_ICON} characters.`, ...ICON_RULE }),
  color: t.string({ description: '#RRGGBB.', ...COLOR_RULE }),
  frequency: t.field({ type: HabitFrequencyEnum, description: 'Default daily (on create).' }),
  timesPerWeek: t.int({ description: 'Required with (and only with) frequency times_per_week: 1–7.', ...TIMES_RULE }),
  weekdays: t.field({ type: [WeekdayEnum], description: 'Required with (and only with) frequency weekdays: distinct days.' }),
  targetPerDay: t.int({ description: `Completions a day needs, 1–${MAX_TARGET_PER_DAY} (default 1 on create).`, ...TARGET_RULE }),
}));

builder.mutationFields((t) => ({
  createHabit: t.field({
    type: HabitType,
    description: 'Create a habit (frequency default daily, targetPerDay default 1). Announces habit.created.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      ...scheduleArgs,
      name: t.arg.string({ required: true, ...NAME_RULE }),
      startDate: t.arg.string({
        description: 'YYYY-MM-DD, not after today: the first day completions may be logged for (default today in the user’s zone).',
        ...DAY_RULE,
      }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createHabit(serviceContext(ctx), String(userId), input),
  }),
  updateHabit: t.field({
    type: HabitType,
    description:
      'Change the fields given. A new frequency drops the old one’s timesPerWeek or weekdays and needs its own; past completions are judged by the new settings. Announces habit.updated.',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), habitId: t.arg.id({ required: true }), ...scheduleArgs },
    resolve: (_root, { userId, habitId, ...changes }, ctx) => updateHabit(serviceContext(ctx), String(userId), String(habitId), changes),
  }),
  deleteHabit: t.boolean({
    description: 'Delete a habit with its completions and milestones. Announces habit.deleted.',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), habitId: t.arg.id({ required: true }) },
    resolve: async (_root, { userId, habitId }, ctx) => {
      await deleteHabit(serviceContext(ctx), String(userId), String(habitId));
      return true;
    },
  }),
  completeHabit: t.field({
    type: HabitCompletionType,
    description:
      'Set a habit’s completions on a local day to count (default targetPerDay: the day is met). Idempotent: the same call again ' +
      'changes nothing (REST 201 when the day had no completion, 200 otherwise). The date may not be before the habit’s startDate ' +
      `or after today in the user’s zone (422). Announces habit_completion.created/updated, and habit.streak_reached the first time a streak reaches ${STREAK_MILESTONES.join(', ')}.`,
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      habitId: t.arg.id({ required: true }),
      date: t.arg.string({ description: 'YYYY-MM-DD (default today in the user’s zone).', ...DAY_RULE }),
      count: t.arg.int({ description: `The day’s completions, 1–${MAX_TARGET_PER_DAY} (default targetPerDay).`, ...TARGET_RULE }),
    },
    resolve: async (_root, { userId, habitId, ...input }, ctx) => {
      const { completion, created } = await completeHabit(serviceContext(ctx), String(userId), String(habitId), input);
      ctx.response.status = created ? 201 : 200;
      return completion;
    },
  }),
  undoHabitCompletion: t.boolean({
    description:
      'Remove a habit’s completions on a local day (404 when it has none). Milestones reached stay. Announces habit_completion.deleted.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      habitId: t.arg.id({ required: true }),
      date: t.arg.string({ required: true, description: 'YYYY-MM-DD.', ...DAY_RULE }),
    },
    resolve: async (_root, { userId, habitId, date }, ctx) => {
      await undoCompletion(serviceContext(ctx), String(userId), String(habitId), date);
      return true;
    },
  }),
}));
