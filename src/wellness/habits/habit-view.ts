import type { Habit } from '../../generated/prisma/client.js';
import { WEEKDAYS, type HabitFrequency, type HabitPlan, type Weekday } from './schedule.js';

/** A habit as the API answers it (GET lists it; the habit.* events carry it). */
export interface HabitView {
  id: string;
  userId: string;
  name: string;
  icon: string | null;
  color: string | null;
  frequency: HabitFrequency;
  timesPerWeek: number | null;
  weekdays: Weekday[] | null;
  targetPerDay: number;
  startDate: string;
  createdAt: Date;
  updatedAt: Date;
}

export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);
export const dateOf = (day: string): Date => new Date(day + 'T00:00:00Z');

export function habitView(habit: Habit): HabitView {
  return {
    id: habit.id,
    userId: habit.userId,
    name: habit.name,
    icon: habit.icon,
    color: habit.color,
    frequency: habit.frequency as HabitFrequency,
    timesPerWeek: habit.timesPerWeek,
    weekdays: habit.frequency === 'weekdays' ? habit.weekdays.map((n) => WEEKDAYS[n - 1]!) : null,
    targetPerDay: habit.targetPerDay,
    startDate: dayOf(habit.startDate),
    createdAt: habit.createdAt,
    updatedAt: habit.updatedAt,
  };
}

export function habitPlan(habit: Habit): HabitPlan {
  return {
    frequency: habit.frequency as HabitFrequency,
    timesPerWeek: habit.timesPerWeek,
    weekdays: habit.weekdays,
    targetPerDay: habit.targetPerDay,
    startDate: dayOf(habit.startDate),
  };
}
