import { rule } from '../src/lib/input-rules.js';
import { METRIC_TYPE_RULE } from '../src/health/metric-types.js';
import { EVENT_TYPES } from '../src/events/event-types.js';
import { listRecords } from '../src/records/records.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { userFeed } from './user-feed.js';
import { pageArgs, pageType } from './pagination.js';

export const PersonalRecordType = builder.prismaObject('PersonalRecord', {
  description: 'A personal best, the sample or event that set it and the record it beat.',
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    metricType: t.exposeString('metricType', { description: 'Metric type, or "workout"/"sleep" for event records.' }),
    kind: t.exposeString('kind', {
      description: 'highest, lowest, highest_daily_total, longest_duration, longest_distance, fastest_speed.',
    }),
    qualifier: t.string({ nullable: true, description: 'The sport of a workout record.', resolve: (record) => record.qualifier || null }),
    value: t.exposeFloat('value'),
    unit: t.exposeString('unit'),
    achievedAt: t.expose('achievedAt', { type: 'DateTime' }),
    sampleId: t.exposeString('sampleId', { nullable: true }),
    eventId: t.exposeString('eventId', { nullable: true }),
    source: t.exposeString('source'),
    previousValue: t.exposeFloat('previousValue', { nullable: true }),
    previousAchievedAt: t.expose('previousAchievedAt', { type: 'DateTime', nullable: true }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

/** Records are kept per metric type and per event type (the longest sleep, the farthest workout). */
const RECORD_METRIC_RULE = {
  enum: [...METRIC_TYPE_RULE.enum!, ...EVENT_TYPES],
  enumWords: `a metric type id that GET /v1/metric-types lists, or an event type (${EVENT_TYPES.join(', ')})`,
};

const PersonalRecordPage = pageType('PersonalRecordPage', PersonalRecordType, 'A page of personal records by metric type and kind.');

builder.queryFields((t) => ({
  personalRecords: t.field({
    type: PersonalRecordPage,
    description: "All of a user's personal records.",
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listRecords(serviceContext(ctx), String(userId), null, page),
  }),
  personalRecordsOfMetric: t.field({
    type: PersonalRecordPage,
    description: 'The personal records of one metric type (or "workout"/"sleep").',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), metricType: t.arg.string({ required: true, ...rule(RECORD_METRIC_RULE) }), ...pageArgs },
    resolve: (_root, { userId, metricType, ...page }, ctx) => listRecords(serviceContext(ctx), String(userId), metricType, page),
  }),
}));

builder.subscriptionFields((t) => ({
  personalRecordSet: t.field({
    type: PersonalRecordType,
    description: 'Personal records set in the workspace (optionally of one user).',
    authScopes: { read: true },
    args: { userId: t.arg.id() },
    subscribe: (_root, args, ctx) => userFeed(ctx, 'health.records', args.userId),
    resolve: (record) => record as never,
  }),
}));
