import { EVENT_TYPES } from '../src/events/event-types.js';
import { rule } from '../src/lib/input-rules.js';
import { getEvent, listEvents } from '../src/events/events.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { userFeed } from './user-feed.js';
import { pageArgs, pageType } from './pagination.js';

export const HealthEventType = builder.prismaObject('HealthEvent', {
  description: 'A workout, a sleep session or a day of activity.',
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    type: t.exposeString('type', { description: 'workout, sleep or activity.' }),
    subtype: t.exposeString('subtype', { nullable: true }),
    startAt: t.expose('startAt', { type: 'DateTime' }),
    endAt: t.expose('endAt', { type: 'DateTime' }),
    durationSeconds: t.exposeInt('durationSeconds'),
    distance: t.exposeFloat('distance', { nullable: true, description: 'Metres.' }),
    energy: t.exposeFloat('energy', { nullable: true, description: 'Kilocalories.' }),
    avgHeartRate: t.exposeFloat('avgHeartRate', { nullable: true }),
    maxHeartRate: t.exposeFloat('maxHeartRate', { nullable: true }),
    elevationGain: t.exposeFloat('elevationGain', { nullable: true, description: 'Metres.' }),
    details: t.expose('details', {
      type: 'JSON',
      description: 'Sleep stages with stageSeconds totals, efficiency, latency, awakenings; workout streams.',
    }),
    source: t.exposeString('source'),
    device: t.string({ nullable: true, resolve: (event) => event.device || null }),
    connectionId: t.exposeString('connectionId', { nullable: true }),
    externalId: t.exposeString('externalId', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const HealthEventPage = pageType('HealthEventPage', HealthEventType, 'A page of events in start order.');

builder.queryFields((t) => ({
  events: t.field({
    type: HealthEventPage,
    description: 'Workouts, sleep sessions and activities of a user, filtered by type, source and start window.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      type: t.arg.stringList({ description: 'workout, sleep, activity (one or more).', ...rule({ enum: EVENT_TYPES }) }),
      from: t.arg({ type: 'DateTime' }),
      to: t.arg({ type: 'DateTime' }),
      source: t.arg.string(),
      ...pageArgs,
    },
    resolve: (_root, { userId, type, from, to, source, ...page }, ctx) =>
      listEvents(serviceContext(ctx), String(userId), { types: type, from, to, source }, page),
  }),
  event: t.field({
    type: HealthEventType,
    description: 'One event.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), eventId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => getEvent(serviceContext(ctx), String(args.userId), String(args.eventId)),
  }),
}));

builder.subscriptionFields((t) => ({
  healthEventIngested: t.field({
    type: HealthEventType,
    description: 'New or changed events of the workspace (optionally of one user).',
    authScopes: { read: true },
    args: { userId: t.arg.id() },
    subscribe: (_root, args, ctx) => userFeed(ctx, 'health.events', args.userId),
    resolve: (event) => event,
  }),
}));
