import type { Platform } from '../jobs/platform.js';
import type { NotificationChannel } from '../generated/prisma/client.js';
import { decryptToken } from '../connections/token-crypto.js';
import { newId } from '../lib/ids.js';
import { postWebhook, type SendOutcome } from '../webhooks/send.js';
import { webhookHeaders } from '../webhooks/signing.js';
import type { ChannelType } from './channel-types.js';
import { channelBody, ntfyBody, type Notification } from './messages.js';

const NTFY_DEFAULT = 'https://ntfy.sh';

export function channelSecrets(platform: Pick<Platform, 'tokenKeys'>, channel: NotificationChannel): Record<string, string> {
  return channel.secretsCiphertext
    ? (JSON.parse(decryptToken(platform.tokenKeys, channel.secretsCiphertext)) as Record<string, string>)
    : {};
}

/**
 * Sends one notification on a channel: through the webhook sender (SSRF-filtering agent, timeout, no redirects),
 * in the format of the channel's platform. Never throws: the outcome is what the log records.
 */
export async function sendOnChannel(
  platform: Pick<Platform, 'tokenKeys' | 'config' | 'clock'>,
  channel: NotificationChannel,
  note: Notification,
): Promise<SendOutcome> {
  const settings = channel.settings as Record<string, string>;
  const secrets = channelSecrets(platform, channel);
  const type = channel.type as ChannelType;
  let url: string;
  let body: string;
  let headers: Record<string, string> = {};
  if (type === 'webhook') {
    url = settings.url!;
    body = JSON.stringify({ type: `notification.${note.category}`, timestamp: platform.clock.now().toISOString(), data: note });
    headers = webhookHeaders([secrets.secret!], newId(), Math.floor(platform.clock.now().getTime() / 1000), body);
  } else if (type === 'ntfy') {
    url = settings.serverUrl ?? NTFY_DEFAULT;
    body = JSON.stringify(ntfyBody(settings.topic!, note));
    if (secrets.token) headers = { authorization: `Bearer ${secrets.token}` };
  } else {
    url = secrets.webhookUrl!;
    body = JSON.stringify(channelBody(type, note));
  }
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return { statusCode: null, durationMs: 0, error: 'the channel URL is not valid', responseExcerpt: null };
  }
  return postWebhook(target, headers, body, platform.config.webhooks);
}
