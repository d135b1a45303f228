import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import type { CoOccurrence, SleepAssociation, TypeFrequency } from '../src/wellness/symptoms/patterns.js';
import { MIN_ASSOCIATION_DAYS } from '../src/wellness/symptoms/patterns.js';
import {
  DEFAULT_PATTERN_DAYS,
  MAX_PATTERN_DAYS,
  symptomPatternReport,
  type SymptomPatternReport,
} from '../src/wellness/symptoms/symptom-patterns.js';
import type { SymptomRow } from '../src/wellness/symptoms/symptom-store.js';
import {
  createSymptom,
  listSymptoms,
  MAX_BODY_LOCATION,
  MAX_DURATION_MINUTES,
  MAX_NOTES,
  MAX_SEVERITY,
  MAX_TRIGGER,
  MAX_TRIGGERS,
  MIN_SEVERITY,
  SYMPTOM_TYPE_PATTERN,
  SYMPTOM_TYPE_WORDS,
} from '../src/wellness/symptoms/symptoms.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const TYPE_RULE = rule({ pattern: SYMPTOM_TYPE_PATTERN, patternWords: SYMPTOM_TYPE_WORDS });

const SymptomType = builder.objectRef<SymptomRow>('SymptomLog').implement({
  description: 'One occurrence of a symptom.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    type: t.exposeString('type', { description: 'A lower-case slug (headache, nausea): patterns group by it.' }),
    severity: t.exposeInt('severity', { description: `${MIN_SEVERITY} (barely noticeable) to ${MAX_SEVERITY} (worst imaginable).` }),
    bodyLocation: t.exposeString('bodyLocation', { nullable: true }),
    durationMinutes: t.exposeInt('durationMinutes', { nullable: true }),
    triggers: t.exposeStringList('triggers', { description: 'What the user thinks set it off.' }),
    notes: t.exposeString('notes', { nullable: true }),
    at: t.expose('at', { type: 'DateTime', description: 'When it started.' }),
    localDate: t.exposeString('localDate', { description: 'The user’s local day at `at`, in their zone when logged.' }),
    localTime: t.exposeString('localTime', { description: 'The user’s local time HH:MM at `at`, in their zone when logged.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const TypeFrequencyType = builder.objectRef<TypeFrequency>('SymptomTypeFrequency').implement({
  fields: (t) => ({
    type: t.exposeString('type'),
    count: t.exposeInt('count'),
    days: t.exposeInt('days', { description: 'Distinct local days with it.' }),
    meanSeverity: t.exposeFloat('meanSeverity'),
    maxSeverity: t.exposeInt('maxSeverity'),
  }),
});
const WeekdayType = builder.objectRef<{ weekday: number; name: string; count: number }>('SymptomWeekdayCount').implement({
  fields: (t) => ({
    weekday: t.exposeInt('weekday', { description: '0 = Sunday.' }),
    name: t.exposeString('name'),
    count: t.exposeInt('count'),
  }),
});
const TimeOfDayType = builder.objectRef<{ period: string; count: number }>('SymptomTimeOfDayCount').implement({
  fields: (t) => ({
    period: t.exposeString('period', { description: 'night 00–06, morning 06–12, afternoon 12–18, evening 18–24 (local start time).' }),
    count: t.exposeInt('count'),
  }),
});
const CoOccurrenceType = builder.objectRef<CoOccurrence>('SymptomCoOccurrence').implement({
  fields: (t) => ({ types: t.exposeStringList('types'), days: t.exposeInt('days', { description: 'Local days with both logged.' }) }),
});
const SleepType = builder.objectRef<SleepAssociation>('SymptomSleepAssociation').implement({
  description:
    'Sleep of the night before the type’s days against the window’s other days: means of sleep_minutes (sleep of health events per ' +
    `local day of waking), each over days with sleep data; null with reason under ${MIN_ASSOCIATION_DAYS} days a side.`,
  fields: (t) => ({
    type: t.exposeString('type'),
    symptomDays: t.exposeInt('symptomDays', { description: 'Days with the type and sleep data (n).' }),
    otherDays: t.exposeInt('otherDays', { description: 'Days without it, with sleep data (n).' }),
    meanSleepMinutesBefore: t.exposeFloat('meanSleepMinutesBefore', { nullable: true }),
    meanSleepMinutesOtherDays: t.exposeFloat('meanSleepMinutesOtherDays', { nullable: true }),
    differenceMinutes: t.exposeFloat('differenceMinutes', { nullable: true, description: 'Before − other days.' }),
    reason: t.exposeString('reason', { nullable: true }),
  }),
});

const PatternsType = builder.objectRef<SymptomPatternReport>('SymptomPatterns').implement({
  description: 'Symptom frequencies over local days of the user, by type, weekday and time of day, with co-occurrences and sleep.',
  fields: (t) => ({
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    total: t.exposeInt('total', { description: 'Logs in the window.' }),
    sleepDays: t.exposeInt('sleepDays', { description: 'Days of the window with sleep data.' }),
    byType: t.field({ type: [TypeFrequencyType], resolve: (p) => p.byType, description: 'Most frequent first.' }),
    byWeekday: t.field({ type: [WeekdayType], resolve: (p) => p.byWeekday, description: 'By weekday of localDate.' }),
    byTimeOfDay: t.field({ type: [TimeOfDayType], resolve: (p) => p.byTimeOfDay }),
    coOccurrences: t.field({
      type: [CoOccurrenceType],
      resolve: (p) => p.coOccurrences,
      description: 'Pairs of types logged on a same local day.',
    }),
    sleep: t.field({ type: [SleepType], resolve: (p) => p.sleep, description: 'Per type.' }),
  }),
});

const SymptomPage = pageType('SymptomLogPage', SymptomType, 'A page of symptom logs, last logged first.');

builder.queryFields((t) => {
  const filterArgs = {
    from: t.arg.string({ description: 'YYYY-MM-DD, inclusive, over localDate.', ...DAY_RULE }),
    to: t.arg.string({ description: 'YYYY-MM-DD, inclusive, over localDate.', ...DAY_RULE }),
    type: t.arg.string({ description: 'Only this type.', ...TYPE_RULE }),
  };
  return {
    symptoms: t.field({
      type: SymptomPage,
      description: 'List a user’s symptom logs, last logged first.',
      authScopes: { read: true },
      args: { userId: t.arg.id({ required: true }), ...filterArgs, ...pageArgs },
      resolve: (_root, { userId, from, to, type, ...page }, ctx) =>
        listSymptoms(serviceContext(ctx), String(userId), { from, to, type }, page),
    }),
    symptomPatterns: t.field({
      type: PatternsType,
      description: `Symptom frequency patterns over local days (default the ${DEFAULT_PATTERN_DAYS} ending today; at most ${MAX_PATTERN_DAYS}).`,
      authScopes: { read: true },
      args: { userId: t.arg.id({ required: true }), ...filterArgs },
      resolve: (_root, { userId, from, to, type }, ctx) => symptomPatternReport(serviceContext(ctx), String(userId), { from, to, type }),
    }),
  };
});

builder.mutationFields((t) => ({
  createSymptom: t.field({
    type: SymptomType,
    description: 'Log a symptom occurrence.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      type: t.arg.string({ required: true, ...TYPE_RULE }),
      severity: t.arg.int({ required: true, ...rule({ minimum: MIN_SEVERITY, maximum: MAX_SEVERITY }) }),
      bodyLocation: t.arg.string({ ...rule({ minLength: 1, maxLength: MAX_BODY_LOCATION, ...NOT_BLANK }) }),
      durationMinutes: t.arg.int({ ...rule({ minimum: 0, maximum: MAX_DURATION_MINUTES }) }),
      triggers: t.arg.stringList({
        description: `At most ${MAX_TRIGGERS}.`,
        ...rule({ minLength: 1, maxLength: MAX_TRIGGER, ...NOT_BLANK }),
      }),
      notes: t.arg.string({ ...rule({ minLength: 1, maxLength: MAX_NOTES, ...NOT_BLANK }) }),
      at: t.arg({ type: 'DateTime', description: 'When it started; default now.' }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createSymptom(serviceContext(ctx), String(userId), input),
  }),
}));
