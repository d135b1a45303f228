import type { ServiceContext } from '../context.js';
import { dailySummaries } from '../health/daily-summaries.js';
import { goalMetric } from '../goals/goal-metrics.js';
import { getMetricType, requireMetricType } from '../health/metric-types.js';
import { doseReminderMessage, missedDoseMessage, type Notification } from './messages.js';
import { localDate } from './quiet-hours.js';
import { severityOf, type Condition } from './rule-conditions.js';

/** What a trigger fires: the condition it met (unique per rule: one condition notifies once) and the message. */
export interface Firing {
  conditionKey: string;
  notification: Notification;
}

export interface TriggerEvent {
  id: string;
  type: string;
  payload: any;
}

const DAY = 86_400_000;
/** A sync page spans at most a month of new days; older days in one ingest are backfill, not news. */
const MAX_DAYS_CHECKED = 31;

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(date + 'T00:00:00Z') + days * DAY).toISOString().slice(0, 10);

const format = (value: number) => (Math.round(value * 10) / 10).toLocaleString('en-US');

/** Does an event make an event condition fire? Anomalies, records and failures fire once per event. */
function eventFiring(condition: Condition, category: string, event: TriggerEvent): Firing | null {
  const payload = event.payload ?? {};
  if (condition.kind === 'anomaly') {
    if (condition.metricType !== null && payload.metricType !== condition.metricType) return null;
    const metric = requireMetricType(String(payload.metricType));
    const why =
      payload.kind === 'clinical'
        ? `past the clinical limit: ${payload.rule?.label} (${payload.rule?.source})`
        : `a modified z-score of ${format(payload.score)} against the ${payload.baseline?.windowDays}-day baseline ` +
          `(median ${format(payload.baseline?.median)} ${payload.unit})`;
    return {
      conditionKey: `anomaly:${payload.metricType}:${payload.date}:${payload.kind}`,
      notification: {
        title: `Unusual ${metric.name.toLowerCase()} on ${payload.date}: ${payload.direction}`,
        body: `${format(payload.value)} ${payload.unit}, ${why}.`,
        severity: severityOf(condition, event.type, payload),
        category,
      },
    };
  }
  if (condition.kind === 'goal') {
    const id = String(payload.metricType);
    const metric = getMetricType(id)?.name.toLowerCase() ?? id.replaceAll('_', ' ');
    const unit = goalMetric(id).unit;
    const when =
      payload.periodStart === payload.periodEnd ? `on ${payload.periodStart}` : `from ${payload.periodStart} to ${payload.periodEnd}`;
    return {
      conditionKey: `event:${event.id}`,
      notification: {
        title: `Goal reached: ${metric}, ${String(payload.period)}`,
        body:
          `${format(payload.value)} ${unit} ${when}, against a target of ` +
          `${String(payload.direction).replaceAll('_', ' ')} ${format(payload.target)} ${unit}.`,
        severity: severityOf(condition, event.type),
        category,
      },
    };
  }
  if (condition.kind === 'achievement') {
    return {
      conditionKey: `event:${event.id}`,
      notification: {
        title: `Achievement unlocked: ${payload.name}`,
        body: String(payload.description),
        severity: severityOf(condition, event.type),
        category,
      },
    };
  }
  if (condition.kind === 'personal_record') {
    const metric = String(payload.metricType);
    const previous = payload.previousValue == null ? '' : ` (previous best ${format(payload.previousValue)} ${payload.unit})`;
    return {
      conditionKey: `event:${event.id}`,
      notification: {
        title: `New personal record: ${metric.replaceAll('_', ' ')}`,
        body: `${format(payload.value)} ${payload.unit}, ${String(payload.kind).replaceAll('_', ' ')}${previous}.`,
        severity: severityOf(condition, event.type),
        category,
      },
    };
  }
  if (condition.kind === 'sync_failure') {
    const what = event.type === 'sync.failed' ? 'A sync failed' : 'A connection stopped working';
    return {
      conditionKey: `event:${event.id}`,
      notification: {
        title: `${what}: ${payload.providerId}`,
        body: `${payload.error ?? payload.reason ?? 'no reason given'} (connection ${payload.connectionId}).`,
        severity: severityOf(condition, event.type),
        category,
      },
    };
  }
  if (condition.kind === 'medication_reminder' || condition.kind === 'missed_dose') {
    if (condition.medicationId !== null && payload.medicationId !== condition.medicationId) return null;
    const words = condition.kind === 'medication_reminder' ? doseReminderMessage(payload) : missedDoseMessage(payload);
    return {
      // One notification per dose, however often it is announced (a fall-back night's repeated 01:30, a retried fire).
      conditionKey: `${condition.kind}:${payload.medicationId}:${payload.date}:${payload.time}`,
      notification: { ...words, severity: severityOf(condition, event.type), category },
    };
  }
  return null;
}

/**
 * A threshold held N local days running: for each local day the ingest touched (latest first), the N days ending
 * there all have a daily value past the threshold and the day before them does not — so it fires on day N of a
 * run, not before, and a run that goes on (day N + 1…) is the same condition (keyed by the run's first day).
 */
async function thresholdFiring(
  ctx: ServiceContext,
  userId: string,
  timezone: string,
  condition: Extract<Condition, { kind: 'threshold' }>,
  category: string,
  event: TriggerEvent,
): Promise<Firing | null> {
  const { metricType, operator, value, days } = condition;
  const payload = event.payload ?? {};
  if (!Array.isArray(payload.metrics) || !payload.metrics.some((metric: { metricType: string }) => metric.metricType === metricType))
    return null;
  let last = localDate(timezone, Date.parse(payload.to));
  const first = [localDate(timezone, Date.parse(payload.from)), addDays(last, -(MAX_DAYS_CHECKED - 1))].sort().at(-1)!;
  const page = await dailySummaries(ctx, userId, { from: addDays(first, -days), to: last, metricTypes: [metricType] }, { limit: 500 });
  const values = new Map(page.data.map((day) => [day.date, day.value]));
  const past = (date: string) => {
    const day = values.get(date);
    return day !== undefined && (operator === 'above' ? day > value : day < value);
  };
  for (; last >= first; last = addDays(last, -1)) {
    const start = addDays(last, -(days - 1));
    const run = Array.from({ length: days }, (_, index) => addDays(start, index));
    if (!run.every(past) || past(addDays(start, -1))) continue;
    const metric = requireMetricType(metricType);
    return {
      conditionKey: `threshold:${metricType}:${start}`,
      notification: {
        title: `${metric.name} ${operator} ${format(value)} ${metric.unit} for ${days} day${days === 1 ? '' : 's'}`,
        body:
          `${metric.name} was ${operator} ${format(value)} ${metric.unit} on each day from ${start} to ${last}: ` +
          `${run.map((date) => format(values.get(date)!)).join(', ')} ${metric.unit}.`,
        severity: condition.severity,
        category,
      },
    };
  }
  return null;
}

/** Whether an event makes a rule's condition fire, and with what message. */
export async function evaluateCondition(
  ctx: ServiceContext,
  rule: { userId: string; category: string; condition: Condition },
  timezone: string,
  event: TriggerEvent,
): Promise<Firing | null> {
  if (rule.condition.kind === 'threshold') return thresholdFiring(ctx, rule.userId, timezone, rule.condition, rule.category, event);
  return eventFiring(rule.condition, rule.category, event);
}
