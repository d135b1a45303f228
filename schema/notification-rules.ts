import { METRIC_TYPE_RULE } from '../src/health/metric-types.js';
import { NOT_BLANK, rule, ULID_RULE } from '../src/lib/input-rules.js';
import {
  CONDITION_KINDS,
  DIGEST_PERIODS,
  LOCAL_TIME,
  LOCAL_TIME_WORDS,
  MAX_THRESHOLD_DAYS,
  NOTIFICATION_CATEGORIES,
  SEVERITIES,
  THRESHOLD_OPERATORS,
  type Condition,
} from '../src/notifications/rule-conditions.js';
import { createRule, deleteRule, listRules, MAX_COOLDOWN_MINUTES, MAX_RULE_CHANNELS, replaceRule } from '../src/notifications/rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const CategoryEnum = builder.enumType('NotificationCategory', { values: NOTIFICATION_CATEGORIES });
const SeverityEnum = builder.enumType('NotificationSeverity', { values: SEVERITIES });
const ConditionKindEnum = builder.enumType('NotificationConditionKind', {
  description:
    'threshold: a metric’s daily value above or below a value N local days running; anomaly: an anomaly detected ' +
    '(anomaly.detected), of any metric or of metricType; goal: a goal reached for a period (goal.achieved); ' +
    'achievement: an achievement unlocked (achievement.unlocked); personal_record: a record set; ' +
    'sync_failure: a sync gave up or a connection stopped working; digest: a daily or weekly summary at a local time; ' +
    'medication_reminder: a dose with reminders is due and not logged (medication.reminder_due), of any medication or of ' +
    'medicationId; missed_dose: a dose found missed (medication.dose_missed), of any medication or of medicationId.',
  values: CONDITION_KINDS,
});
const OperatorEnum = builder.enumType('NotificationThresholdOperator', { values: THRESHOLD_OPERATORS });
const PeriodEnum = builder.enumType('NotificationDigestPeriod', { values: DIGEST_PERIODS });

const LOCAL_TIME_RULE = rule({ pattern: LOCAL_TIME, patternWords: LOCAL_TIME_WORDS });

const ConditionType = builder.objectRef<Condition>('NotificationCondition').implement({
  description: 'When a rule notifies; the fields of other kinds are null.',
  fields: (t) => ({
    kind: t.field({ type: ConditionKindEnum, resolve: (condition) => condition.kind }),
    metricType: t.string({
      nullable: true,
      resolve: (c) => (c.kind === 'threshold' || c.kind === 'anomaly' ? c.metricType : null),
    }),
    operator: t.field({ type: OperatorEnum, nullable: true, resolve: (c) => (c.kind === 'threshold' ? c.operator : null) }),
    value: t.float({ nullable: true, resolve: (c) => (c.kind === 'threshold' ? c.value : null) }),
    days: t.int({ nullable: true, resolve: (c) => (c.kind === 'threshold' ? c.days : null) }),
    severity: t.field({ type: SeverityEnum, nullable: true, resolve: (c) => (c.kind === 'threshold' ? c.severity : null) }),
    period: t.field({ type: PeriodEnum, nullable: true, resolve: (c) => (c.kind === 'digest' ? c.period : null) }),
    time: t.string({ nullable: true, resolve: (c) => (c.kind === 'digest' ? c.time : null) }),
    dayOfWeek: t.int({ nullable: true, resolve: (c) => (c.kind === 'digest' ? c.dayOfWeek : null) }),
    medicationId: t.string({
      nullable: true,
      resolve: (c) => (c.kind === 'medication_reminder' || c.kind === 'missed_dose' ? c.medicationId : null),
    }),
  }),
});

const QuietHoursType = builder.objectRef<{ start: string; end: string }>('NotificationQuietHours').implement({
  description: 'Local times in the user’s zone; notifications in between are held until the end (critical ones are not).',
  fields: (t) => ({ start: t.exposeString('start'), end: t.exposeString('end') }),
});

const ConditionInput = builder.inputType('NotificationConditionInput', {
  description:
    'threshold takes metricType, operator, value, days (1), severity (warning); anomaly takes metricType (optional: any metric); ' +
    'digest takes period (daily), time, dayOfWeek (weekly: 1); medication_reminder and missed_dose take medicationId (optional: any medication).',
  fields: (t) => ({
    kind: t.field({ type: ConditionKindEnum, required: true }),
    metricType: t.string({
      description: 'threshold: the metric whose daily value is watched; anomaly: only this metric’s anomalies (default any).',
      ...rule(METRIC_TYPE_RULE),
    }),
    operator: t.field({ type: OperatorEnum, description: 'threshold: above or below `value`.' }),
    value: t.float({ description: 'threshold: in the metric’s unit (GET /v1/metric-types).' }),
    days: t.int({ description: 'threshold: local days running (default 1).', ...rule({ minimum: 1, maximum: MAX_THRESHOLD_DAYS }) }),
    severity: t.field({ type: SeverityEnum, description: 'threshold: the notification’s severity (default warning).' }),
    period: t.field({ type: PeriodEnum, description: 'digest: daily (default) or weekly.' }),
    time: t.string({ description: 'digest: the local time it is sent, HH:MM.', ...LOCAL_TIME_RULE }),
    dayOfWeek: t.int({ description: 'weekly digest: 0 = Sunday … 6 = Saturday (default 1).', ...rule({ minimum: 0, maximum: 6 }) }),
    medicationId: t.string({
      description: 'medication_reminder, missed_dose: only this medication’s doses (default any of the user’s).',
      ...rule(ULID_RULE),
    }),
  }),
});

const QuietHoursInput = builder.inputType('NotificationQuietHoursInput', {
  fields: (t) => ({
    start: t.string({ required: true, ...LOCAL_TIME_RULE }),
    end: t.string({ required: true, ...LOCAL_TIME_RULE }),
  }),
});

const RuleType = builder.prismaObject('NotificationRule', {
  description: 'When and where a user is notified.',
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeString('userId'),
    name: t.exposeString('name'),
    category: t.field({ type: CategoryEnum, resolve: (row) => row.category as (typeof NOTIFICATION_CATEGORIES)[number] }),
    minSeverity: t.field({ type: SeverityEnum, resolve: (row) => row.minSeverity as (typeof SEVERITIES)[number] }),
    channelIds: t.exposeStringList('channelIds'),
    condition: t.field({ type: ConditionType, resolve: (row) => row.condition as unknown as Condition }),
    quietHours: t.field({
      type: QuietHoursType,
      nullable: true,
      resolve: (row) => (row.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null),
    }),
    cooldownMinutes: t.exposeInt('cooldownMinutes'),
    enabled: t.exposeBoolean('enabled'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const RulePage = pageType('NotificationRulePage', RuleType, 'A page of notification rules in creation order.');

/** The fields of a rule, the same for create (POST) and replace (PUT). */
const ruleArgs = builder.args((t) => ({
  name: t.string({ required: true, ...rule({ minLength: 1, maxLength: 100, ...NOT_BLANK }) }),
  category: t.field({ type: CategoryEnum, description: 'Default: the condition’s (anomaly, personal_record, sync, report).' }),
  minSeverity: t.field({ type: SeverityEnum, description: 'Notifications below it are not sent (default info).' }),
  channelIds: t.stringList({
    required: true,
    description: `The user’s channels to notify (1 to ${MAX_RULE_CHANNELS}).`,
    // Strings, not IDs: GraphQL would take a number as an ID, and REST should refuse it.
    ...rule(ULID_RULE),
  }),
  condition: t.field({ type: ConditionInput, required: true }),
  quietHours: t.field({ type: QuietHoursInput, description: 'Local times in the user’s zone; none by default.' }),
  cooldownMinutes: t.int({
    description: 'Silence after notifying (default 60; 0 for medication_reminder and missed_dose, once per dose already).',
    ...rule({ minimum: 0, maximum: MAX_COOLDOWN_MINUTES }),
  }),
  enabled: t.boolean(),
}));

builder.queryFields((t) => ({
  notificationRules: t.field({
    type: RulePage,
    description: 'List a user’s notification rules.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listRules(serviceContext(ctx), String(userId), page),
  }),
}));

builder.mutationFields((t) => ({
  createNotificationRule: t.field({
    type: RuleType,
    description:
      'Create a notification rule: a condition, the category and minimum severity it routes, its channels, quiet hours, cooldown.',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), ...ruleArgs },
    resolve: (_root, { userId, ...input }, ctx) => createRule(serviceContext(ctx), String(userId), input),
  }),
  updateNotificationRule: t.field({
    type: RuleType,
    description: 'Replace a rule (every field; enabled is kept when left out).',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), ruleId: t.arg.id({ required: true }), ...ruleArgs },
    resolve: (_root, { userId, ruleId, ...input }, ctx) => replaceRule(serviceContext(ctx), String(userId), String(ruleId), input),
  }),
  deleteNotificationRule: t.boolean({
    description: 'Delete a rule (its log entries stay; a digest’s schedule goes).',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), ruleId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await deleteRule(serviceContext(ctx), String(args.userId), String(args.ruleId));
      return true;
    },
  }),
}));
