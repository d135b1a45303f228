import { rule } from '../src/lib/input-rules.js';
import { filter, pipe } from 'graphql-yoga';
import { disconnectConnection, getWorkspaceConnection, listConnections, requestSync } from '../src/connections/connections.js';
import type { ConnectionChange, SyncProgress } from '../src/connections/live-updates.js';
import { createConnectLink, LINK_TTL_SECONDS } from '../src/connections/oauth-flow.js';
import { getJob } from '../src/jobs/jobs.js';
import { serviceContext } from '../src/server/request-context.js';
import { builder } from './builder.js';
import { JobType } from './jobs.js';
import { pageArgs, pageType } from './pagination.js';

const ConnectionType = builder.prismaObject('Connection', {
  description: "A user's link to a provider account. Tokens are stored encrypted and never served.",
  authScopes: { read: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    userId: t.exposeID('userId'),
    providerId: t.exposeString('providerId'),
    status: t.string({ description: 'active, error or disconnected.', resolve: (connection) => connection.status.toLowerCase() }),
    statusReason: t.exposeString('statusReason', { nullable: true }),
    externalUserId: t.exposeString('externalUserId', { nullable: true }),
    scopes: t.exposeStringList('scopes'),
    lastSyncAt: t.expose('lastSyncAt', { type: 'DateTime', nullable: true }),
    lastSyncStatus: t.exposeString('lastSyncStatus', { nullable: true, description: 'completed or failed.' }),
    lastSyncError: t.exposeString('lastSyncError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    disconnectedAt: t.expose('disconnectedAt', { type: 'DateTime', nullable: true }),
  }),
});

const ConnectionPage = pageType('ConnectionPage', ConnectionType, "A page of a user's connections in creation order.");

const ConnectLinkType = builder.objectRef<{ url: string; expiresAt: Date }>('ConnectLink').implement({
  fields: (t) => ({
    url: t.exposeString('url', { description: "Send the user's browser here; it ends at the redirectUri with status and connectionId." }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

builder.queryFields((t) => ({
  connections: t.field({
    type: ConnectionPage,
    description: "List a user's provider connections.",
    authScopes: { read: true },
    args: { userId: t.arg.id({ required: true }), ...pageArgs },
    resolve: (_root, { userId, ...page }, ctx) => listConnections(serviceContext(ctx), String(userId), page),
  }),
}));

builder.mutationFields((t) => ({
  createConnectLink: t.field({
    type: ConnectLinkType,
    description: `A short-lived (${LINK_TTL_SECONDS / 60} min) link that connects the user to a provider in their browser.`,
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      providerId: t.arg.string({ required: true }),
      redirectUri: t.arg.string({
        description: "Where the browser returns; must be in the workspace's redirectUris.",
        ...rule({ format: 'uri' }),
      }),
    },
    resolve: (_root, args, ctx) => createConnectLink(serviceContext(ctx), String(args.userId), args.providerId, args.redirectUri ?? null),
  }),
  disconnectConnection: t.boolean({
    description: 'Disconnect a provider: revoke at the provider where possible, stop syncing; keep the data unless deleteData.',
    authScopes: { write: true },
    args: {
      userId: t.arg.id({ required: true }),
      connectionId: t.arg.id({ required: true }),
      deleteData: t.arg.boolean({ description: 'Also delete the samples, events and records this connection brought.' }),
    },
    resolve: async (_root, args, ctx) => {
      await disconnectConnection(serviceContext(ctx), String(args.userId), String(args.connectionId), args.deleteData ?? false);
      return true;
    },
  }),
  syncConnection: t.field({
    type: JobType,
    description: 'Start a sync now (REST answers 202); follow it with the job query or GET /v1/jobs/:jobId.',
    authScopes: { write: true },
    args: { userId: t.arg.id({ required: true }), connectionId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const service = serviceContext(ctx);
      const { jobId } = await requestSync(service, String(args.userId), String(args.connectionId));
      return getJob(service, jobId);
    },
  }),
}));

const StreamCountsType = builder.objectRef<{ pages: number; samples: number; events: number }>('StreamCounts').implement({
  fields: (t) => ({ pages: t.exposeInt('pages'), samples: t.exposeInt('samples'), events: t.exposeInt('events') }),
});

const SyncProgressType = builder.objectRef<SyncProgress>('SyncProgress').implement({
  fields: (t) => ({
    connectionId: t.exposeID('connectionId'),
    userId: t.exposeID('userId'),
    jobId: t.exposeID('jobId'),
    stream: t.exposeString('stream'),
    counts: t.field({ type: StreamCountsType, resolve: (progress) => progress.counts }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

const ConnectionChangeType = builder.objectRef<ConnectionChange>('ConnectionChange').implement({
  fields: (t) => ({
    connectionId: t.exposeID('connectionId'),
    userId: t.exposeID('userId'),
    providerId: t.exposeString('providerId'),
    status: t.exposeString('status'),
    reason: t.exposeString('reason', { nullable: true }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionFields((t) => ({
  syncProgress: t.field({
    type: SyncProgressType,
    description: 'Progress of running syncs in the workspace (optionally of one connection), one message per page.',
    authScopes: { read: true },
    args: { connectionId: t.arg.id() },
    subscribe: async (_root, args, ctx) => {
      const service = serviceContext(ctx);
      // A foreign or unknown connection is NOT_FOUND, as every read of it is, not a feed that stays empty.
      if (args.connectionId) await getWorkspaceConnection(service, String(args.connectionId));
      return pipe(
        ctx.live.subscribe('sync.progress', service.workspaceId),
        filter((progress) => !args.connectionId || progress.connectionId === String(args.connectionId)),
      );
    },
    resolve: (progress) => progress,
  }),
  connectionChanged: t.field({
    type: ConnectionChangeType,
    description: 'Connections of the workspace that turned to error or were disconnected.',
    authScopes: { read: true },
    subscribe: (_root, _args, ctx) => ctx.live.subscribe('connection.changed', serviceContext(ctx).workspaceId),
    resolve: (change) => change,
  }),
}));
