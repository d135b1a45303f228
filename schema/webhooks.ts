import { DOMAIN_EVENT_TYPE_NAMES } from '../src/domain-events/catalogue.js';
import { rule } from '../src/lib/input-rules.js';
import { ATTEMPT_STATUSES, listWebhookAttempts, MAX_RECOVER, recoverWebhook, redeliverWebhookEvent } from '../src/webhooks/deliveries.js';
import {
  createWebhook,
  DEFAULT_SECRET_GRACE_SECONDS,
  deleteWebhook,
  getWebhook,
  listWebhooks,
  MAX_RATE_LIMIT,
  MAX_SECRET_GRACE_SECONDS,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookWithSecret,
} from '../src/webhooks/endpoints.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const endpointFields = builder.prismaObject('WebhookEndpoint', {
  description:
    'A URL that receives the workspace’s domain events, signed per Standard Webhooks 1.0 (webhook-id, webhook-timestamp, ' +
    'webhook-signature). The signing secret is shown only when the endpoint is created or its secret rotated.',
  authScopes: { admin: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    description: t.exposeString('description'),
    eventTypes: t.exposeStringList('eventTypes', { description: 'Catalogue types it receives; empty = every type.' }),
    enabled: t.exposeBoolean('enabled'),
    rateLimitPerSecond: t.exposeInt('rateLimitPerSecond', { nullable: true, description: 'Most attempts per second; null = no limit.' }),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: 'Why deliveries stopped (410 Gone, five failing days…).',
    }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'First failed attempt since the last success.',
    }),
    rotationGraceEndsAt: t.expose('previousSecretExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Until then the signing secret before the last rotation signs too (a second signature).',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const NewWebhookType = builder.prismaObject('WebhookEndpoint', {
  variant: 'NewWebhookEndpoint',
  description: 'An endpoint just registered, or whose secret was just rotated, with its signing secret: store it now.',
  authScopes: { admin: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    url: t.exposeString('url'),
    description: t.exposeString('description'),
    eventTypes: t.exposeStringList('eventTypes'),
    enabled: t.exposeBoolean('enabled'),
    rateLimitPerSecond: t.exposeInt('rateLimitPerSecond', { nullable: true }),
    rotationGraceEndsAt: t.expose('previousSecretExpiresAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    secret: t.string({
      description: 'The signing secret, whsec_ + base64 of 32 random bytes (Standard Webhooks); never shown again.',
      resolve: (row) => (row as WebhookWithSecret).secret,
    }),
  }),
});

const AttemptStatusEnum = builder.enumType('WebhookAttemptStatus', { values: ATTEMPT_STATUSES });

const AttemptType = builder.prismaObject('WebhookAttempt', {
  description: 'One HTTP attempt to deliver one event to an endpoint.',
  authScopes: { admin: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    deliveryId: t.exposeString('deliveryId', { description: 'The delivery (event × endpoint) the attempt belongs to.' }),
    eventId: t.exposeString('eventId', { description: 'The domain event; the webhook-id header carries it.' }),
    eventType: t.exposeString('eventType'),
    attempt: t.exposeInt('attempt', { description: '1 for the first attempt of the delivery.' }),
    status: t.field({ type: AttemptStatusEnum, resolve: (row) => row.status as (typeof ATTEMPT_STATUSES)[number] }),
    statusCode: t.exposeInt('statusCode', { nullable: true, description: 'The receiver’s HTTP status; null when none came.' }),
    durationMs: t.exposeInt('durationMs'),
    error: t.exposeString('error', { nullable: true }),
    responseExcerpt: t.exposeString('responseExcerpt', { nullable: true, description: 'The answer’s first 1 KiB.' }),
    nextRetryAt: t.expose('nextRetryAt', { type: 'DateTime', nullable: true, description: 'When it is tried again; null when not.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const DeliveryType = builder.prismaObject('WebhookDelivery', {
  description: 'One event sent to one endpoint, attempted on the retry schedule until it succeeds or gives up.',
  authScopes: { admin: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    eventId: t.exposeString('eventId'),
    eventType: t.exposeString('eventType'),
    status: t.exposeString('status', { description: 'pending, succeeded or failed.' }),
    attempts: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const WebhookPage = pageType('WebhookPage', endpointFields, 'A page of webhook endpoints in creation order.');
const AttemptPage = pageType('WebhookAttemptPage', AttemptType, 'A page of delivery attempts, oldest first.');

/** A type of the domain event catalogue; named by the route that lists them rather than spelt out in errors. */
const EVENT_TYPE_RULE = { enum: DOMAIN_EVENT_TYPE_NAMES, enumWords: 'a type of the catalogue (GET /v1/event-types)' };

const webhookInput = {
  url: 'https:// URL of the receiver (http:// too outside production); private, loopback and metadata addresses are refused (422).',
  eventTypes: 'Catalogue types to receive (GET /v1/event-types); empty or omitted = every type.',
  rateLimitPerSecond: 'Most delivery attempts per second (1–10,000); null = no limit.',
};

builder.queryFields((t) => ({
  webhooks: t.field({
    type: WebhookPage,
    description: 'List the workspace’s webhook endpoints.',
    authScopes: { admin: true },
    args: { ...pageArgs },
    resolve: (_root, args, ctx) => listWebhooks(serviceContext(ctx), args),
  }),
  webhook: t.field({
    type: endpointFields,
    description: 'Get a webhook endpoint.',
    authScopes: { admin: true },
    args: { webhookId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => getWebhook(serviceContext(ctx), String(args.webhookId)),
  }),
  webhookDeliveries: t.field({
    type: AttemptPage,
    description: 'Delivery history of an endpoint: every attempt, oldest first; filter by status and event type.',
    authScopes: { admin: true },
    args: {
      webhookId: t.arg.id({ required: true }),
      status: t.arg({ type: AttemptStatusEnum }),
      eventType: t.arg.string({ description: 'Only attempts of this catalogue type.', ...rule(EVENT_TYPE_RULE) }),
      ...pageArgs,
    },
    resolve: (_root, { webhookId, status, eventType, ...page }, ctx) =>
      listWebhookAttempts(serviceContext(ctx), String(webhookId), { status, eventType }, page),
  }),
}));

builder.mutationFields((t) => ({
  createWebhook: t.field({
    type: NewWebhookType,
    description: 'Register a webhook endpoint. The response carries its signing secret, shown this once.',
    authScopes: { admin: true },
    args: {
      url: t.arg.string({ required: true, description: webhookInput.url, ...rule({ format: 'uri' }) }),
      eventTypes: t.arg.stringList({ description: webhookInput.eventTypes, ...rule(EVENT_TYPE_RULE) }),
      description: t.arg.string(),
      enabled: t.arg.boolean({ description: 'Default true.' }),
      rateLimitPerSecond: t.arg.int({ description: webhookInput.rateLimitPerSecond, ...rule({ minimum: 1, maximum: MAX_RATE_LIMIT }) }),
    },
    resolve: (_root, args, ctx) => createWebhook(serviceContext(ctx), args),
  }),
  updateWebhook: t.field({
    type: endpointFields,
    description: 'Change an endpoint’s URL, event types, description, rate limit, or enable/disable it (enabling clears a disable).',
    authScopes: { admin: true },
    args: {
      webhookId: t.arg.id({ required: true }),
      url: t.arg.string({ description: webhookInput.url, ...rule({ format: 'uri' }) }),
      eventTypes: t.arg.stringList({ description: webhookInput.eventTypes, ...rule(EVENT_TYPE_RULE) }),
      description: t.arg.string(),
      enabled: t.arg.boolean(),
      rateLimitPerSecond: t.arg.int({ description: webhookInput.rateLimitPerSecond, ...rule({ minimum: 1, maximum: MAX_RATE_LIMIT }) }),
    },
    resolve: (_root, { webhookId, ...change }, ctx) => updateWebhook(serviceContext(ctx), String(webhookId), change),
  }),
  deleteWebhook: t.boolean({
    description: 'Delete an endpoint with its delivery history; its pending retries stop.',
    authScopes: { admin: true },
    args: { webhookId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await deleteWebhook(serviceContext(ctx), String(args.webhookId));
      return true;
    },
  }),
  rotateWebhookSecret: t.field({
    type: NewWebhookType,
    description: 'Issue a new signing secret; the old one keeps signing (a second signature) through the grace period.',
    authScopes: { admin: true },
    args: {
      webhookId: t.arg.id({ required: true }),
      gracePeriodSeconds: t.arg.int({
        description: `How long the old secret signs too (0–${MAX_SECRET_GRACE_SECONDS}, default ${DEFAULT_SECRET_GRACE_SECONDS}).`,
        ...rule({ minimum: 0, maximum: MAX_SECRET_GRACE_SECONDS }),
      }),
    },
    resolve: (_root, args, ctx) =>
      rotateWebhookSecret(serviceContext(ctx), String(args.webhookId), args.gracePeriodSeconds ?? DEFAULT_SECRET_GRACE_SECONDS),
  }),
  redeliverWebhookEvent: t.field({
    type: DeliveryType,
    description: 'Send one event to the endpoint again (same body and webhook-id), from the first attempt of the schedule.',
    authScopes: { admin: true },
    args: { webhookId: t.arg.id({ required: true }), eventId: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => redeliverWebhookEvent(serviceContext(ctx), String(args.webhookId), args.eventId),
  }),
  recoverWebhook: t.field({
    type: [DeliveryType],
    description: `Send again every event whose delivery to the endpoint failed since a time (at most ${MAX_RECOVER}), oldest first.`,
    authScopes: { admin: true },
    args: { webhookId: t.arg.id({ required: true }), since: t.arg({ type: 'DateTime', required: true }) },
    resolve: (_root, args, ctx) => recoverWebhook(serviceContext(ctx), String(args.webhookId), args.since),
  }),
}));
