import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { DOSE_STATUSES, type AdherenceCounts, type AdherenceDay } from '../src/wellness/medications/adherence.js';
import type { DoseView } from '../src/wellness/medications/medication-resource.js';
import {
  MAX_STATS_DAYS,
  medicationStats,
  STREAK_LOOKBACK_DAYS,
  type MedicationStats,
} from '../src/wellness/medications/medication-stats.js';
import { MEDICATION_FORMS, type MedicationRow } from '../src/wellness/medications/medication-store.js';
import {
  createMedication,
  DEFAULT_ON_TIME_WINDOW,
  listMedications,
  logDose,
  MAX_DOSAGE,
  MAX_DOSE_TIMES,
  MAX_MEDICATION_NAME,
  MAX_NOTE,
  MAX_ON_TIME_WINDOW,
  MIN_ON_TIME_WINDOW,
  NEAREST_DOSE_HOURS,
} from '../src/wellness/medications/medications.js';
import { TIME_PATTERN, TIME_WORDS } from '../src/wellness/medications/schedule.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const DAY_RULE = rule({ format: 'date', status: 400 });
const TIME_RULE = rule({ pattern: TIME_PATTERN, patternWords: TIME_WORDS });

const FormEnum = builder.enumType('MedicationForm', { description: 'How the medication is taken.', values: MEDICATION_FORMS });
const DoseStatusEnum = builder.enumType('DoseStatus', {
  description: 'taken: the dose was taken at `at`; skipped: the user chose not to take it (counts as not taken).',
  values: DOSE_STATUSES,
});
const DoseOutcomeEnum = builder.enumType('DoseOutcome', {
  description: 'on_time: taken within ± the window of the dose time; early / late: taken before / after it; skipped: logged as skipped.',
  values: ['on_time', 'early', 'late', 'skipped'] as const,
});

const MedicationType = builder.objectRef<MedicationRow>('Medication').implement({
  description: 'A medication on a schedule of local dose times in the user’s zone.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    name: t.exposeString('name'),
    dosage: t.exposeString('dosage', { nullable: true, description: 'As the label says it ("500 mg", "2 puffs").' }),
    form: t.field({ type: FormEnum, resolve: (m) => m.form }),
    times: t.exposeStringList('times', { description: 'Dose times of a scheduled day, local HH:MM in the user’s zone, ascending.' }),
    daysOfWeek: t.exposeIntList('daysOfWeek', { description: 'Weekdays with doses, 0 = Sunday … 6 = Saturday; empty = every day.' }),
    startDate: t.exposeString('startDate', { description: 'First local day of the schedule (YYYY-MM-DD).' }),
    endDate: t.exposeString('endDate', { nullable: true, description: 'Last local day, inclusive; open-ended when null.' }),
    onTimeWindowMinutes: t.exposeInt('onTimeWindowMinutes', { description: 'A dose taken within ± this many minutes is on time.' }),
    reminders: t.exposeBoolean('reminders', {
      description:
        'The user wants reminders at dose times: a calendar schedule per dose time emits medication.reminder_due (see notification rules, kind medication_reminder).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const DoseType = builder.objectRef<DoseView>('MedicationDose').implement({
  description: 'A scheduled dose logged as taken or skipped.',
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    medicationId: t.exposeID('medicationId'),
    date: t.exposeString('date', { description: 'The scheduled dose’s local day (YYYY-MM-DD).' }),
    time: t.exposeString('time', { description: 'The scheduled dose’s local time (HH:MM).' }),
    scheduledAt: t.expose('scheduledAt', { type: 'DateTime', description: 'The dose’s instant in the user’s zone when logged.' }),
    status: t.field({ type: DoseStatusEnum, resolve: (d) => d.status }),
    outcome: t.field({ type: DoseOutcomeEnum, resolve: (d) => d.outcome }),
    at: t.expose('at', { type: 'DateTime', description: 'When it was taken (or the skip logged).' }),
    localDate: t.exposeString('localDate', { description: 'The user’s local day at `at`, in their zone when logged.' }),
    note: t.exposeString('note', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const countFields = (t: any) => ({
  scheduled: t.exposeInt('scheduled', { description: 'Doses due: scheduled, and logged or past their window (pending ones left out).' }),
  taken: t.exposeInt('taken', { description: 'Taken doses: on time, early or late.' }),
  onTime: t.exposeInt('onTime'),
  early: t.exposeInt('early'),
  late: t.exposeInt('late'),
  skipped: t.exposeInt('skipped'),
  missed: t.exposeInt('missed', { description: 'No log when the window closed.' }),
  pending: t.exposeInt('pending', { description: 'Not logged, window still open.' }),
  adherence: t.exposeFloat('adherence', { nullable: true, description: 'taken / scheduled (0–1); null when nothing is due.' }),
  onTimeRate: t.exposeFloat('onTimeRate', { nullable: true, description: 'onTime / scheduled (0–1); null when nothing is due.' }),
});

const DayType = builder.objectRef<AdherenceDay>('MedicationAdherenceDay').implement({
  description: 'A scheduled local day’s doses.',
  fields: (t) => ({
    date: t.exposeString('date'),
    ...(countFields(t) as Record<keyof AdherenceCounts, any>),
    fullyAdherent: t.exposeBoolean('fullyAdherent', { description: 'Every dose of the day due and taken.' }),
  }),
});

const StreakType = builder.objectRef<{ current: number; longest: number }>('MedicationAdherenceStreak').implement({
  description: 'Runs of consecutive scheduled days with every dose taken (days without doses are passed over).',
  fields: (t) => ({ current: t.exposeInt('current'), longest: t.exposeInt('longest') }),
});

const StatsType = builder.objectRef<MedicationStats>('MedicationStats').implement({
  description:
    'Adherence between two local days: each scheduled dose is on time (taken within ± onTimeWindowMinutes of its time), early, ' +
    'late, skipped, missed (no log when its window closed) or pending (window still open). adherence = taken / scheduled, where ' +
    'scheduled leaves out pending doses and skipped counts as not taken.',
  fields: (t) => ({
    medicationId: t.exposeID('medicationId'),
    from: t.exposeString('from'),
    to: t.exposeString('to'),
    onTimeWindowMinutes: t.exposeInt('onTimeWindowMinutes'),
    ...(countFields(t) as Record<keyof AdherenceCounts, any>),
    days: t.field({ type: [DayType], resolve: (s) => s.days, description: 'Scheduled days of the window, oldest first.' }),
    streak: t.field({
      type: StreakType,
      resolve: (s) => s.streak,
      description: `From streakFrom (the medication’s start, at most ${STREAK_LOOKBACK_DAYS} days before to) to to; a day with doses pending does not break it.`,
    }),
    streakFrom: t.exposeString('streakFrom'),
  }),
});

const MedicationPage = pageType('MedicationPage', MedicationType, 'A page of medications in creation order.');

builder.queryFields((t) => ({
  medications: t.field({
    type: MedicationPage,
    description: 'List a user’s medications in creation order.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listMedications(serviceContext(ctx), String(userId), page),
  }),
  medicationStats: t.field({
    type: StatsType,
    description: `Adherence of a medication per local day and overall, with its streak of fully adherent days. A missed dose found for the first time is announced (medication.dose_missed).`,
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      medId: t.arg.id({ required: true }),
      from: t.arg.string({ description: `YYYY-MM-DD, default 29 days before to; at most ${MAX_STATS_DAYS} days.`, ...DAY_RULE }),
      to: t.arg.string({ description: 'YYYY-MM-DD, default today in the user’s zone.', ...DAY_RULE }),
    },
    resolve: (_root, { userId, medId, from, to }, ctx) => medicationStats(serviceContext(ctx), String(userId), String(medId), { from, to }),
  }),
}));

builder.mutationFields((t) => ({
  createMedication: t.field({
    type: MedicationType,
    description: 'Add a medication with its dose schedule.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      name: t.arg.string({ required: true, ...rule({ minLength: 1, maxLength: MAX_MEDICATION_NAME, ...NOT_BLANK }) }),
      dosage: t.arg.string({ ...rule({ minLength: 1, maxLength: MAX_DOSAGE, ...NOT_BLANK }) }),
      form: t.arg({ type: FormEnum, description: 'Default tablet.' }),
      times: t.arg.stringList({
        required: true,
        description: `1 to ${MAX_DOSE_TIMES} distinct local dose times HH:MM in the user’s zone.`,
        ...TIME_RULE,
      }),
      daysOfWeek: t.arg.intList({ description: '0 = Sunday … 6 = Saturday; default every day.', ...rule({ minimum: 0, maximum: 6 }) }),
      startDate: t.arg.string({ description: 'YYYY-MM-DD, default today in the user’s zone.', ...DAY_RULE }),
      endDate: t.arg.string({ description: 'YYYY-MM-DD, inclusive.', ...DAY_RULE }),
      onTimeWindowMinutes: t.arg.int({
        description: `± minutes around a dose time that count as on time; default ${DEFAULT_ON_TIME_WINDOW}.`,
        ...rule({ minimum: MIN_ON_TIME_WINDOW, maximum: MAX_ON_TIME_WINDOW }),
      }),
      reminders: t.arg.boolean({
        description:
          'Wants reminders at dose times (default false): a calendar schedule per dose time, in the user’s zone, emits medication.reminder_due unless the dose is logged; a notification rule of kind medication_reminder routes it.',
      }),
    },
    resolve: (_root, { userId, ...input }, ctx) => createMedication(serviceContext(ctx), String(userId), input),
  }),
  logMedicationDose: t.field({
    type: DoseType,
    description:
      `Log a scheduled dose as taken or skipped, once per dose (409 for a second log). date and time name the dose; without them ` +
      `the dose nearest at (within ${NEAREST_DOSE_HOURS} h) in the user’s zone.`,
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      medId: t.arg.id({ required: true }),
      status: t.arg({ type: DoseStatusEnum, description: 'Default taken.' }),
      at: t.arg({ type: 'DateTime', description: 'When it was taken; default now.' }),
      date: t.arg.string({ description: 'The scheduled dose’s local day (YYYY-MM-DD), with time.', ...DAY_RULE }),
      time: t.arg.string({ description: 'The scheduled dose’s local time (HH:MM), with date.', ...TIME_RULE }),
      note: t.arg.string({ ...rule({ minLength: 1, maxLength: MAX_NOTE, ...NOT_BLANK }) }),
    },
    resolve: (_root, { userId, medId, ...input }, ctx) => logDose(serviceContext(ctx), String(userId), String(medId), input),
  }),
}));
