import { createHmac } from 'node:crypto';
import type { Config } from '../../config.js';
import { BadRequest } from '../../lib/errors.js';
import { sameSecret } from '../../lib/signing.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';
import { providerSettings } from '../settings.js';

/**
 * Fitbit's Subscriptions API (Developer Guide → Using Subscriptions): the subscriber URL is checked with two GETs
 * carrying `verify` (204 for the code shown on dev.fitbit.com, 404 for anything else), and notifications arrive as
 * a JSON array of { collectionType, date, ownerId, ownerType, subscriptionId } signed in X-Fitbit-Signature.
 */

export function fitbitPushChallenge(request: PushRequest, config: Config): { status: number; body: string } {
  const expected = config.env.FITBIT_SUBSCRIBER_VERIFY;
  const given = request.query.get('verify');
  if (expected && given && sameSecret(given, expected)) return { status: 204, body: '' };
  return { status: 404, body: 'unknown verification code' };
}

/** The signature is base64(HMAC-SHA1(raw body)) keyed with the client secret followed by "&" (an OAuth 1 habit). */
export function parseFitbitPush(request: PushRequest, config: Config): PushNotice[] {
  const secret = providerSettings(config, 'fitbit', { apiUrl: '', authUrl: '' }).clientSecret;
  if (!secret) throw new ProviderError('FITBIT_CLIENT_SECRET is not set, so no notification can be verified', 'unauthorized');
  const signature = request.headers.get('x-fitbit-signature');
  if (!signature) throw new ProviderError('X-Fitbit-Signature header is missing', 'unauthorized');
  const expected = createHmac('sha1', `${secret}&`).update(request.body, 'utf8').digest('base64');
  if (!sameSecret(signature, expected)) throw new ProviderError('X-Fitbit-Signature does not match the body', 'unauthorized');
  let notifications: unknown;
  try {
    notifications = JSON.parse(request.body);
  } catch {
    throw new BadRequest('a Fitbit notification body must be a JSON array');
  }
  if (!Array.isArray(notifications)) throw new BadRequest('a Fitbit notification body must be a JSON array');
  // collectionType userRevokedAccess: the user removed our access at Fitbit, so the connection ends.
  return notifications.flatMap((notification: unknown): PushNotice[] => {
    const { ownerType, ownerId, collectionType } = (notification ?? {}) as {
      ownerType?: unknown;
      ownerId?: unknown;
      collectionType?: unknown;
    };
    if (ownerType !== 'user' || typeof ownerId !== 'string' || !ownerId) return [];
    return [collectionType === 'userRevokedAccess' ? { externalUserId: ownerId, kind: 'revoked' } : { externalUserId: ownerId }];
  });
}
