import type { DomainEventType } from '../domain-events/catalogue.js';
import { requireMetricType } from '../health/metric-types.js';
import { AppError, Invalid } from '../lib/errors.js';
import type { Notification } from './messages.js';

/**
 * What a notification rule watches, one registry: the condition kinds, the catalogue events that can make each
 * fire, and how each kind's fields are checked. A kind here names event types of the catalogue
 * (src/domain-events/catalogue.ts) only.
 */
export const NOTIFICATION_CATEGORIES = [
  'anomaly',
  'goal',
  'achievement',
  'personal_record',
  'sync',
  'report',
  'system',
  'insight',
  'medication',
] as const;
export type NotificationCategory = (typeof NOTIFICATION_CATEGORIES)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = Notification['severity'];
export const severityRank = (severity: Severity): number => SEVERITIES.indexOf(severity);

export const CONDITION_KINDS = [
  'threshold',
  'anomaly',
  'goal',
  'achievement',
  'personal_record',
  'sync_failure',
  'digest',
  'medication_reminder',
  'missed_dose',
] as const;
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export const THRESHOLD_OPERATORS = ['above', 'below'] as const;
export const DIGEST_PERIODS = ['daily', 'weekly'] as const;
/** Thirty local days: a longer run is a trend for the analytics routes, not an alert. */
export const MAX_THRESHOLD_DAYS = 30;
export const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
export const LOCAL_TIME_WORDS = 'a local time HH:MM (00:00 to 23:59)';

export type Condition =
  | {
      kind: 'threshold';
      metricType: string;
      operator: (typeof THRESHOLD_OPERATORS)[number];
      value: number;
      days: number;
      severity: Severity;
    }
  /** An anomaly of the analytics (any metric, or `metricType`'s); its severity is the anomaly's. */
  | { kind: 'anomaly'; metricType: string | null }
  | { kind: 'goal' }
  | { kind: 'achievement' }
  | { kind: 'personal_record' }
  | { kind: 'sync_failure' }
  | { kind: 'digest'; period: (typeof DIGEST_PERIODS)[number]; time: string; dayOfWeek: number | null }
  /** A dose reminder (medication.reminder_due) or a missed dose (medication.dose_missed), of any medication or of `medicationId`'s. */
  | { kind: 'medication_reminder' | 'missed_dose'; medicationId: string | null };

/** The fields a condition may carry, as the API takes them (which ones apply depends on `kind`). */
export interface ConditionInput {
  kind: ConditionKind;
  metricType?: string | null;
  operator?: (typeof THRESHOLD_OPERATORS)[number] | null;
  value?: number | null;
  days?: number | null;
  severity?: Severity | null;
  period?: (typeof DIGEST_PERIODS)[number] | null;
  time?: string | null;
  dayOfWeek?: number | null;
  medicationId?: string | null;
}

/** The catalogue events each kind listens to; a digest listens to its calendar schedule instead. */
export const CONDITION_EVENTS: Record<ConditionKind, readonly DomainEventType[]> = {
  threshold: ['health_data.ingested'],
  anomaly: ['anomaly.detected'],
  goal: ['goal.achieved'],
  achievement: ['achievement.unlocked'],
  personal_record: ['personal_record.created', 'personal_record.updated'],
  sync_failure: ['sync.failed', 'connection.error', 'connection.revoked'],
  digest: [],
  medication_reminder: ['medication.reminder_due'],
  missed_dose: ['medication.dose_missed'],
};

/** The category a rule gets when it names none. */
export const DEFAULT_CATEGORY: Record<ConditionKind, NotificationCategory> = {
  threshold: 'anomaly',
  anomaly: 'anomaly',
  goal: 'goal',
  achievement: 'achievement',
  personal_record: 'personal_record',
  sync_failure: 'sync',
  digest: 'report',
  medication_reminder: 'medication',
  missed_dose: 'medication',
};

const required = <T>(value: T | null | undefined, field: string, kind: ConditionKind): T => {
  if (value === null || value === undefined) throw new Invalid(`condition.${field} is required for ${kind} conditions`);
  return value;
};

/** The registry's id of a metric type a condition names (422 naming `condition.metricType` for an unknown one). */
function checkMetricType(metricType: string): string {
  try {
    return requireMetricType(metricType).id;
  } catch (error) {
    if (error instanceof AppError) throw new Invalid(`condition.metricType ${metricType} is not a metric type of GET /v1/metric-types`);
    throw error;
  }
}

/** Checks a condition's fields for its kind (422 naming `condition.<field>`) and keeps only those that apply. */
export function checkCondition(input: ConditionInput): Condition {
  const kind = input.kind;
  if (!CONDITION_KINDS.includes(kind)) throw new Invalid(`condition.kind must be one of ${CONDITION_KINDS.join(', ')}`);
  if (kind === 'medication_reminder' || kind === 'missed_dose') return { kind, medicationId: input.medicationId ?? null };
  if (kind === 'anomaly') return { kind, metricType: input.metricType == null ? null : checkMetricType(input.metricType) };
  if (kind === 'threshold') {
    const metricType = checkMetricType(required(input.metricType, 'metricType', kind));
    const value = required(input.value, 'value', kind);
    if (!Number.isFinite(value)) throw new Invalid('condition.value must be a finite number');
    const days = input.days ?? 1;
    if (!Number.isInteger(days) || days < 1 || days > MAX_THRESHOLD_DAYS) {
      throw new Invalid(`condition.days must be a whole number from 1 to ${MAX_THRESHOLD_DAYS}`);
    }
    return {
      kind,
      metricType,
      operator: required(input.operator, 'operator', kind),
      value,
      days,
      severity: input.severity ?? 'warning',
    };
  }
  if (kind === 'digest') {
    const period = input.period ?? 'daily';
    const time = required(input.time, 'time', kind);
    if (!LOCAL_TIME.test(time)) throw new Invalid(`condition.time must be ${LOCAL_TIME_WORDS}`);
    const dayOfWeek = period === 'weekly' ? (input.dayOfWeek ?? 1) : null;
    if (dayOfWeek !== null && (!Number.isInteger(dayOfWeek) || dayOfWeek < 0 || dayOfWeek > 6)) {
      throw new Invalid('condition.dayOfWeek must be a whole number from 0 (Sunday) to 6 (Saturday)');
    }
    return { kind, period, time, dayOfWeek };
  }
  return { kind };
}

/**
 * The severity a condition's notifications have: thresholds say theirs; an anomaly has its own (warning, or
 * critical at twice the threshold or past a clinical limit's critical band); a lost connection is critical.
 */
export function severityOf(condition: Condition, eventType?: string, payload?: { severity?: unknown }): Severity {
  if (condition.kind === 'threshold') return condition.severity;
  if (condition.kind === 'anomaly') return payload?.severity === 'critical' ? 'critical' : 'warning';
  if (condition.kind === 'sync_failure') return eventType === 'sync.failed' ? 'warning' : 'critical';
  if (condition.kind === 'missed_dose') return 'warning';
  return 'info';
}

/** The highest severity a condition can produce: a rule whose minimum is above it could never notify. */
export function highestSeverityOf(condition: Condition): Severity {
  return condition.kind === 'sync_failure' || condition.kind === 'anomaly' ? 'critical' : severityOf(condition);
}
