import { serviceContext } from '../src/server/request-context.js';
import { USER_CHANGE_ACTIONS, type UserChange } from '../src/users/user-change.js';
import {
  createOrFindUser,
  deleteUser,
  EMAIL_PATTERN,
  getUser,
  listUsers,
  MAX_EMAIL_LENGTH,
  MAX_EXTERNAL_ID_LENGTH,
  updateUser,
} from '../src/users/users.js';
import { NOT_BLANK, rule } from '../src/lib/input-rules.js';
import { latestSamples } from '../src/health/latest-samples.js';
import { builder } from './builder.js';
import { HealthSampleType } from './health.js';
import { pageArgs, pageItemsQuery, pageType } from './pagination.js';

export const UserType = builder.prismaObject('User', {
  description: "An end user of the app, identified by the app's own externalId.",
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id', { description: 'ULID.' }),
    externalId: t.exposeString('externalId', { description: "The app's own identifier for this user; unique in the workspace." }),
    email: t.exposeString('email', { nullable: true }),
    timezone: t.exposeString('timezone', { description: 'IANA time zone that defines the user\'s days; default "UTC".' }),
    metadata: t.expose('metadata', { type: 'JSON', description: 'Free-form JSON object kept for the app.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    // Relations are folded into the parent query by the Prisma plugin: a page of users with their events is
    // one query per relation level, never one per user.
    // Samples have no Prisma relation to User (no foreign key, for ingestion speed): a request-scoped loader
    // batches them instead, one query per page all the same.
    latestSamples: t.field({
      type: [HealthSampleType],
      description: 'The most recent samples (newest first), optionally of one metric type.',
      args: { limit: t.arg.int({ description: '1–100, default 20.' }), metricType: t.arg.string() },
      resolve: (user, args, ctx) =>
        latestSamples(ctx, user.id, { limit: Math.min(Math.max(args.limit ?? 20, 1), 100), metricType: args.metricType ?? null }),
    }),
    latestEvents: t.relation('events', {
      description: 'The most recent events (newest first), optionally of one type.',
      args: { limit: t.arg.int({ description: '1–100, default 20.' }), type: t.arg.string() },
      query: (args) => ({
        where: args.type ? { type: args.type } : {},
        orderBy: [{ startAt: 'desc' }, { id: 'desc' }],
        take: Math.min(Math.max(args.limit ?? 20, 1), 100),
      }),
    }),
    personalRecords: t.relation('personalRecords', {
      description: "The user's personal records.",
      query: { orderBy: [{ metricType: 'asc' }, { kind: 'asc' }, { qualifier: 'asc' }] },
    }),
  }),
});

const UserPage = pageType('UserPage', UserType, 'A page of users in creation order.');

const userFields = builder.args((t) => ({
  email: t.string({
    description: 'Email address; null clears it.',
    ...rule({ maxLength: MAX_EMAIL_LENGTH, pattern: EMAIL_PATTERN, patternWords: 'an email address' }),
  }),
  timezone: t.string({ description: 'IANA time zone, e.g. "Europe/Berlin".' }),
  metadata: t.field({ type: 'JSON', description: 'Free-form JSON object (replaces the stored one).', ...rule({ jsonType: 'object' }) }),
}));

builder.queryFields((t) => ({
  users: t.field({
    type: UserPage,
    description: 'List the users of the workspace (paginated).',
    authScopes: { read: true },
    args: { ...pageArgs },
    resolve: (_root, args, ctx, info) => listUsers(serviceContext(ctx), args, pageItemsQuery(ctx, info, 'User')),
  }),
  user: t.field({
    type: UserType,
    description: 'Get a user by id.',
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => getUser(serviceContext(ctx), String(args.userId)),
  }),
}));

builder.mutationFields((t) => ({
  createUser: t.field({
    type: UserType,
    description: 'Create a user, or find the one with this externalId (REST answers 201 when created, 200 when found).',
    authScopes: { write: true },
    args: {
      externalId: t.arg.string({ required: true, ...rule({ minLength: 1, maxLength: MAX_EXTERNAL_ID_LENGTH, ...NOT_BLANK }) }),
      ...userFields,
    },
    resolve: async (_root, { externalId, ...input }, ctx) => {
      const { user, created } = await createOrFindUser(serviceContext(ctx), externalId, input);
      ctx.response.status = created ? 201 : 200;
      return user;
    },
  }),
  updateUser: t.field({
    type: UserType,
    description: 'Update the given properties of a user.',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), ...userFields },
    resolve: (_root, { userId, ...input }, ctx) => updateUser(serviceContext(ctx), String(userId), input),
  }),
  deleteUser: t.boolean({
    description: 'Delete a user and all their data, in one transaction.',
    authScopes: { admin: true },
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      await deleteUser(serviceContext(ctx), String(args.userId));
      return true;
    },
  }),
}));

const UserChangeAction = builder.enumType('UserChangeAction', { values: USER_CHANGE_ACTIONS });

const UserChangeType = builder.objectRef<UserChange>('UserChange').implement({
  description: 'A user of the workspace was created, updated or deleted.',
  fields: (t) => ({
    action: t.field({ type: UserChangeAction, resolve: (change) => change.action }),
    userId: t.exposeID('userId'),
    externalId: t.exposeString('externalId'),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionFields((t) => ({
  userChanged: t.field({
    type: UserChangeType,
    description: 'Live feed of user changes in the workspace.',
    authScopes: { read: true },
    subscribe: (_root, _args, ctx) => ctx.live.subscribe('user.changed', serviceContext(ctx).workspaceId),
    resolve: (change) => change,
  }),
}));
