import type { ServiceContext } from '../../context.js';
import { emit, type EmitTx } from '../../domain-events/emit.js';
import type { Habit, Prisma } from '../../generated/prisma/client.js';
import { Invalid, NotFound } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../../lib/pagination.js';
import { checkDay, localDay } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { dateOf, habitView, type HabitView } from './habit-view.js';
import { HABIT_FREQUENCIES, WEEKDAYS, type HabitFrequency, type Weekday } from './schedule.js';

export const MAX_HABIT_NAME = 100;
export const MAX_HABIT_ICON = 32;
export const MAX_TARGET_PER_DAY = 100;
export const COLOR_PATTERN = /^#[0-9A-Fa-f]{6}$/;
export const COLOR_WORDS = 'a colour #RRGGBB (hexadecimal)';

export interface HabitChanges {
  name?: string | null;
  icon?: string | null;
  color?: string | null;
  frequency?: HabitFrequency | null;
  timesPerWeek?: number | null;
  weekdays?: readonly Weekday[] | null;
  targetPerDay?: number | null;
}

export interface HabitInput extends HabitChanges {
  name: string;
  startDate?: string | null;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || [...trimmed].length > MAX_HABIT_NAME) throw new Invalid(`name must be 1 to ${MAX_HABIT_NAME} characters`);
  return trimmed;
}

function checkIcon(icon: string): string {
  const trimmed = icon.trim();
  if (trimmed.length < 1 || [...trimmed].length > MAX_HABIT_ICON) throw new Invalid(`icon must be 1 to ${MAX_HABIT_ICON} characters`);
  return trimmed;
}

function checkColor(color: string): string {
  if (!COLOR_PATTERN.test(color)) throw new Invalid(`color must be ${COLOR_WORDS}`);
  return color.toLowerCase();
}

function checkInteger(name: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Invalid(`${name} must be an integer from 1 to ${max}`);
  return value;
}

/** The frequency with the one setting it takes: timesPerWeek for times_per_week, weekdays for weekdays, nothing else. */
function checkSchedule(
  frequency: string,
  timesPerWeek: number | null,
  weekdays: readonly string[] | null,
): { frequency: HabitFrequency; timesPerWeek: number | null; weekdays: number[] } {
  if (!(HABIT_FREQUENCIES as readonly string[]).includes(frequency))
    throw new Invalid(`frequency must be one of ${HABIT_FREQUENCIES.join(', ')}`);
  if (frequency === 'times_per_week' && timesPerWeek === null)
    throw new Invalid('timesPerWeek is required when frequency is times_per_week');
  if (frequency !== 'times_per_week' && timesPerWeek !== null) throw new Invalid('timesPerWeek is only for frequency times_per_week');
  if (frequency === 'weekdays' && (weekdays === null || weekdays.length === 0))
    throw new Invalid('weekdays is required (at least one day) when frequency is weekdays');
  if (frequency !== 'weekdays' && weekdays !== null) throw new Invalid('weekdays is only for frequency weekdays');
  const isoDays = (weekdays ?? []).map((day) => {
    const index = (WEEKDAYS as readonly string[]).indexOf(day);
    if (index < 0) throw new Invalid(`weekdays must hold only ${WEEKDAYS.join(', ')}`);
    return index + 1;
  });
  if (new Set(isoDays).size !== isoDays.length) throw new Invalid('weekdays must not repeat a day');
  return {
    frequency: frequency as HabitFrequency,
    timesPerWeek: timesPerWeek === null ? null : checkInteger('timesPerWeek', timesPerWeek, 7),
    weekdays: isoDays.sort((a, b) => a - b),
  };
}

function announce(ctx: ServiceContext, tx: EmitTx, action: 'created' | 'updated' | 'deleted', habit: Habit): Promise<void> {
  return emit(tx, { workspaceId: ctx.workspaceId, type: `habit.${action}`, payload: habitView(habit), occurredAt: ctx.clock.now() });
}

export async function listHabits(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<HabitView>> {
  const user = await getUser(ctx, userId);
  const where = { userId: user.id };
  const page = await paginate(args, {
    list: `habits:${user.id}`,
    count: () => ctx.db.habit.count({ where }),
    fetch: (window) => ctx.db.habit.findMany(idOrderedWindow(where, window)),
    keyOf: (habit) => [habit.id],
  });
  return { ...page, data: page.data.map(habitView) };
}

/** Creates a habit starting today in the user's zone, or on an earlier startDate (to log past days). */
export async function createHabit(ctx: ServiceContext, userId: string, input: HabitInput): Promise<HabitView> {
  const user = await getUser(ctx, userId);
  const today = localDay(user.timezone, ctx.clock.now());
  const startDate = input.startDate == null ? today : checkDay('startDate', input.startDate);
  if (startDate > today) throw new Invalid(`startDate must not be after today (${today} in ${user.timezone})`);
  const schedule = checkSchedule(input.frequency ?? 'daily', input.timesPerWeek ?? null, input.weekdays ?? null);
  const data: Prisma.HabitUncheckedCreateInput = {
    id: newId(),
    workspaceId: ctx.workspaceId,
    userId: user.id,
    name: checkName(input.name),
    icon: input.icon == null ? null : checkIcon(input.icon),
    color: input.color == null ? null : checkColor(input.color),
    ...schedule,
    targetPerDay: checkInteger('targetPerDay', input.targetPerDay ?? 1, MAX_TARGET_PER_DAY),
    startDate: dateOf(startDate),
  };
  const habit = await ctx.db.$transaction(async (tx) => {
    const created = await tx.habit.create({ data });
    await announce(ctx, tx, 'created', created);
    return created;
  });
  return habitView(habit);
}

/** The habit of a user of the workspace; another user's or workspace's habit is not found. */
export async function findHabit(ctx: ServiceContext, userId: string, habitId: string) {
  const user = await getUser(ctx, userId);
  const habit = await ctx.db.habit.findFirst({ where: { id: habitId, userId: user.id } });
  if (!habit) throw new NotFound(`habit ${habitId} not found`);
  return { user, habit };
}

/**
 * Changes the fields given. A new frequency drops the old one's setting (timesPerWeek, weekdays) and needs its
 * own. Streaks and rates are computed on read, so past completions are judged by the new settings.
 */
export async function updateHabit(ctx: ServiceContext, userId: string, habitId: string, changes: HabitChanges): Promise<HabitView> {
  const { habit } = await findHabit(ctx, userId, habitId);
  const frequency = changes.frequency ?? habit.frequency;
  const same = frequency === habit.frequency;
  const schedule = checkSchedule(
    frequency,
    changes.timesPerWeek ?? (same ? habit.timesPerWeek : null),
    changes.weekdays ?? (same && frequency === 'weekdays' ? habit.weekdays.map((n) => WEEKDAYS[n - 1]!) : null),
  );
  const data: Prisma.HabitUpdateInput = {
    ...schedule,
    ...(changes.name != null && { name: checkName(changes.name) }),
    ...(changes.icon != null && { icon: checkIcon(changes.icon) }),
    ...(changes.color != null && { color: checkColor(changes.color) }),
    ...(changes.targetPerDay != null && { targetPerDay: checkInteger('targetPerDay', changes.targetPerDay, MAX_TARGET_PER_DAY) }),
  };
  const updated = await ctx.db.$transaction(async (tx) => {
    const saved = await tx.habit.update({ where: { id: habit.id }, data });
    await announce(ctx, tx, 'updated', saved);
    return saved;
  });
  return habitView(updated);
}

/** Deletes a habit with its completions and milestones (cascading foreign keys), in one transaction. */
export async function deleteHabit(ctx: ServiceContext, userId: string, habitId: string): Promise<void> {
  const { habit } = await findHabit(ctx, userId, habitId);
  await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.habit.deleteMany({ where: { id: habit.id } });
    if (count === 0) throw new NotFound(`habit ${habitId} not found`);
    // One event for the habit: its completions go with it unannounced, as a user's records go with the user.
    await announce(ctx, tx, 'deleted', habit);
  });
}
