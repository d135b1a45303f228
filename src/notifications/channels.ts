import type { ServiceContext } from '../context.js';
import { encryptToken } from '../connections/token-crypto.js';
import type { NotificationChannel, Prisma } from '../generated/prisma/client.js';
import { AppError, Invalid, NotFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { idOrderedWindow, paginate, type Page, type PageArgs } from '../lib/pagination.js';
import { getUser } from '../users/users.js';
import { assertDeliverableUrl } from '../webhooks/address-policy.js';
import {
  CHANNEL_SETTINGS,
  channelTypeUnavailable,
  checkSettings,
  nestSettings,
  type ChannelType,
  type SettingValue,
} from './channel-types.js';
import { channelSecrets, sendOnChannel } from './send.js';

export interface ChannelInput {
  type: ChannelType;
  name: string;
  settings?: unknown;
  enabled?: boolean | null;
}

export interface TestOutcome {
  status: 'sent' | 'failed';
  statusCode: number | null;
  latencyMs: number;
  error: string | null;
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > 100) throw new Invalid('name must be 1 to 100 characters');
  return trimmed;
}

/** The settings the server connects to go through the webhook address policy: a 422 naming the setting. */
async function checkUrls(ctx: ServiceContext, type: ChannelType, values: Record<string, SettingValue>): Promise<void> {
  for (const [name, value] of Object.entries(values)) {
    if (!CHANNEL_SETTINGS[type][name]?.destination) continue;
    try {
      await assertDeliverableUrl(String(value), ctx.config.webhooks);
    } catch (error) {
      if (error instanceof AppError) throw new Invalid(`settings.${name}: ${error.message.replace(/^url /, '')}`);
      throw error;
    }
  }
}

export async function listChannels(ctx: ServiceContext, userId: string, args: PageArgs): Promise<Page<NotificationChannel>> {
  const user = await getUser(ctx, userId);
  const where = { userId: user.id };
  return paginate(args, {
    list: `notification-channels:${user.id}`,
    count: () => ctx.db.notificationChannel.count({ where }),
    fetch: (window) => ctx.db.notificationChannel.findMany(idOrderedWindow(where, window)),
    keyOf: (row) => [row.id],
  });
}

export async function createChannel(ctx: ServiceContext, userId: string, input: ChannelInput): Promise<NotificationChannel> {
  const user = await getUser(ctx, userId);
  const unavailable = channelTypeUnavailable(input.type, ctx.config);
  if (unavailable) throw new Invalid(`type ${input.type} is not available: ${unavailable}`);
  const split = checkSettings(input.type, input.settings);
  await checkUrls(ctx, input.type, { ...split.settings, ...split.secrets });
  return ctx.db.notificationChannel.create({
    data: {
      id: newId(),
      workspaceId: ctx.workspaceId,
      userId: user.id,
      type: input.type,
      name: checkName(input.name),
      settings: nestSettings(split.settings) as Prisma.InputJsonObject,
      secretsCiphertext: Object.keys(split.secrets).length ? encryptToken(ctx.tokenKeys, JSON.stringify(split.secrets)) : null,
      enabled: input.enabled ?? true,
    },
  });
}

async function findChannel(ctx: ServiceContext, userId: string, channelId: string): Promise<NotificationChannel> {
  const user = await getUser(ctx, userId);
  const channel = await ctx.db.notificationChannel.findFirst({ where: { id: channelId, userId: user.id } });
  if (!channel) throw new NotFound(`notification channel ${channelId} not found`);
  return channel;
}

/** Replaces name, settings and enabled; secret settings left out keep their stored values (they are never read back). */
export async function replaceChannel(
  ctx: ServiceContext,
  userId: string,
  channelId: string,
  input: Omit<ChannelInput, 'type'>,
): Promise<NotificationChannel> {
  const channel = await findChannel(ctx, userId, channelId);
  const type = channel.type as ChannelType;
  const split = checkSettings(type, input.settings, channelSecrets(ctx, channel));
  await checkUrls(ctx, type, { ...split.settings, ...split.secrets });
  return ctx.db.notificationChannel.update({
    where: { id: channel.id },
    data: {
      name: checkName(input.name),
      settings: nestSettings(split.settings) as Prisma.InputJsonObject,
      secretsCiphertext: Object.keys(split.secrets).length ? encryptToken(ctx.tokenKeys, JSON.stringify(split.secrets)) : null,
      enabled: input.enabled ?? channel.enabled,
    },
  });
}

export async function deleteChannel(ctx: ServiceContext, userId: string, channelId: string): Promise<void> {
  const channel = await findChannel(ctx, userId, channelId);
  await ctx.db.notificationChannel.delete({ where: { id: channel.id } });
}

/** Sends a test message now and reports (and logs) the outcome: status, latency, error. */
export async function testChannel(ctx: ServiceContext, userId: string, channelId: string): Promise<TestOutcome> {
  const channel = await findChannel(ctx, userId, channelId);
  const sent = await sendOnChannel(ctx, channel, {
    title: 'VitaSync test notification',
    body: `This is a test of the ${channel.type} channel "${channel.name}".`,
    severity: 'info',
    category: 'system',
  });
  const outcome: TestOutcome = {
    status: sent.ok ? 'sent' : 'failed',
    statusCode: sent.statusCode,
    latencyMs: sent.durationMs,
    error: sent.error,
  };
  await ctx.db.notificationLog.create({
    data: {
      id: newId(),
      workspaceId: ctx.workspaceId,
      userId: channel.userId,
      channelId: channel.id,
      channelType: channel.type,
      kind: 'test',
      status: outcome.status,
      statusCode: outcome.statusCode,
      latencyMs: outcome.latencyMs,
      error: outcome.error,
    },
  });
  return outcome;
}
