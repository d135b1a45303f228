import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import {
  createJournalEntry,
  deleteJournalEntry,
  listJournalEntries,
  MAX_BODY_LENGTH,
  MAX_GRATITUDE_ITEMS,
  MAX_GRATITUDE_LENGTH,
  MAX_QUERY_LENGTH,
  MAX_TITLE_LENGTH,
  updateJournalEntry,
} from '../src/wellness/journal/journal-entries.js';
import {
  DEFAULT_JOURNAL_STATS_DAYS,
  journalStats,
  MAX_JOURNAL_STATS_DAYS,
  type JournalStats,
} from '../src/wellness/journal/journal-stats.js';
import type { JournalEntry } from '../src/wellness/journal/journal-store.js';
import type { MoodLabel } from '../src/wellness/mood/mood-labels.js';
import { MAX_TAGS } from '../src/wellness/tags.js';
import { builder } from './builder.js';
import { DAY_RULE, MoodLabelEnum, TAG_FILTER_RULE, TAG_RULE } from './mood.js';
import { pageArgs, pageType } from './pagination.js';

const TITLE_RULE = rule({ maxLength: MAX_TITLE_LENGTH });
const BODY_RULE = rule({ minLength: 1, maxLength: MAX_BODY_LENGTH, ...NOT_BLANK });
const GRATITUDE_RULE = rule({ minLength: 1, maxLength: MAX_GRATITUDE_LENGTH, ...NOT_BLANK });

const JournalEntryType = builder.objectRef<JournalEntry>('JournalEntry').implement({
  description:
    'A journal entry. Its body is personal: never logged, and webhook deliveries carry it only to endpoints that list the journal_entry.* event type by name.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    at: t.exposeString('at', { description: 'When it was written (ISO 8601, UTC).' }),
    localDate: t.exposeString('localDate', {
      description:
        'The user’s local day of `at` in the zone they had when the entry was written; it does not move when the user changes zone.',
    }),
    title: t.exposeString('title', { nullable: true }),
    body: t.exposeString('body'),
    mood: t.field({ type: MoodLabelEnum, nullable: true, resolve: (entry) => entry.mood }),
    gratitude: t.exposeStringList('gratitude', { description: 'Things the user is grateful for.' }),
    tags: t.exposeStringList('tags', { description: 'Lower-case, each once.' }),
    createdAt: t.exposeString('createdAt'),
    updatedAt: t.exposeString('updatedAt'),
  }),
});

const JournalEntryPage = pageType('JournalEntryPage', JournalEntryType, 'A page of journal entries, newest first (by `at`).');

const JournalMoodType = builder.objectRef<JournalStats['moodDistribution'][number]>('JournalMoodShare').implement({
  fields: (t) => ({
    mood: t.field({ type: MoodLabelEnum, resolve: (row) => row.mood as MoodLabel }),
    entries: t.exposeInt('entries'),
    share: t.exposeFloat('share', { description: 'Share of the window’s entries with a mood, in % (1 decimal).' }),
  }),
});
const JournalWeekType = builder.objectRef<JournalStats['entriesPerWeek'][number]>('JournalWeek').implement({
  description: 'An ISO week (Monday to Sunday of local days) the window touches.',
  fields: (t) => ({ weekStart: t.exposeString('weekStart'), entries: t.exposeInt('entries') }),
});

const JournalStatsType = builder.objectRef<JournalStats>('JournalStats').implement({
  description: 'Journal statistics in the user’s local days (the entries’ stored localDate).',
  fields: (t) => ({
    userId: t.exposeID('userId'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    today: t.exposeString('today', { description: 'Today in the user’s current zone: the last day of the streaks.' }),
    currentStreak: t.exposeInt('currentStreak', {
      description: 'Consecutive local days with an entry up to today, over all entries; today without one yet does not break it.',
    }),
    longestStreak: t.exposeInt('longestStreak', { description: 'The longest run of consecutive days with an entry, over all entries.' }),
    entries: t.exposeInt('entries', { description: 'Entries in the window.' }),
    daysWithEntries: t.exposeInt('daysWithEntries'),
    moodDistribution: t.field({
      type: [JournalMoodType],
      description: 'Every label, in the enum’s order.',
      resolve: (s) => s.moodDistribution,
    }),
    withoutMood: t.exposeInt('withoutMood', { description: 'Entries in the window without a mood.' }),
    entriesPerWeek: t.field({ type: [JournalWeekType], resolve: (s) => s.entriesPerWeek }),
    meanPerWeek: t.exposeFloat('meanPerWeek', { description: 'entries / (days of the window / 7), 2 decimals.' }),
  }),
});

const AT_WORDS = 'ISO 8601 with a zone, not in the future';
const GRATITUDE_WORDS = `At most ${MAX_GRATITUDE_ITEMS} items of 1 to ${MAX_GRATITUDE_LENGTH} characters.`;
const TAG_WORDS = `At most ${MAX_TAGS}; stored lower-case, each once.`;

const createArgs = builder.args((a) => ({
  userId: a.id({ required: true }),
  title: a.string({ description: `At most ${MAX_TITLE_LENGTH} characters.`, ...TITLE_RULE }),
  body: a.string({ required: true, description: `1 to ${MAX_BODY_LENGTH} characters.`, ...BODY_RULE }),
  mood: a.field({ type: MoodLabelEnum }),
  gratitude: a.stringList({ description: GRATITUDE_WORDS, ...GRATITUDE_RULE }),
  tags: a.stringList({ description: TAG_WORDS, ...TAG_RULE }),
  at: a.field({ type: 'DateTime', description: `When it was written (${AT_WORDS}; default now).` }),
}));

const updateArgs = builder.args((a) => ({
  userId: a.id({ required: true }),
  entryId: a.id({ required: true }),
  title: a.string({ description: `At most ${MAX_TITLE_LENGTH} characters; an empty string removes it.`, ...TITLE_RULE }),
  body: a.string({ description: `1 to ${MAX_BODY_LENGTH} characters.`, ...BODY_RULE }),
  mood: a.field({ type: MoodLabelEnum }),
  gratitude: a.stringList({ description: GRATITUDE_WORDS, ...GRATITUDE_RULE }),
  tags: a.stringList({ description: TAG_WORDS, ...TAG_RULE }),
  at: a.field({
    type: 'DateTime',
    description: `When it was written (${AT_WORDS}); its local day becomes the one in the user’s zone now.`,
  }),
}));

builder.queryFields((t) => ({
  journalEntries: t.field({
    type: JournalEntryPage,
    description:
      'List a user’s journal entries, newest first: full-text search over title and body (PostgreSQL websearch_to_tsquery with English stemming: words, "quoted phrases", OR, -excluded), tag, mood and local days (from/to inclusive, over localDate).',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      q: t.arg.string({ description: 'Search words.', ...rule({ maxLength: MAX_QUERY_LENGTH }) }),
      from: t.arg.string({ description: 'YYYY-MM-DD, first local day.', ...DAY_RULE }),
      to: t.arg.string({ description: 'YYYY-MM-DD, last local day (inclusive).', ...DAY_RULE }),
      tag: t.arg.string({ description: 'Only entries with this tag (case-insensitive).', ...TAG_FILTER_RULE }),
      mood: t.arg({ type: MoodLabelEnum }),
      ...pageArgs,
    },
    resolve: (_root, { userId, q, from, to, tag, mood, ...page }, ctx) =>
      listJournalEntries(serviceContext(ctx), String(userId), { q, from, to, tag, mood }, page),
  }),
  journalStats: t.field({
    type: JournalStatsType,
    description: `Journal statistics: current and longest streak of local days with entries (all entries), and over from–to (default the ${DEFAULT_JOURNAL_STATS_DAYS} days up to today; at most ${MAX_JOURNAL_STATS_DAYS}) the mood distribution and entries per ISO week.`,
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      from: t.arg.string({ description: 'YYYY-MM-DD, first local day.', ...DAY_RULE }),
      to: t.arg.string({ description: 'YYYY-MM-DD, last local day (default today).', ...DAY_RULE }),
    },
    resolve: (_root, { userId, from, to }, ctx) => journalStats(serviceContext(ctx), String(userId), { from, to }),
  }),
}));

builder.mutationFields((t) => ({
  createJournalEntry: t.field({
    type: JournalEntryType,
    description: 'Write a journal entry. Emits journal_entry.created (webhooks get the body only when they name that type).',
    authScopes: { write: true },
    args: createArgs,
    resolve: (_root, { userId, ...input }, ctx) => createJournalEntry(serviceContext(ctx), String(userId), input),
  }),
  updateJournalEntry: t.field({
    type: JournalEntryType,
    description: 'Change a journal entry’s fields (absent or null: unchanged; an empty list empties it). Emits journal_entry.updated.',
    authScopes: { write: true },
    args: updateArgs,
    resolve: (_root, { userId, entryId, ...input }, ctx) => updateJournalEntry(serviceContext(ctx), String(userId), String(entryId), input),
  }),
  deleteJournalEntry: t.boolean({
    description: 'Delete a journal entry. Emits journal_entry.deleted.',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), entryId: t.arg.id({ required: true }) },
    resolve: async (_root, { userId, entryId }, ctx) => {
      await deleteJournalEntry(serviceContext(ctx), String(userId), String(entryId));
      return true;
    },
  }),
}));
