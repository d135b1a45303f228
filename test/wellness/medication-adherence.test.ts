import { describe, expect, it } from 'vitest';
import { computeAdherence, doseKey, doseOutcome, type DoseLog, type TimedDose } from '../../src/wellness/medications/adherence.js';
import { dosesBetween, wallClockInstant } from '../../src/wellness/medications/schedule.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const WINDOW = 60 * MIN;

describe('dose instants in the user’s zone', () => {
  it('reads a time skipped by the spring-forward night with the offset before the gap (02:30 EST = 03:30 EDT)', () => {
    expect(new Date(wallClockInstant('America/New_York', '2025-03-09', '02:30')).toISOString()).toBe('2025-03-09T07:30:00.000Z');
    expect(new Date(wallClockInstant('Europe/Berlin', '2025-03-30', '02:30')).toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });

  it('takes the first of a time repeated by the fall-back night', () => {
    // 01:30 EDT (UTC−4) comes before 01:30 EST (UTC−5).
    expect(new Date(wallClockInstant('America/New_York', '2025-11-02', '01:30')).toISOString()).toBe('2025-11-02T05:30:00.000Z');
    expect(new Date(wallClockInstant('Europe/Berlin', '2025-10-26', '02:30')).toISOString()).toBe('2025-10-26T00:30:00.000Z');
  });

  it('reads ordinary times with the day’s offset, including just before and after midnight', () => {
    expect(new Date(wallClockInstant('Asia/Kolkata', '2025-06-10', '00:00')).toISOString()).toBe('2025-06-09T18:30:00.000Z');
    expect(new Date(wallClockInstant('Pacific/Auckland', '2025-06-10', '23:59')).toISOString()).toBe('2025-06-10T11:59:00.000Z');
  });

  it('lists the doses of scheduled weekdays within the schedule’s span', () => {
    // 2025-06-02 is a Monday; Mondays and Wednesdays from the 3rd to the 9th: Wednesday 4 and Monday 9.
    const doses = dosesBetween(
      { times: ['08:00', '20:00'], daysOfWeek: [1, 3], startDate: '2025-06-03', endDate: '2025-06-09' },
      '2025-06-01',
      '2025-06-30',
    );
    expect(doses).toEqual([
      { date: '2025-06-04', time: '08:00' },
      { date: '2025-06-04', time: '20:00' },
      { date: '2025-06-09', time: '08:00' },
      { date: '2025-06-09', time: '20:00' },
    ]);
  });
});

describe('adherence arithmetic', () => {
  const at = (day: string, hour: number) => Date.parse(`${day}T00:00:00Z`) + hour * HOUR;
  const dose = (date: string, hour: number): TimedDose => ({ date, time: `${String(hour).padStart(2, '0')}:00`, instant: at(date, hour) });
  const taken = (d: TimedDose, offset: number): DoseLog => ({ status: 'taken', at: d.instant + offset, scheduledAt: d.instant });

  it('judges a taken dose on time within ± the window, early or late outside it, and the window’s edge as on time', () => {
    const d = dose('2025-06-10', 8);
    expect(doseOutcome(d, taken(d, WINDOW), WINDOW, Infinity)).toBe('on_time');
    expect(doseOutcome(d, taken(d, -WINDOW), WINDOW, Infinity)).toBe('on_time');
    expect(doseOutcome(d, taken(d, WINDOW + 1), WINDOW, Infinity)).toBe('late');
    expect(doseOutcome(d, taken(d, -WINDOW - 1), WINDOW, Infinity)).toBe('early');
    expect(doseOutcome(d, { ...taken(d, 0), status: 'skipped' }, WINDOW, Infinity)).toBe('skipped');
    // Unlogged: pending while the window is open, missed once it closed.
    expect(doseOutcome(d, undefined, WINDOW, d.instant + WINDOW)).toBe('pending');
    expect(doseOutcome(d, undefined, WINDOW, d.instant + WINDOW + 1)).toBe('missed');
  });

  it('counts per day and overall, leaves pending doses out, and keeps a streak open while today has pending doses', () => {
    const doses = ['2025-06-08', '2025-06-09', '2025-06-10', '2025-06-11'].flatMap((day) => [dose(day, 8), dose(day, 20)]);
    const logs = new Map<string, DoseLog>();
    // 8th: both on time. 9th: both, one 2 h late. 10th: one taken, one skipped. 11th ("now" 12:00): 08:00 taken, 20:00 pending.
    for (const d of doses) logs.set(doseKey(d), taken(d, 10 * MIN));
    logs.set(doseKey(doses[3]!), taken(doses[3]!, 2 * HOUR));
    logs.set(doseKey(doses[5]!), { status: 'skipped', at: doses[5]!.instant, scheduledAt: doses[5]!.instant });
    logs.delete(doseKey(doses[7]!));
    const now = at('2025-06-11', 12);
    const result = computeAdherence(doses, doses, logs, WINDOW, now);
    expect(result.overall).toEqual({
      scheduled: 7,
      taken: 6,
      onTime: 5,
      early: 0,
      late: 1,
      skipped: 1,
      missed: 0,
      pending: 1,
      adherence: 6 / 7,
      onTimeRate: 5 / 7,
    });
    expect(result.days.map((d) => [d.date, d.scheduled, d.taken, d.adherence, d.fullyAdherent])).toEqual([
      ['2025-06-08', 2, 2, 1, true],
      ['2025-06-09', 2, 2, 1, true],
      ['2025-06-10', 2, 1, 0.5, false],
      ['2025-06-11', 1, 1, 1, false],
    ]);
    // 8th and 9th met (longest 2); 10th broke it; 11th is still open: current 0, not broken further.
    expect(result.streak).toEqual({ current: 0, longest: 2 });
    // Once 20:00 of the 11th is taken too, the 11th starts a new run.
    logs.set(doseKey(doses[7]!), taken(doses[7]!, 0));
    expect(computeAdherence(doses, doses, logs, WINDOW, at('2025-06-12', 0)).streak).toEqual({ current: 1, longest: 2 });
  });

  it('gives no adherence for a window with nothing due', () => {
    const d = dose('2025-06-10', 8);
    const result = computeAdherence([d], [d], new Map(), WINDOW, d.instant);
    expect(result.overall).toMatchObject({ scheduled: 0, pending: 1, adherence: null, onTimeRate: null });
    expect(result.streak).toEqual({ current: 0, longest: 0 });
  });
});
