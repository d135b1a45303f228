import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { MOOD_ASSOCIATION_SERIES, MIN_ASSOCIATION_DAYS, type MoodAssociation } from '../src/wellness/mood/mood-associations.js';
import { listMood, logMood } from '../src/wellness/mood/mood-entries.js';
import { MAX_NOTE_LENGTH, MOOD_LABELS, SCALE_MAX, SCALE_MIN, type MoodLabel } from '../src/wellness/mood/mood-labels.js';
import { DEFAULT_MOOD_STATS_DAYS, MAX_MOOD_STATS_DAYS, moodStats, type MoodStats } from '../src/wellness/mood/mood-stats.js';
import type { MoodEntry } from '../src/wellness/mood/mood-store.js';
import { MIN_TREND_DAYS } from '../src/wellness/mood/mood-summary.js';
import { MAX_TAG_LENGTH, MAX_TAGS } from '../src/wellness/tags.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

export const DAY_RULE = rule({ format: 'date', status: 400 });
const SCALE_RULE = rule({ minimum: SCALE_MIN, maximum: SCALE_MAX });
export const TAG_RULE = rule({ minLength: 1, maxLength: MAX_TAG_LENGTH, ...NOT_BLANK });
/** A tag filter: any string (trimmed and lower-cased, it matches as stored). */
export const TAG_FILTER_RULE = rule({ minLength: 1, maxLength: MAX_TAG_LENGTH });
const SCALE = `${SCALE_MIN} to ${SCALE_MAX}`;

export const MoodLabelEnum = builder.enumType('MoodLabel', {
  description: 'What the user felt, beside how good it was (the score): pleasant labels first, then neutral, then unpleasant ones.',
  values: MOOD_LABELS,
});

const MoodEntryType = builder.objectRef<MoodEntry>('MoodEntry').implement({
  description: `A mood check-in: score, energy and stress on whole-number scales of ${SCALE}.`,
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    at: t.exposeString('at', { description: 'When the user felt it (ISO 8601, UTC).' }),
    localDate: t.exposeString('localDate', {
      description:
        'The user’s local day of `at` in the zone they had when the entry was written; it does not move when the user changes zone.',
    }),
    timezone: t.exposeString('timezone', { description: 'The IANA zone of localDate.' }),
    score: t.exposeInt('score', { description: `Overall mood, ${SCALE_MIN} (worst) to ${SCALE_MAX} (best).` }),
    mood: t.field({ type: MoodLabelEnum, nullable: true, resolve: (entry) => entry.mood }),
    energy: t.exposeInt('energy', { nullable: true, description: `${SCALE_MIN} (exhausted) to ${SCALE_MAX} (full of energy).` }),
    stress: t.exposeInt('stress', { nullable: true, description: `${SCALE_MIN} (none) to ${SCALE_MAX} (extreme).` }),
    tags: t.exposeStringList('tags', { description: 'Lower-case, each once.' }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.exposeString('createdAt'),
    updatedAt: t.exposeString('updatedAt'),
  }),
});

const MoodEntryPage = pageType('MoodEntryPage', MoodEntryType, 'A page of mood entries, newest first (by `at`).');

const MEAN_SCORE = { nullable: true, description: 'Mean score of these entries (2 decimals); null without any.' } as const;

const MoodWeekType = builder.objectRef<MoodStats['byWeek'][number]>('MoodWeek').implement({
  description: 'An ISO week (Monday to Sunday of local days) with entries.',
  fields: (t) => ({
    weekStart: t.exposeString('weekStart'),
    entries: t.exposeInt('entries'),
    meanScore: t.exposeFloat('meanScore', MEAN_SCORE),
  }),
});
const MoodShareType = builder.objectRef<MoodStats['byMood'][number]>('MoodLabelShare').implement({
  description: 'Entries with a mood label.',
  fields: (t) => ({
    mood: t.field({ type: MoodLabelEnum, resolve: (row) => row.mood as MoodLabel }),
    share: t.exposeFloat('share', { description: 'Share of the window’s labelled entries, in % (1 decimal).' }),
    entries: t.exposeInt('entries'),
    meanScore: t.exposeFloat('meanScore', MEAN_SCORE),
  }),
});
const MoodTagType = builder.objectRef<MoodStats['byTag'][number]>('MoodTagStat').implement({
  fields: (t) => ({ tag: t.exposeString('tag'), entries: t.exposeInt('entries'), meanScore: t.exposeFloat('meanScore', MEAN_SCORE) }),
});
const MoodWeekdayType = builder.objectRef<MoodStats['byWeekday'][number]>('MoodWeekdayStat').implement({
  description: 'Entries on a weekday of their local day.',
  fields: (t) => ({
    weekday: t.exposeString('weekday', { description: 'monday … sunday' }),
    entries: t.exposeInt('entries'),
    meanScore: t.exposeFloat('meanScore', MEAN_SCORE),
  }),
});
const MoodDayPartType = builder.objectRef<MoodStats['byTimeOfDay'][number]>('MoodDayPartStat').implement({
  description: 'Entries by the local hour of `at` (in the zone the entry was written in), from fromHour up to but not including toHour.',
  fields: (t) => ({
    part: t.exposeString('part', { description: 'night (0–6), morning (6–12), afternoon (12–18), evening (18–24)' }),
    fromHour: t.exposeInt('fromHour'),
    toHour: t.exposeInt('toHour'),
    entries: t.exposeInt('entries'),
    meanScore: t.exposeFloat('meanScore', MEAN_SCORE),
  }),
});
const MoodTrendType = builder.objectRef<MoodStats['trend']>('MoodTrend').implement({
  description: 'Ordinary least-squares line of each local day’s mean score on the day number (days without entries left out), slope × 7.',
  fields: (t) => ({
    slopePerWeek: t.exposeFloat('slopePerWeek', {
      nullable: true,
      description: `Score points per week (3 decimals); null below ${MIN_TREND_DAYS} days with entries.`,
    }),
    days: t.exposeInt('days', { description: 'Days with entries the line was fitted to.' }),
  }),
});
const MoodPreviousType = builder.objectRef<MoodStats['previousPeriod']>('MoodPreviousPeriod').implement({
  description: 'The window of the same length just before: period-over-period change.',
  fields: (t) => ({
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    entries: t.exposeInt('entries'),
    meanScore: t.exposeFloat('meanScore', { nullable: true }),
    change: t.exposeFloat('change', {
      nullable: true,
      description: 'meanScore of the window − meanScore of this one; null when either has no entries.',
    }),
  }),
});
const MoodAssociationType = builder.objectRef<MoodAssociation>('MoodAssociation').implement({
  description: `Spearman’s ρ of each local day’s mean score with the same day’s value of a series (${MOOD_ASSOCIATION_SERIES.join(', ')}; sleep is the night ending that morning), over the days with both, with the t-test p-value (n − 2 degrees of freedom). Null with a reason below ${MIN_ASSOCIATION_DAYS} such days.`,
  fields: (t) => ({
    series: t.exposeString('series'),
    unit: t.exposeString('unit', { nullable: true }),
    days: t.exposeInt('days', { description: 'n: days with both a mood entry and a value of the series.' }),
    rho: t.exposeFloat('rho', { nullable: true }),
    p: t.exposeFloat('p', { nullable: true }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const MoodStatsType = builder.objectRef<MoodStats>('MoodStats').implement({
  description: 'Mood statistics over a window of the user’s local days (the entries’ stored localDate).',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    entries: t.exposeInt('entries'),
    days: t.exposeInt('days', { description: 'Local days with at least one entry.' }),
    meanScore: t.exposeFloat('meanScore', { nullable: true, description: 'Mean of the entries’ scores (2 decimals).' }),
    meanEnergy: t.exposeFloat('meanEnergy', { nullable: true, description: 'Mean over the entries that have energy.' }),
    meanStress: t.exposeFloat('meanStress', { nullable: true, description: 'Mean over the entries that have stress.' }),
    trend: t.field({ type: MoodTrendType, resolve: (stats) => stats.trend }),
    previousPeriod: t.field({ type: MoodPreviousType, resolve: (stats) => stats.previousPeriod }),
    byWeek: t.field({ type: [MoodWeekType], resolve: (stats) => stats.byWeek }),
    byMood: t.field({ type: [MoodShareType], description: 'Every label, in the enum’s order.', resolve: (stats) => stats.byMood }),
    byTag: t.field({ type: [MoodTagType], description: 'Most used first.', resolve: (stats) => stats.byTag }),
    byWeekday: t.field({ type: [MoodWeekdayType], description: 'Monday first.', resolve: (stats) => stats.byWeekday }),
    byTimeOfDay: t.field({ type: [MoodDayPartType], resolve: (stats) => stats.byTimeOfDay }),
    associations: t.field({ type: [MoodAssociationType], resolve: (stats) => stats.associations }),
  }),
});

builder.queryFields((t) => ({
  moodEntries: t.field({
    type: MoodEntryPage,
    description: 'List a user’s mood entries, newest first, by local days (from/to inclusive, over localDate), mood label and tag.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({ description: 'YYYY-MM-DD, first local day.', ...DAY_RULE }),
      to: t.arg.string({ description: 'YYYY-MM-DD, last local day (inclusive).', ...DAY_RULE }),
      mood: t.arg({ type: MoodLabelEnum }),
      tag: t.arg.string({ description: 'Only entries with this tag (case-insensitive).', ...TAG_FILTER_RULE }),
      ...pageArgs,
    },
    resolve: (_root, { userId, from, to, mood, tag, ...page }, ctx) =>
      listMood(serviceContext(ctx), String(userId), { from, to, mood, tag }, page),
  }),
  moodStats: t.field({
    type: MoodStatsType,
    description: `Mood statistics and trends over local days from–to (default the ${DEFAULT_MOOD_STATS_DAYS} days up to today in the user’s zone; at most ${MAX_MOOD_STATS_DAYS}): means, the weekly trend, the change from the window before, distributions by mood, tag, weekday and time of day, and associations with sleep and activity.`,
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({ description: 'YYYY-MM-DD, first local day.', ...DAY_RULE }),
      to: t.arg.string({ description: 'YYYY-MM-DD, last local day (default today).', ...DAY_RULE }),
    },
    resolve: (_root, { userId, from, to }, ctx) => moodStats(serviceContext(ctx), String(userId), { from, to }),
  }),
}));

builder.mutationFields((t) => ({
  logMood: t.field({
    type: MoodEntryType,
    description: `Log a mood entry: score ${SCALE} (required), optional mood label, energy and stress (${SCALE}), tags and a note. Emits mood_entry.created.`,
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      score: t.arg.int({ required: true, description: `${SCALE_MIN} (worst) to ${SCALE_MAX} (best).`, ...SCALE_RULE }),
      mood: t.arg({ type: MoodLabelEnum }),
      energy: t.arg.int({ description: `${SCALE_MIN} (exhausted) to ${SCALE_MAX} (full of energy).`, ...SCALE_RULE }),
      stress: t.arg.int({ description: `${SCALE_MIN} (none) to ${SCALE_MAX} (extreme).`, ...SCALE_RULE }),
      tags: t.arg.stringList({ description: `At most ${MAX_TAGS}; stored lower-case, each once.`, ...TAG_RULE }),
      note: t.arg.string({ description: `At most ${MAX_NOTE_LENGTH} characters.`, ...rule({ maxLength: MAX_NOTE_LENGTH }) }),
      at: t.arg({ type: 'DateTime', description: 'When (ISO 8601 with a zone; default now; not in the future).' }),
    },
    resolve: (_root, { userId, ...input }, ctx) => logMood(serviceContext(ctx), String(userId), input),
  }),
}));
