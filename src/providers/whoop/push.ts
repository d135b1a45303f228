import { createHmac } from 'node:crypto';
import { sameSecret } from '../../lib/signing.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';

/**
 * WHOOP webhooks (https://developer.whoop.com/docs/developing/webhooks): a POST of
 * { user_id, id, type, trace_id } signed with X-WHOOP-Signature = base64(HMAC-SHA256(timestamp + raw body, client
 * secret)), the timestamp (milliseconds since the epoch) in X-WHOOP-Signature-Timestamp.
 */

/** Older signed requests are refused, so a captured notification cannot be replayed later. */
export const WHOOP_PUSH_MAX_AGE_MS = 5 * 60_000;

/** Events that mean new or changed data; `*.deleted` ones cannot be synced (a sync only adds and updates). */
const DATA_EVENTS = new Set(['recovery.updated', 'sleep.updated', 'workout.updated']);

export function whoopSignature(timestamp: string, body: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(timestamp + body)
    .digest('base64');
}

function verify(request: PushRequest, clientSecret: string, now: number): void {
  const signature = request.headers.get('x-whoop-signature');
  const timestamp = request.headers.get('x-whoop-signature-timestamp');
  if (!signature || !timestamp) throw new ProviderError('X-WHOOP-Signature and X-WHOOP-Signature-Timestamp are required', 'unauthorized');
  if (!sameSecret(signature, whoopSignature(timestamp, request.body, clientSecret)))
    throw new ProviderError('X-WHOOP-Signature does not match the body', 'unauthorized');
  const sentAt = Number(timestamp);
  if (!Number.isFinite(sentAt) || Math.abs(now - sentAt) > WHOOP_PUSH_MAX_AGE_MS) {
    throw new ProviderError('X-WHOOP-Signature-Timestamp is more than 5 minutes away from now', 'unauthorized');
  }
}

export function parseWhoopPush(request: PushRequest, clientSecret: string, now: number): PushNotice[] {
  verify(request, clientSecret, now);
  let body: { user_id?: unknown; type?: unknown } | null;
  try {
    body = JSON.parse(request.body) as typeof body;
  } catch {
    // Signed by WHOOP yet unreadable: nothing to act on, and an error answer would only make WHOOP retry it.
    return [];
  }
  const userId = body?.user_id;
  const validUser = (typeof userId === 'number' && Number.isSafeInteger(userId)) || (typeof userId === 'string' && /^\d+$/.test(userId));
  if (!validUser || typeof body?.type !== 'string' || !DATA_EVENTS.has(body.type)) return [];
  return [{ externalUserId: String(userId) }];
}
