import webpush from 'web-push';
import type { NotificationsConfig, WebhooksConfig } from '../config.js';
import { postWebhook } from '../webhooks/send.js';
import { pushPayload, type Notification } from './messages.js';
import type { ChannelOutcome } from './outcome.js';

type Vapid = NonNullable<NotificationsConfig['vapid']>;

export interface PushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** How long the push service keeps a message for an offline browser (RFC 8030 section 5.2): a day. */
const TTL_SECONDS = 86_400;
/** RFC 8030 section 5.3: critical alerts may wake a device; the rest may wait for a good moment. */
const URGENCY = { info: 'normal', warning: 'normal', critical: 'high' } as const;

/**
 * One Web Push message: web-push encrypts the payload (aes128gcm, RFC 8291) and signs the VAPID header (RFC 8292);
 * the request goes out through the webhook sender, so the address policy checks the socket's address, redirects
 * are not followed and the timeout applies. `gone` is true when the push service says the subscription no longer
 * exists (404 or 410, RFC 8030 section 7.3): the caller disables the channel.
 */
export async function sendWebPush(
  vapid: Vapid,
  http: WebhooksConfig,
  subscription: PushSubscription,
  note: Notification,
): Promise<ChannelOutcome & { gone: boolean }> {
  let request: ReturnType<typeof webpush.generateRequestDetails>;
  let endpoint: URL;
  try {
    request = webpush.generateRequestDetails(subscription, JSON.stringify(pushPayload(note)), {
      vapidDetails: vapid,
      TTL: TTL_SECONDS,
      urgency: URGENCY[note.severity],
      contentEncoding: 'aes128gcm',
    });
    endpoint = new URL(request.endpoint);
  } catch (error) {
    return {
      ok: false,
      gone: false,
      statusCode: null,
      durationMs: 0,
      error: `the subscription cannot be used: ${(error as Error).message}`,
    };
  }
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
  const sent = await postWebhook(endpoint, headers, request.body ?? Buffer.alloc(0), http);
  const ok = sent.statusCode !== null && sent.statusCode >= 200 && sent.statusCode < 300;
  const gone = sent.statusCode === 404 || sent.statusCode === 410;
  const answered = sent.responseExcerpt ? `: ${sent.responseExcerpt.slice(0, 200)}` : '';
  return {
    ok,
    gone,
    statusCode: sent.statusCode,
    durationMs: sent.durationMs,
    error: ok ? null : (sent.error ?? `the push service answered HTTP ${sent.statusCode}${answered}`),
  };
}
