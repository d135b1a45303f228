import { describe, expect, it } from 'vitest';
import { periodOf, periodsBetween, previousPeriod } from '../../src/goals/periods.js';

describe('goal periods in local days', () => {
  const open = { startDate: '2025-03-05', endDate: null };

  it('takes ISO weeks from Monday to Sunday, the first clipped to the goal’s start', () => {
    expect(periodOf({ ...open, period: 'weekly' }, '2025-03-05')).toEqual({ start: '2025-03-05', end: '2025-03-09' });
    expect(periodOf({ ...open, period: 'weekly' }, '2025-03-30')).toEqual({ start: '2025-03-24', end: '2025-03-30' });
    expect(periodOf({ ...open, period: 'weekly' }, '2025-03-31')).toEqual({ start: '2025-03-31', end: '2025-04-06' });
  });

  it('takes calendar months, February of a leap year included', () => {
    const goal = { startDate: '2024-01-01', endDate: '2024-12-31', period: 'monthly' as const };
    expect(periodOf(goal, '2024-02-15')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodsBetween(goal, '2024-01-31', '2024-03-01').map((span) => span.start)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01']);
  });

  it('has one period up to the end date for by_date goals, and none outside the goal', () => {
    const goal = { startDate: '2025-06-01', endDate: '2025-06-30', period: 'by_date' as const };
    expect(periodOf(goal, '2025-06-10')).toEqual({ start: '2025-06-01', end: '2025-06-30' });
    expect(periodOf(goal, '2025-07-01')).toBeNull();
    expect(previousPeriod(goal, { start: '2025-06-01', end: '2025-06-30' })).toBeNull();
  });

  it('walks daily periods back to the start', () => {
    const goal = { ...open, period: 'daily' as const };
    expect(previousPeriod(goal, { start: '2025-03-06', end: '2025-03-06' })).toEqual({ start: '2025-03-05', end: '2025-03-05' });
    expect(previousPeriod(goal, { start: '2025-03-05', end: '2025-03-05' })).toBeNull();
  });
});
