import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Config } from '../../config.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';

/**
 * Suunto webhook notifications (suunto-api.developer.azure-api.net/webhooks): a POST to the notification URL set in
 * the app's OAuth settings, its `type` one of WORKOUT_CREATED, ROUTE_CREATED, SUUNTO_247_ACTIVITY_CREATED,
 * SUUNTO_247_SLEEP_CREATED, SUUNTO_247_RECOVERY_CREATED, with the user's `username`; JSON, or form parameters in the
 * legacy format. Each is signed with the notification secret set beside the URL (install it as
 * SUUNTO_NOTIFICATION_SECRET): HMAC-SHA256 of the raw body in the X-HMAC-SHA256-Signature header (the header as
 * clients that run against the live service read it, hex). VitaSync syncs after a new workout or new 24/7 activity;
 * routes, sleep and recovery samples are not data it reads from Suunto.
 */
export const SUUNTO_SIGNATURE_HEADER = 'x-hmac-sha256-signature';
export const NOTIFICATION_SECRET_ENV = 'SUUNTO_NOTIFICATION_SECRET';
const SYNCING_TYPES = new Set(['WORKOUT_CREATED', 'SUUNTO_247_ACTIVITY_CREATED']);

function signatureVerifies(body: string, signature: string | null, secret: string): boolean {
  if (!signature || !/^[0-9a-f]{64}$/i.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(body, 'utf8').digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/** The type and user of a notification, from a JSON body or the legacy form parameters. */
function typeAndUser(request: PushRequest): { type: unknown; username: unknown } {
  if ((request.headers.get('content-type') ?? '').includes('application/x-www-form-urlencoded')) {
    const form = new URLSearchParams(request.body);
    return { type: form.get('type'), username: form.get('username') };
  }
  try {
    const body = JSON.parse(request.body) as { type?: unknown; username?: unknown } | null;
    return { type: body?.type, username: body?.username };
  } catch {
    return { type: null, username: null };
  }
}

export function parseSuuntoPush(request: PushRequest, config: Config): PushNotice[] {
  const secret = config.env[NOTIFICATION_SECRET_ENV];
  if (!secret) throw new ProviderError(`${NOTIFICATION_SECRET_ENV} is not set, so no Suunto notification can be verified`, 'unauthorized');
  if (!signatureVerifies(request.body, request.headers.get(SUUNTO_SIGNATURE_HEADER), secret))
    throw new ProviderError(`${SUUNTO_SIGNATURE_HEADER} is missing or does not match the body`, 'unauthorized');
  const { type, username } = typeAndUser(request);
  if (typeof type !== 'string' || !SYNCING_TYPES.has(type) || typeof username !== 'string' || !username) return [];
  return [{ externalUserId: username }];
}
