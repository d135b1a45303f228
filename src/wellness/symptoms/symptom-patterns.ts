import { dailySeries } from '../../analytics/daily-series.js';
import type { ServiceContext } from '../../context.js';
import { Invalid } from '../../lib/errors.js';
import { addDays, localDay } from '../../lib/time.js';
import { getUser } from '../../users/users.js';
import { symptomPatterns, type SymptomPatterns } from './patterns.js';
import { symptomFilters, symptomsBetween, type SymptomQuery } from './symptoms.js';

export const DEFAULT_PATTERN_DAYS = 90;
export const MAX_PATTERN_DAYS = 366;

export interface SymptomPatternReport extends SymptomPatterns {
  from: string;
  to: string;
  /** Local days of the window with sleep data (the association's days). */
  sleepDays: number;
}

/** Symptom patterns over local days (default the 90 ending today in the user's zone), with sleep from health events. */
export async function symptomPatternReport(ctx: ServiceContext, userId: string, query: SymptomQuery): Promise<SymptomPatternReport> {
  const user = await getUser(ctx, userId);
  const filters = symptomFilters(query);
  const to = filters.to ?? localDay(user.timezone, ctx.clock.now());
  const from = filters.from ?? addDays(to, -(DEFAULT_PATTERN_DAYS - 1));
  if (from > to) throw new Invalid('from must not be after to');
  if (addDays(from, MAX_PATTERN_DAYS - 1) < to) throw new Invalid(`from–to spans more than ${MAX_PATTERN_DAYS} days`);
  const logs = await symptomsBetween(ctx, user.id, from, to, filters.type);
  const [sleepSeries] = await dailySeries(ctx, user, from, to, ['sleep_minutes']);
  const sleep = sleepSeries?.values ?? new Map<string, number>();
  return { from, to, sleepDays: sleep.size, ...symptomPatterns(logs, sleep, from, to) };
}
