import type { ServiceContext } from '../context.js';
import { emit } from '../domain-events/emit.js';
import { connectionEvent } from './connection-events.js';
import type { Connection, Prisma } from '../generated/prisma/client.js';
import { Conflict, NotFound } from '../lib/errors.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { revokeToken } from '../providers/oauth.js';
import type { TokenSet } from '../providers/provider.js';
import { requireProvider } from '../providers/registry.js';
import { getUser } from '../users/users.js';
import { newId } from '../lib/ids.js';
import { recordAudit } from '../audit/audit.js';
import { log } from '../lib/logger.js';
import { accessTokenFor } from './access-token.js';
import { hookContext, providerCallFor } from './provider-call.js';
import { decryptToken, encryptToken } from './token-crypto.js';
import { removeConnectionData } from './remove-connection-data.js';
import { gapSyncState } from './backfill-gap.js';
import { claimSync } from './sync-claims.js';
import { scheduleSyncs, startSync, syncScheduleId } from './sync-jobs.js';

export async function listConnections(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<Connection>> {
  const user = await getUser(ctx, userId);
  const where = { userId: user.id };
  return paginate(args, {
    list: `connections:${user.id}`,
    count: () => ctx.db.connection.count({ where }),
    fetch: (window) => ctx.db.connection.findMany(idOrderedWindow(where, window)),
    keyOf: (connection) => [connection.id],
  });
}

export async function getConnection(ctx: ServiceContext, userId: string, connectionId: string): Promise<Connection> {
  const user = await getUser(ctx, userId);
  const connection = await ctx.db.connection.findFirst({ where: { id: connectionId, userId: user.id } });
  if (!connection) throw new NotFound(`connection ${connectionId} not found`);
  return connection;
}

/** A connection of the workspace by id alone (subscriptions name a connection without its user). */
export async function getWorkspaceConnection(ctx: ServiceContext, connectionId: string): Promise<Connection> {
  const connection = await ctx.db.connection.findFirst({ where: { id: connectionId, workspaceId: ctx.workspaceId } });
  if (!connection) throw new NotFound(`connection ${connectionId} not found`);
  return connection;
}

/** A provider hook (Withings' notification subscription…) must not fail the connect or disconnect around it. */
async function runHook(ctx: ServiceContext, connection: Connection, name: 'afterConnect' | 'beforeDisconnect'): Promise<void> {
  const provider = requireProvider(connection.providerId);
  const hook = provider[name];
  if (!hook) return;
  try {
    await hook(await providerCallFor(ctx, connection), ctx.config, hookContext(ctx, provider.id));
  } catch (error) {
    log.warn(`${provider.id} ${name} failed`, { connectionId: connection.id, error: (error as Error).message });
  }
}

const backfillJobId = (connectionId: string) => `sync:${connectionId}:backfill`;

/** A connection in error that the user connects again: it ends (tokens forgotten, notices dropped), the new one takes over. */
async function replaceConnection(ctx: ServiceContext, tx: Prisma.TransactionClient, old: Connection, by: string): Promise<Connection> {
  await tx.providerNotice.deleteMany({ where: { connectionId: old.id } });
  const ended = await tx.connection.update({
    where: { id: old.id },
    data: {
      status: 'DISCONNECTED',
      statusReason: `replaced by connection ${by}, connected again after: ${old.statusReason ?? 'an error'}`,
      accessToken: null,
      refreshToken: null,
      tokenExpiresAt: null,
      disconnectedAt: ctx.clock.now(),
    },
  });
  await emit(tx, connectionEvent(ctx, 'connection.deleted', ended));
  return ended;
}

/**
 * Stores a new connection (tokens encrypted), runs the provider's afterConnect hook and starts its backfill and
 * periodic sync. A user has at most one active connection per provider: a second one is a 409. Connecting again
 * over a connection in error (a refused token) replaces it. After a disconnect or an error the backfill fetches only
 * the gap since the data the user holds (backfill-gap.ts).
 */
export async function createConnection(
  ctx: ServiceContext,
  userId: string,
  providerId: string,
  tokens: TokenSet | null,
): Promise<Connection> {
  const provider = requireProvider(providerId);
  const user = await getUser(ctx, userId);
  const { connection, replaced } = await ctx.db.$transaction(async (tx) => {
    // Serializes connects of one user, so two callbacks cannot both pass the one-active-connection check.
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${user.id} FOR UPDATE`;
    const active = await tx.connection.findFirst({ where: { userId: user.id, providerId: provider.id, status: { not: 'DISCONNECTED' } } });
    if (active?.status === 'ACTIVE')
      throw new Conflict(`user ${user.id} already has a ${provider.name} connection (${active.id}); disconnect it first`);
    const id = newId();
    const replaced = active ? await replaceConnection(ctx, tx, active, id) : null;
    const syncState = await gapSyncState(tx, user.id, provider, ctx.clock.now(), ctx.config.sync.backfillDays);
    const created = await tx.connection.create({
      data: {
        id,
        workspaceId: ctx.workspaceId,
        userId: user.id,
        providerId: provider.id,
        externalUserId: tokens?.externalUserId ?? null,
        scopes: tokens?.scopes ?? [],
        accessToken: tokens ? encryptToken(ctx.tokenKeys, tokens.accessToken) : null,
        refreshToken: tokens?.refreshToken ? encryptToken(ctx.tokenKeys, tokens.refreshToken) : null,
        tokenExpiresAt: tokens?.expiresAt ?? null,
        syncState,
        syncJobId: backfillJobId(id),
        syncJobAt: ctx.clock.now(),
      },
    });
    await emit(tx, connectionEvent(ctx, 'connection.created', created));
    return { connection: created, replaced };
  });
  await recordAudit(ctx, {
    action: 'connection.created',
    targetType: 'connection',
    targetId: connection.id,
    details: { providerId: provider.id, userId: user.id },
  });
  if (replaced) await ctx.jobs.unschedule(syncScheduleId(replaced.id));
  if (tokens) await runHook(ctx, connection, 'afterConnect');
  await startSync(ctx, connection, 'backfill', backfillJobId(connection.id));
  await scheduleSyncs(ctx, connection);
  return connection;
}

/**
 * Runs the provider's beforeDisconnect hook, revokes the tokens at the provider where it offers revocation, stops
 * the schedule, forgets the tokens and unread notices, and keeps the synced data unless `deleteData` asks to
 * remove it. A connection the provider already ended (revoked there) keeps its reason.
 */
export async function disconnectConnection(ctx: ServiceContext, userId: string, connectionId: string, deleteData: boolean): Promise<void> {
  const connection = await getConnection(ctx, userId, connectionId);
  const provider = requireProvider(connection.providerId);
  const live = connection.status !== 'DISCONNECTED';
  if (provider.oauth && connection.accessToken && live) {
    await runHook(ctx, connection, 'beforeDisconnect');
    // Revocation needs a live token; a stored one may have expired since the last sync.
    const token = await accessTokenFor(ctx, connection).catch(() => decryptToken(ctx.tokenKeys, connection.accessToken!));
    await revokeToken(provider.oauth(ctx.config), token, { externalUserId: connection.externalUserId });
  }
  await ctx.jobs.unschedule(syncScheduleId(connection.id));
  await ctx.db.$transaction(async (tx) => {
    await tx.providerNotice.deleteMany({ where: { connectionId: connection.id } });
    if (!live) return;
    const disconnected = await tx.connection.update({
      where: { id: connection.id },
      data: {
        status: 'DISCONNECTED',
        statusReason: 'disconnected by the app',
        accessToken: null,
        refreshToken: null,
        tokenExpiresAt: null,
        disconnectedAt: ctx.clock.now(),
      },
    });
    await emit(tx, connectionEvent(ctx, 'connection.deleted', disconnected));
  });
  if (deleteData) await removeConnectionData(ctx, connection);
  await recordAudit(ctx, {
    action: 'connection.disconnected',
    targetType: 'connection',
    targetId: connection.id,
    details: { providerId: connection.providerId, deleteData },
  });
}

/** Starts a sync now and answers the job to watch; 409 naming the running one while a backfill or manual sync runs. */
export async function requestSync(ctx: ServiceContext, userId: string, connectionId: string): Promise<{ jobId: string }> {
  const connection = await getConnection(ctx, userId, connectionId);
  if (connection.status === 'DISCONNECTED') throw new Conflict(`connection ${connection.id} is disconnected`);
  const jobId = `sync:${connection.id}:manual:${newId()}`;
  await claimSync(ctx, connection, jobId);
  return { jobId: await startSync(ctx, connection, 'manual', jobId) };
}
