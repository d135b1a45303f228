import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';

/**
 * AccessLink webhooks (https://www.polar.com/accesslink-api/#accesslink-webhooks): a JSON POST per event
 * ({ event, user_id, entity_id | date, timestamp, url }) whose raw body is signed with HMAC-SHA256 under the
 * signature_secret_key that creating the webhook returned, hex in Polar-Webhook-Signature. Install that key as
 * POLAR_WEBHOOK_SECRET. Polar expects 200, and deactivates a webhook that fails for seven days.
 */
export const POLAR_SIGNATURE_HEADER = 'polar-webhook-signature';

function signatureVerifies(body: string, signature: string | null, secret: string): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(body, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

export function parsePolarPush(request: PushRequest, config: Config): PushNotice[] {
  const payload = parseJson(request.body) as { event?: unknown; user_id?: unknown } | null;
  // The PING that creating or updating the webhook sends must get 200, and it arrives before Polar has handed
  // out the signing key; it names no user, so answering it unverified starts nothing.
  if (payload?.event === 'PING') return [];
  const secret = config.env.POLAR_WEBHOOK_SECRET;
  if (!secret) throw new ProviderError('POLAR_WEBHOOK_SECRET is not set, so no Polar notification can be verified', 'unauthorized');
  if (!signatureVerifies(request.body, request.headers.get(POLAR_SIGNATURE_HEADER), secret)) {
    throw new ProviderError(`${POLAR_SIGNATURE_HEADER} is missing or wrong`, 'unauthorized');
  }
  // A signed event without a user (a kind Polar adds later) is acknowledged, so Polar keeps the webhook active.
  const userId = payload?.user_id;
  return typeof userId === 'number' || (typeof userId === 'string' && userId) ? [{ externalUserId: String(userId) }] : [];
}
