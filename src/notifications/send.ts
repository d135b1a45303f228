import type { Platform } from '../jobs/platform.js';
import type { NotificationChannel } from '../generated/prisma/client.js';
import { decryptToken } from '../connections/token-crypto.js';
import { newId } from '../lib/ids.js';
import { postWebhook } from '../webhooks/send.js';
import { webhookHeaders } from '../webhooks/signing.js';
import { channelTypeUnavailable, flatSettings, type ChannelType, type SettingValue } from './channel-types.js';
import { sendEmail } from './email.js';
import { channelBody, ntfyBody, type Notification } from './messages.js';
import type { ChannelOutcome } from './outcome.js';
import { sendWebPush } from './web-push.js';

const NTFY_DEFAULT = 'https://ntfy.sh';

export type { ChannelOutcome } from './outcome.js';

export function channelSecrets(platform: Pick<Platform, 'tokenKeys'>, channel: NotificationChannel): Record<string, SettingValue> {
  return channel.secretsCiphertext
    ? (JSON.parse(decryptToken(platform.tokenKeys, channel.secretsCiphertext)) as Record<string, SettingValue>)
    : {};
}

/** The webhook-style types: one JSON POST through the webhook sender, in the format of the channel's platform. */
async function postToPlatform(
  platform: Pick<Platform, 'config' | 'clock'>,
  type: Exclude<ChannelType, 'email' | 'webpush'>,
  values: Record<string, string>,
  note: Notification,
): Promise<ChannelOutcome> {
  let url: string;
  let body: string;
  let headers: Record<string, string> = {};
  if (type === 'webhook') {
    url = values.url!;
    body = JSON.stringify({ type: `notification.${note.category}`, timestamp: platform.clock.now().toISOString(), data: note });
    headers = webhookHeaders([values.secret!], newId(), Math.floor(platform.clock.now().getTime() / 1000), body);
  } else if (type === 'ntfy') {
    url = values.serverUrl ?? NTFY_DEFAULT;
    body = JSON.stringify(ntfyBody(values.topic!, note));
    if (values.token) headers = { authorization: `Bearer ${values.token}` };
  } else {
    url = values.webhookUrl!;
    body = JSON.stringify(channelBody(type, note));
  }
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { ok: false, statusCode: null, durationMs: 0, error: 'the channel URL is not valid' };
  }
  const sent = await postWebhook(target, headers, body, platform.config.webhooks);
  const ok = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300;
  return {
    ok,
    statusCode: sent.statusCode,
    durationMs: sent.durationMs,
    error: ok ? null : (sent.error ?? `the channel answered HTTP ${sent.statusCode}`),
  };
}

/**
 * Sends one notification on a channel, in its platform's protocol and format. Never throws: the outcome is what the
 * log records. A Web Push subscription the push service says is gone (404/410) disables the channel, and the
 * outcome's error says so.
 */
export async function sendOnChannel(
  platform: Pick<Platform, 'tokenKeys' | 'config' | 'clock' | 'db'>,
  channel: NotificationChannel,
  note: Notification,
): Promise<ChannelOutcome> {
  const type = channel.type as ChannelType;
  const values = { ...flatSettings(channel.settings), ...channelSecrets(platform, channel) } as Record<string, string>;
  const unavailable = channelTypeUnavailable(type, platform.config);
  if (unavailable) return { ok: false, statusCode: null, durationMs: 0, error: unavailable };
  if (type === 'email') return sendEmail(platform.config.notifications.smtp!, platform.config.webhooks.timeoutMs, values.to!, note);
  if (type !== 'webpush') return postToPlatform(platform, type, values, note);
  const subscription = { endpoint: values.endpoint!, keys: { p256dh: values['keys.p256dh']!, auth: values['keys.auth']! } };
  const { gone, ...outcome } = await sendWebPush(platform.config.notifications.vapid!, platform.config.webhooks, subscription, note);
  if (!gone) return outcome;
  await platform.db.notificationChannel.update({ where: { id: channel.id }, data: { enabled: false } });
  return { ...outcome, error: `${outcome.error}; the subscription is gone (RFC 8030 section 7.3), so the channel is now disabled` };
}
