import type { ServiceContext } from '../context.js';
import { dailySummaries, type DailySummary } from '../health/daily-summaries.js';
import { requireMetricType } from '../health/metric-types.js';
import type { Notification } from './messages.js';
import { localDate } from './quiet-hours.js';
import { addDays } from './rule-evaluation.js';
import type { Condition } from './rule-conditions.js';

export interface DigestPeriod {
  /** Local days of the user, inclusive. */
  from: string;
  to: string;
}

/** The period a digest firing now covers: the user's local day that ended last, or the seven days to it. */
export function digestPeriod(condition: Extract<Condition, { kind: 'digest' }>, timezone: string, now: number): DigestPeriod {
  const to = addDays(localDate(timezone, now), -1);
  return { from: condition.period === 'weekly' ? addDays(to, -6) : to, to };
}

/** Every daily summary of the period (all metrics), page by page. */
async function summariesOf(ctx: ServiceContext, userId: string, period: DigestPeriod): Promise<DailySummary[]> {
  const all: DailySummary[] = [];
  let cursor: string | null = null;
  do {
    const page = await dailySummaries(ctx, userId, period, cursor ? { limit: 500, cursor } : { limit: 500 });
    all.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

const format = (value: number) => (Math.round(value * 10) / 10).toLocaleString('en-US');
const daysWord = (count: number) => `${count} day${count === 1 ? '' : 's'}`;

/**
 * One line per metric with data in the period, from the daily summaries (the user's local days, merged across
 * sources): a day's value for a daily digest; for a weekly one the total and the daily mean of totals (steps,
 * energy…), and the mean, lowest and highest day of the others (resting heart rate, weight…).
 */
export async function digestNotification(
  ctx: ServiceContext,
  userId: string,
  rule: { category: string; condition: Extract<Condition, { kind: 'digest' }> },
  period: DigestPeriod,
): Promise<Notification> {
  const byMetric = new Map<string, DailySummary[]>();
  for (const day of await summariesOf(ctx, userId, period)) byMetric.set(day.metricType, [...(byMetric.get(day.metricType) ?? []), day]);
  const lines = [...byMetric].map(([metricType, days]) => {
    const metric = requireMetricType(metricType);
    const values = days.map((day) => day.value);
    const total = values.reduce((sum, value) => sum + value, 0);
    if (rule.condition.period === 'daily') return `${metric.name}: ${format(values[0]!)} ${metric.unit}`;
    const spread = `${daysWord(days.length)} with data`;
    if (metric.aggregation === 'sum')
      return `${metric.name}: ${format(total)} ${metric.unit} (${format(total / days.length)} a day, ${spread})`;
    return `${metric.name}: mean ${format(total / days.length)} ${metric.unit} (${format(Math.min(...values))}–${format(Math.max(...values))}, ${spread})`;
  });
  const daily = rule.condition.period === 'daily';
  return {
    title: daily ? `Your day, ${period.to}` : `Your week, ${period.from} to ${period.to}`,
    body: lines.length ? lines.join('\n') : `No health data was recorded ${daily ? 'that day' : 'that week'}.`,
    severity: 'info',
    category: rule.category,
  };
}
