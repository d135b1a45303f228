import { CHANNEL_SETTINGS, CHANNEL_TYPES } from '../src/notifications/channel-types.js';
import {
  createChannel,
  deleteChannel,
  listChannels,
  replaceChannel,
  testChannel,
  type TestOutcome,
} from '../src/notifications/channels.js';
import { listNotificationLogs, LOG_STATUSES } from '../src/notifications/logs.js';
import { rule } from '../src/lib/input-rules.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { pageArgs, pageType } from './pagination.js';

const settingsHelp = CHANNEL_TYPES.map(
  (type) =>
    `${type}: ${Object.entries(CHANNEL_SETTINGS[type])
      .map(([name, field]) => `${name}${field.required ? '' : '?'}${field.secret ? ' (secret, write-only)' : ''}`)
      .join(', ')}`,
).join('; ');

const ChannelTypeEnum = builder.enumType('NotificationChannelType', {
  description: 'Where notifications go. email needs SMTP_URL on the server and webpush the VAPID keys (see notificationChannelTypes).',
  values: CHANNEL_TYPES,
});

const ChannelType = builder.prismaObject('NotificationChannel', {
  description: 'A user’s notification channel. Secret settings (webhook URLs, tokens, signing secrets, push endpoints) are never returned.',
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeString('userId'),
    type: t.field({ type: ChannelTypeEnum, resolve: (row) => row.type as (typeof CHANNEL_TYPES)[number] }),
    name: t.exposeString('name'),
    settings: t.expose('settings', {
      type: 'JSON',
      description: 'The settings that are not secret (nested as given: webpush keys.p256dh).',
    }),
    writeOnlySettings: t.stringList({
      description: 'Names of the secret settings stored, nested ones dotted (keys.auth); their values are write-only.',
      resolve: (row) =>
        row.secretsCiphertext
          ? Object.keys(CHANNEL_SETTINGS[row.type as (typeof CHANNEL_TYPES)[number]]).filter(
              (name) => CHANNEL_SETTINGS[row.type as (typeof CHANNEL_TYPES)[number]][name]!.secret,
            )
          : [],
    }),
    enabled: t.exposeBoolean('enabled'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const TestOutcomeType = builder.objectRef<TestOutcome>('NotificationTestOutcome').implement({
  description: 'What happened to a test message.',
  fields: (t) => ({
    status: t.exposeString('status', { description: 'sent or failed.' }),
    statusCode: t.exposeInt('statusCode', {
      nullable: true,
      description: 'The platform’s answer: its HTTP status, or the SMTP reply code for email; null when none came.',
    }),
    latencyMs: t.exposeInt('latencyMs'),
    error: t.exposeString('error', { nullable: true }),
  }),
});

const LogStatusEnum = builder.enumType('NotificationLogStatus', { values: LOG_STATUSES });

const LogType = builder.prismaObject('NotificationLog', {
  description: 'One attempt to notify a user on a channel.',
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    channelId: t.exposeString('channelId'),
    channelType: t.exposeString('channelType'),
    kind: t.exposeString('kind', { description: 'test, rule or digest.' }),
    ruleId: t.exposeString('ruleId', { nullable: true }),
    eventId: t.exposeString('eventId', { nullable: true }),
    status: t.field({ type: LogStatusEnum, resolve: (row) => row.status as (typeof LOG_STATUSES)[number] }),
    statusCode: t.exposeInt('statusCode', { nullable: true }),
    latencyMs: t.exposeInt('latencyMs'),
    error: t.exposeString('error', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const ChannelPage = pageType('NotificationChannelPage', ChannelType, 'A page of notification channels in creation order.');
const LogPage = pageType('NotificationLogPage', LogType, 'A page of notification attempts, oldest first.');

builder.queryFields((t) => ({
  notificationChannels: t.field({
    type: ChannelPage,
    description: 'List a user’s notification channels.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listChannels(serviceContext(ctx), String(userId), page),
  }),
  notificationLogs: t.field({
    type: LogPage,
    description: 'A user’s notification delivery history; filter by channel and status.',
    authScopes: { read: true },
    args: {
      userId: t.arg.id({ required: true }),
      channelId: t.arg.string(),
      status: t.arg({ type: LogStatusEnum }),
      ...pageArgs,
    },
    resolve: (_root, { userId, channelId, status, ...page }, ctx) =>
      listNotificationLogs(serviceContext(ctx), String(userId), { channelId, status }, page),
  }),
}));

builder.mutationFields((t) => ({
  createNotificationChannel: t.field({
    type: ChannelType,
    description: `Register a notification channel. Settings per type — ${settingsHelp}.`,
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      type: t.arg({ type: ChannelTypeEnum, required: true }),
      name: t.arg.string({ required: true }),
      settings: t.arg({ type: 'JSON', required: true, ...rule({ jsonType: 'object' }) }),
      enabled: t.arg.boolean(),
    },
    resolve: (_root, { userId, ...input }, ctx) => createChannel(serviceContext(ctx), String(userId), input),
  }),
  updateNotificationChannel: t.field({
    type: ChannelType,
    description: 'Replace a channel’s name, settings and enabled flag; secret settings left out keep their stored values.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      channelId: t.arg.id({ required: true }),
      name: t.arg.string({ required: true }),
      settings: t.arg({ type: 'JSON', required: true, ...rule({ jsonType: 'object' }) }),
      enabled: t.arg.boolean(),
    },
    resolve: (_root, { userId, channelId, ...input }, ctx) => replaceChannel(serviceContext(ctx), String(userId), String(channelId), input),
  }),
  deleteNotificationChannel: t.boolean({
    description: 'Delete a channel (its history stays in the logs).',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), channelId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await deleteChannel(serviceContext(ctx), String(args.userId), String(args.channelId));
      return true;
    },
  }),
  testNotificationChannel: t.field({
    type: TestOutcomeType,
    description: 'Send a test message on the channel now and report the outcome (status, latency, error).',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), channelId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => testChannel(serviceContext(ctx), String(args.userId), String(args.channelId)),
  }),
}));
