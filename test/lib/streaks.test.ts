import { describe, expect, it } from 'vitest';
import { dayStreaks, periodStreaks } from '../../src/lib/streaks.js';

describe('periodStreaks: runs of met periods, oldest first', () => {
  it('counts the current run and the longest one', () => {
    expect(periodStreaks([true, true, true, false, true, true])).toEqual({ current: 2, longest: 3 });
  });

  it('keeps yesterday’s run while today is open and not yet met', () => {
    expect(periodStreaks([true, true, false])).toEqual({ current: 2, longest: 2 });
  });

  it('breaks the run when the last period is closed and missed', () => {
    expect(periodStreaks([true, true, false], false)).toEqual({ current: 0, longest: 2 });
  });

  it('is zero for no periods and for none met', () => {
    expect(periodStreaks([])).toEqual({ current: 0, longest: 0 });
    expect(periodStreaks([false, false])).toEqual({ current: 0, longest: 0 });
  });
});

describe('dayStreaks: consecutive local days with an entry', () => {
  it('counts across month ends and ignores repeated days', () => {
    const days = ['2025-01-30', '2025-01-31', '2025-01-31', '2025-02-01', '2025-02-03'];
    expect(dayStreaks(days, '2025-02-03')).toEqual({ current: 1, longest: 3 });
  });

  it('keeps the streak on a day not yet written, and drops it the day after', () => {
    const days = ['2025-03-01', '2025-03-02'];
    expect(dayStreaks(days, '2025-03-03')).toEqual({ current: 2, longest: 2 });
    expect(dayStreaks(days, '2025-03-04')).toEqual({ current: 0, longest: 2 });
  });

  it('ignores days after today (an entry dated ahead)', () => {
    expect(dayStreaks(['2025-03-01', '2025-03-05'], '2025-03-01')).toEqual({ current: 1, longest: 1 });
  });
});
