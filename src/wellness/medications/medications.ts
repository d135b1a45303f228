import type { ServiceContext } from '../../context.js';
import { emit } from '../../domain-events/emit.js';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { paginate, type Page, type PageArgs } from '../../lib/pagination.js';
import { checkDay, localDay } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { DOSE_STATUSES, type DoseStatus } from './adherence.js';
import { doseResource, doseView, medicationResource, type DoseView } from './medication-resource.js';
import {
  findMedication,
  insertDose,
  insertMedication,
  MEDICATION_COLUMNS,
  MEDICATION_FORMS,
  toMedicationRow,
  type MedicationForm,
  type MedicationRow,
} from './medication-store.js';
import { findMissedBefore } from './medication-stats.js';
import { recordMissedDoses } from './missed-doses.js';
import { syncMedicationReminders } from './reminders.js';
import { isScheduledDay, TIME_PATTERN, TIME_WORDS, wallClockInstant } from './schedule.js';

export const MAX_MEDICATION_NAME = 100;
export const MAX_DOSAGE = 50;
export const MAX_DOSE_TIMES = 12;
export const MAX_NOTE = 500;
export const DEFAULT_ON_TIME_WINDOW = 60;
export const MIN_ON_TIME_WINDOW = 5;
export const MAX_ON_TIME_WINDOW = 720;
/** A log without date and time covers the scheduled dose nearest its instant, if one is this close. */
export const NEAREST_DOSE_HOURS = 12;

export interface MedicationInput {
  name: string;
  dosage?: string | null;
  form?: MedicationForm | null;
  times: readonly string[];
  daysOfWeek?: readonly number[] | null;
  startDate?: string | null;
  endDate?: string | null;
  onTimeWindowMinutes?: number | null;
  reminders?: boolean | null;
}

export interface DoseInput {
  status?: DoseStatus | null;
  at?: Date | null;
  date?: string | null;
  time?: string | null;
  note?: string | null;
}

function text(name: string, value: string, max: number): string {
  const trimmed = value.trim();
  if (trimmed.length < 1 || [...trimmed].length > max) throw new Invalid(`${name} must be 1 to ${max} characters`);
  return trimmed;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new Invalid(`${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function checkTimes(times: readonly string[]): string[] {
  if (times.length < 1 || times.length > MAX_DOSE_TIMES) throw new Invalid(`times must hold 1 to ${MAX_DOSE_TIMES} dose times`);
  for (const time of times) if (!TIME_PATTERN.test(time)) throw new Invalid(`times must hold ${TIME_WORDS}, not "${time}"`);
  return [...new Set(times)].sort();
}

function checkWeekdays(days: readonly number[]): number[] {
  for (const day of days)
    if (!Number.isInteger(day) || day < 0 || day > 6) throw new Invalid('daysOfWeek must hold weekdays 0 (Sunday) to 6');
  return [...new Set(days)].sort();
}

export async function listMedications(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<MedicationRow>> {
  const user = await getUser(ctx, userId);
  return paginate(args, {
    list: `medications:${user.id}`,
    count: async () =>
      Number((await ctx.sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Medication" WHERE "userId" = $1`, [user.id]))[0]?.n ?? 0),
    fetch: async ({ take, skip, after }) =>
      (
        await ctx.sql.query(
          `SELECT ${MEDICATION_COLUMNS} FROM "Medication" WHERE "userId" = $1 AND ($2::text IS NULL OR id > $2)
           ORDER BY id LIMIT $3 OFFSET $4`,
          [user.id, after ? String(after[0]) : null, take, after ? 0 : skip],
        )
      ).map(toMedicationRow),
    keyOf: (row) => [row.id],
  });
}

export async function createMedication(ctx: ServiceContext, userId: string, input: MedicationInput): Promise<MedicationRow> {
  const user = await getUser(ctx, userId);
  const window = input.onTimeWindowMinutes ?? DEFAULT_ON_TIME_WINDOW;
  if (!Number.isInteger(window) || window < MIN_ON_TIME_WINDOW || window > MAX_ON_TIME_WINDOW)
    throw new Invalid(`onTimeWindowMinutes must be an integer from ${MIN_ON_TIME_WINDOW} to ${MAX_ON_TIME_WINDOW}`);
  const startDate = input.startDate == null ? localDay(user.timezone, ctx.clock.now()) : checkDay('startDate', input.startDate);
  const endDate = input.endDate == null ? null : checkDay('endDate', input.endDate);
  if (endDate !== null && endDate < startDate) throw new Invalid('endDate must not be before startDate');
  const medication = {
    id: newId(),
    workspaceId: ctx.workspaceId,
    userId: user.id,
    name: text('name', input.name, MAX_MEDICATION_NAME),
    dosage: input.dosage == null ? null : text('dosage', input.dosage, MAX_DOSAGE),
    form: oneOf('form', input.form ?? 'tablet', MEDICATION_FORMS),
    times: checkTimes(input.times),
    daysOfWeek: checkWeekdays(input.daysOfWeek ?? []),
    startDate,
    endDate,
    onTimeWindowMinutes: window,
    reminders: input.reminders ?? false,
  };
  const created = await ctx.sql.transaction(async (tx) => {
    const row = await insertMedication(tx, medication);
    await emit(tx, {
      workspaceId: ctx.workspaceId,
      type: 'medication.created',
      payload: medicationResource(row),
      occurredAt: ctx.clock.now(),
    });
    return row;
  });
  // Schedules live in the job engine, outside the transaction (as digest rules' do): one per dose time.
  if (created.reminders) await syncMedicationReminders(ctx, created, user.timezone);
  return created;
}

export async function medicationOf(ctx: ServiceContext, userId: string, medicationId: string) {
  const user = await getUser(ctx, userId);
  const medication = await findMedication(ctx.sql, user.id, medicationId);
  if (!medication) throw new NotFound(`medication ${medicationId} not found`);
  return { user, medication };
}

/** The scheduled dose a log covers: the one named by date and time, or the one nearest `at` in the user's zone. */
function coveredDose(medication: MedicationRow, timezone: string, at: Date, date: string | null, time: string | null) {
  if ((date === null) !== (time === null)) throw new Invalid('date and time name a dose together: give both or neither');
  if (date !== null && time !== null) {
    if (!medication.times.includes(time))
      throw new Invalid(`time must be one of the medication's dose times: ${medication.times.join(', ')}`);
    if (!isScheduledDay(medication, date)) throw new Invalid(`date ${date} is not a scheduled day of this medication`);
    return { date, time, instant: wallClockInstant(timezone, date, time) };
  }
  const today = localDay(timezone, at);
  const candidates = [-1, 0, 1]
    .map((shift) => new Date(Date.parse(today + 'T00:00:00Z') + shift * 86_400_000).toISOString().slice(0, 10))
    .filter((day) => isScheduledDay(medication, day))
    .flatMap((day) => medication.times.map((t) => ({ date: day, time: t, instant: wallClockInstant(timezone, day, t) })));
  const nearest = candidates.sort((a, b) => Math.abs(a.instant - at.getTime()) - Math.abs(b.instant - at.getTime()))[0];
  if (!nearest || Math.abs(nearest.instant - at.getTime()) > NEAREST_DOSE_HOURS * 3_600_000)
    throw new Invalid(`no scheduled dose within ${NEAREST_DOSE_HOURS} hours of at: give date and time`);
  return nearest;
}

/** Logs a scheduled dose as taken or skipped (once per dose: 409 for a second log of it). */
export async function logDose(ctx: ServiceContext, userId: string, medicationId: string, input: DoseInput): Promise<DoseView> {
  const { user, medication } = await medicationOf(ctx, userId, medicationId);
  const status = oneOf('status', input.status ?? 'taken', DOSE_STATUSES);
  const at = input.at ?? ctx.clock.now();
  const note = input.note == null ? null : text('note', input.note, MAX_NOTE);
  const date = input.date == null ? null : checkDay('date', input.date);
  const time = input.time ?? null;
  if (time !== null && !TIME_PATTERN.test(time)) throw new Invalid(`time must be ${TIME_WORDS}`);
  const dose = coveredDose(medication, user.timezone, at, date, time);
  const logged = await ctx.sql.transaction(async (tx) => {
    const row = await insertDose(tx, {
      id: newId(),
      workspaceId: ctx.workspaceId,
      userId: user.id,
      medicationId: medication.id,
      date: dose.date,
      time: dose.time,
      scheduledAt: new Date(dose.instant),
      status,
      at,
      localDate: localDay(user.timezone, at),
      note,
    });
    if (!row) throw new Conflict(`the dose of ${dose.date} at ${dose.time} is already logged`);
    const view = doseView(row, medication.onTimeWindowMinutes);
    await emit(tx, {
      workspaceId: ctx.workspaceId,
      type: 'medication_dose.created',
      payload: doseResource(view),
      occurredAt: ctx.clock.now(),
    });
    return view;
  });
  await recordMissedDoses(ctx, medication, await findMissedBefore(ctx, user, medication, dose));
  return logged;
}
