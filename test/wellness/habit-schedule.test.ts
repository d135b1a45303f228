import { describe, expect, it } from 'vitest';
import {
  completionRate,
  dueToday,
  habitPeriods,
  habitStreaks,
  isoWeekday,
  weekStart,
  type HabitPlan,
} from '../../src/wellness/habits/schedule.js';

const plan = (overrides: Partial<HabitPlan>): HabitPlan => ({
  frequency: 'daily',
  timesPerWeek: null,
  weekdays: [],
  targetPerDay: 1,
  startDate: '2025-03-03',
  ...overrides,
});

/** Each day completed once. */
const once = (...days: string[]) => new Map(days.map((day) => [day, 1]));

describe('habit periods, streaks and completion rates by frequency', () => {
  it('numbers ISO weekdays from Monday and finds the week’s Monday', () => {
    // 3 March 2025 was a Monday, 9 March a Sunday.
    expect([isoWeekday('2025-03-03'), isoWeekday('2025-03-09')]).toEqual([1, 7]);
    expect([weekStart('2025-03-09'), weekStart('2025-03-10')]).toEqual(['2025-03-03', '2025-03-10']);
  });

  it('counts a daily habit in consecutive days; today not yet done keeps yesterday’s streak', () => {
    // Mon 3 to Sun 9 March: done 3, 4, 5, missed 6, done 7, 8, today (9th) not yet.
    const counts = once('2025-03-03', '2025-03-04', '2025-03-05', '2025-03-07', '2025-03-08');
    const periods = habitPeriods(plan({}), counts, '2025-03-09');
    expect(periods.map((p) => p.met)).toEqual([true, true, true, false, true, true, false]);
    expect(habitStreaks(periods)).toEqual({ current: 2, longest: 3 });
    // Six closed days, five met; the open day counts once done.
    expect(completionRate(periods, '2025-03-03')).toEqual({ rate: 5 / 6, met: 5, scheduled: 6 });
    counts.set('2025-03-09', 1);
    const done = habitPeriods(plan({}), counts, '2025-03-09');
    expect(habitStreaks(done)).toEqual({ current: 3, longest: 3 });
    expect(completionRate(done, '2025-03-03')).toEqual({ rate: 6 / 7, met: 6, scheduled: 7 });
  });

  it('meets a day only when its count reaches the target per day', () => {
    const counts = new Map([
      ['2025-03-03', 1],
      ['2025-03-04', 2],
      ['2025-03-05', 3],
    ]);
    const periods = habitPeriods(plan({ targetPerDay: 2 }), counts, '2025-03-05');
    expect(periods.map((p) => p.met)).toEqual([false, true, true]);
    expect(habitStreaks(periods)).toEqual({ current: 2, longest: 2 });
  });

  it('counts a weekdays habit over its scheduled days only: other days neither break nor extend a run', () => {
    const mwf = plan({ frequency: 'weekdays', weekdays: [1, 3, 5] });
    // Mon 3, Wed 5, (Thu 6 unscheduled), Fri 7, Mon 10 done; Wed 12 missed; today Thu 13 is not scheduled.
    const counts = once('2025-03-03', '2025-03-05', '2025-03-06', '2025-03-07', '2025-03-10');
    const periods = habitPeriods(mwf, counts, '2025-03-13');
    expect(periods.map((p) => p.start)).toEqual(['2025-03-03', '2025-03-05', '2025-03-07', '2025-03-10', '2025-03-12']);
    expect(habitStreaks(periods)).toEqual({ current: 0, longest: 4 });
    expect(completionRate(periods, '2025-03-03')).toEqual({ rate: 0.8, met: 4, scheduled: 5 });
    // On Wednesday 12 itself the day is open: the run of four stands.
    expect(habitStreaks(habitPeriods(mwf, counts, '2025-03-12'))).toEqual({ current: 4, longest: 4 });
    // Tuesday 11 (unscheduled) leaves it as Monday left it.
    expect(habitStreaks(habitPeriods(mwf, counts, '2025-03-11'))).toEqual({ current: 4, longest: 4 });
  });

  it('counts a times_per_week habit in ISO weeks with enough met days, the first week asking only for the days it has', () => {
    // Three a week from Wednesday 5 March: week 1 (3–9) has five days from the start, so it needs min(3, 5) = 3.
    const thrice = plan({ frequency: 'times_per_week', timesPerWeek: 3, startDate: '2025-03-05' });
    const counts = once(
      ...['2025-03-05', '2025-03-07', '2025-03-08'], // week 1: 3 → met
      ...['2025-03-10', '2025-03-11'], // week 2: 2 → missed
      ...['2025-03-17', '2025-03-18', '2025-03-19'], // week 3: 3 → met
      '2025-03-24', // week 4, today Wednesday 26: 1 so far, open
    );
    const periods = habitPeriods(thrice, counts, '2025-03-26');
    expect(periods.map((p) => [p.start, p.required, p.metDays, p.met, p.open])).toEqual([
      ['2025-03-03', 3, 3, true, false],
      ['2025-03-10', 3, 2, false, false],
      ['2025-03-17', 3, 3, true, false],
      ['2025-03-24', 3, 1, false, true],
    ]);
    expect(habitStreaks(periods)).toEqual({ current: 1, longest: 1 });
    // From Wednesday 12: weeks 2 and 3 count whole (week 1 ended on the 9th), the open week not yet: 1 of 2.
    expect(completionRate(periods, '2025-03-12')).toEqual({ rate: 0.5, met: 1, scheduled: 2 });
    expect(dueToday(thrice, counts, '2025-03-26')).toBe(true);
    // Started on Saturday 8 March: the first week has two days, so two met days meet it.
    const lateStart = plan({ frequency: 'times_per_week', timesPerWeek: 3, startDate: '2025-03-08' });
    const [first] = habitPeriods(lateStart, once('2025-03-08', '2025-03-09'), '2025-03-09');
    expect(first).toMatchObject({ required: 2, metDays: 2, met: true, open: true });
  });

  it('is no longer due this week once the week’s quota was met before today', () => {
    const twice = plan({ frequency: 'times_per_week', timesPerWeek: 2 });
    const counts = once('2025-03-03', '2025-03-04', '2025-03-05');
    // Monday and Tuesday met two: Wednesday is not due (done anyway).
    expect(dueToday(twice, counts, '2025-03-05')).toBe(false);
    // Only Monday met: Wednesday is due, done or not.
    expect(dueToday(twice, once('2025-03-03'), '2025-03-05')).toBe(true);
    expect(dueToday(twice, once('2025-03-03', '2025-03-05'), '2025-03-05')).toBe(true);
  });

  it('ignores completions after today and has no periods before the start day (a zone change back across it)', () => {
    const counts = once('2025-03-03', '2025-03-04');
    expect(habitPeriods(plan({}), counts, '2025-03-03').map((p) => p.met)).toEqual([true]);
    expect(habitPeriods(plan({}), counts, '2025-03-02')).toEqual([]);
    expect(habitStreaks([])).toEqual({ current: 0, longest: 0 });
    expect(completionRate([], '2025-03-01')).toEqual({ rate: null, met: 0, scheduled: 0 });
  });
});
