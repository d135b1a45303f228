import { createHmac } from 'node:crypto';
import type { Config } from '../../config.js';
import { sameSecret } from '../../lib/signing.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';

/**
 * Oura's API v2 webhooks (https://cloud.ouraring.com/v2/docs, "Webhook Subscription Routes"). Subscriptions belong
 * to the app, one per (event_type, data_type) (subscriptions.ts keeps them). Oura checks the callback with a GET
 * carrying `verification_token` and `challenge`, answered with {"challenge": …}; notifications are POSTs of
 * { event_type, data_type, object_id, event_time, user_id } signed in x-oura-signature: upper-case hex
 * HMAC-SHA256 of x-oura-timestamp followed by the raw body, keyed with the client secret. `user_id` is the `id` of
 * the user's personal_info.
 */
export const OURA_VERIFICATION_TOKEN_ENV = 'OURA_WEBHOOK_VERIFICATION_TOKEN';

/** The documents we sync that Oura notifies about (heart rate is no webhook data type; every sync reads it too). */
export const OURA_WEBHOOK_DATA_TYPES = ['daily_activity', 'sleep', 'workout'] as const;
/** create and update bring data a sync can read; a delete cannot be synced (a sync only adds and updates). */
export const OURA_WEBHOOK_EVENT_TYPES = ['create', 'update'] as const;

const includes = (list: readonly string[], value: unknown): boolean => typeof value === 'string' && list.includes(value);

export function ouraSignature(timestamp: string, body: string, clientSecret: string): string {
  return createHmac('sha256', clientSecret)
    .update(timestamp + body)
    .digest('hex')
    .toUpperCase();
}

/**
 * No age limit on x-oura-timestamp: Oura documents none, retries a failed delivery for about an hour without saying
 * whether a retry is signed afresh, and a replayed notification can only start an incremental sync that reads
 * Oura's own data (and collapses with others of the same minute).
 */
function verify(request: PushRequest, clientSecret: string): void {
  const signature = request.headers.get('x-oura-signature');
  const timestamp = request.headers.get('x-oura-timestamp');
  if (!signature || !timestamp) throw new ProviderError('x-oura-signature and x-oura-timestamp are required', 'unauthorized');
  // Hex is case-insensitive; Oura sends upper case.
  if (!sameSecret(signature.toUpperCase(), ouraSignature(timestamp, request.body, clientSecret))) {
    throw new ProviderError('x-oura-signature does not match the body', 'unauthorized');
  }
}

export function parseOuraPush(request: PushRequest, clientSecret: string): PushNotice[] {
  verify(request, clientSecret);
  let body: { user_id?: unknown; event_type?: unknown; data_type?: unknown } | null;
  try {
    body = JSON.parse(request.body) as typeof body;
  } catch {
    // Signed by Oura yet unreadable: nothing to act on, and an error answer would only make Oura retry it.
    return [];
  }
  const userId = body?.user_id;
  if (typeof userId !== 'string' || !userId) return [];
  if (!includes(OURA_WEBHOOK_EVENT_TYPES, body?.event_type) || !includes(OURA_WEBHOOK_DATA_TYPES, body?.data_type)) return [];
  return [{ externalUserId: userId }];
}

export function ouraPushChallenge(request: PushRequest, config: Config): { status: number; body: string; contentType: string } | null {
  const challenge = request.query.get('challenge');
  if (!challenge) return null;
  const expected = config.env[OURA_VERIFICATION_TOKEN_ENV];
  if (!expected || !sameSecret(request.query.get('verification_token') ?? '', expected)) {
    const message = `verification_token does not match ${OURA_VERIFICATION_TOKEN_ENV}`;
    return { status: 403, body: JSON.stringify({ statusCode: 403, error: 'Forbidden', message }), contentType: 'application/json' };
  }
  return { status: 200, body: JSON.stringify({ challenge }), contentType: 'application/json' };
}
