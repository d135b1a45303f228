import { DOMAIN_EVENT_TYPE_NAMES, DOMAIN_EVENT_TYPES, type DomainEventTypeInfo } from '../src/domain-events/catalogue.js';
import { rule, ULID_RULE } from '../src/lib/input-rules.js';
import { consumerNames } from '../src/domain-events/consumers.js';
import { listDomainEvents } from '../src/domain-events/list.js';
import { domainEventStats, type DomainEventStats } from '../src/domain-events/stats.js';
import { paginateArray } from '../src/lib/pagination.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

/** GraphQL enum names cannot hold dots: `user.created` is USER_CREATED here, and the string everywhere else. */
const enumName = (type: string) => type.replace(/\./g, '_').toUpperCase();

builder.enumType('DomainEventType', {
  description: 'The catalogue of domain events (GET /v1/event-types); events carry the dotted name, e.g. "user.created".',
  values: Object.fromEntries(
    DOMAIN_EVENT_TYPES.map((info) => [enumName(info.type), { value: info.type, description: `\`${info.type}\`: ${info.description}` }]),
  ),
});

const EventTypeInfoType = builder.objectRef<DomainEventTypeInfo>('EventType').implement({
  description: 'A type of domain event: when it is emitted and what its payload is.',
  fields: (t) => ({
    type: t.exposeString('type', { description: 'The name events carry, e.g. "user.created".' }),
    description: t.exposeString('description'),
    payload: t.field({
      type: 'JSON',
      description: 'JSON schema of the payload, or a $ref to the OpenAPI component of the resource.',
      resolve: (info) => info.payload,
    }),
  }),
});

const DomainEventObject = builder.prismaObject('DomainEvent', {
  description: 'A change announced by the platform (transactional outbox): kept until the retention purges it.',
  authScopes: { admin: true },
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ULID; consumers deduplicate on it.' }),
    sequence: t.int({ description: "Position in the workspace's stream: commit order.", resolve: (event) => Number(event.sequence) }),
    type: t.exposeString('type', { description: 'A type of the catalogue (GET /v1/event-types).' }),
    payload: t.expose('payload', { type: 'JSON' }),
    occurredAt: t.expose('occurredAt', { type: 'DateTime' }),
    dispatchedAt: t.expose('dispatchedAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When every consumer had received it; null while in the backlog.',
    }),
  }),
});

const ConsumerStatsType = builder.objectRef<DomainEventStats['consumers'][number]>('DomainEventConsumerStats').implement({
  fields: (t) => ({
    name: t.exposeString('name'),
    received: t.exposeInt('received', { description: "The workspace's retained events this consumer has handled." }),
    lastReceivedAt: t.expose('lastReceivedAt', { type: 'DateTime', nullable: true }),
  }),
});

const StatsType = builder.objectRef<DomainEventStats>('DomainEventStats').implement({
  description: "The relay's backlog and lag for the workspace.",
  fields: (t) => ({
    backlog: t.exposeInt('backlog', { description: 'Events not yet received by every consumer.' }),
    oldestUndispatchedAt: t.expose('oldestUndispatchedAt', { type: 'DateTime', nullable: true }),
    lagSeconds: t.exposeFloat('lagSeconds', { description: 'Age of the oldest undispatched event; 0 without backlog.' }),
    lastDispatchedAt: t.expose('lastDispatchedAt', { type: 'DateTime', nullable: true }),
    consumers: t.field({ type: [ConsumerStatsType], resolve: (stats) => stats.consumers }),
  }),
});

const EventTypePage = pageType('EventTypePage', EventTypeInfoType, 'A page of the event catalogue, by type name.');
const DomainEventPage = pageType('DomainEventPage', DomainEventObject, 'A page of domain events, oldest first.');
const SORTED = [...DOMAIN_EVENT_TYPES].sort((a, b) => a.type.localeCompare(b.type));

builder.queryFields((t) => ({
  eventTypes: t.field({
    type: EventTypePage,
    description: 'The catalogue of domain events: every type with its payload and when it is emitted.',
    authScopes: { read: true },
    args: { ...pageArgs },
    resolve: (_root, args) => paginateArray(args, 'event-types', SORTED, (info) => info.type),
  }),
  domainEvents: t.field({
    type: DomainEventPage,
    description: "The workspace's domain events (admin), oldest first; filter by type and resume after an id.",
    authScopes: { admin: true },
    args: {
      type: t.arg.stringList({ description: 'Only these types (repeatable).', ...rule({ enum: DOMAIN_EVENT_TYPE_NAMES }) }),
      after: t.arg.string({ description: 'Only events after this event id.', ...rule(ULID_RULE) }),
      ...pageArgs,
    },
    resolve: (_root, { type, after, ...page }, ctx) => listDomainEvents(serviceContext(ctx), { types: type, after }, page),
  }),
  domainEventStats: t.field({
    type: StatsType,
    description: "The relay's backlog, lag and per-consumer receipts for the workspace (admin).",
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => domainEventStats(serviceContext(ctx), consumerNames()),
  }),
}));
