import { fetchProviderJson } from '../../connections/provider-http.js';
import { log } from '../../lib/logger.js';
import { ProviderError } from '../provider-error.js';
import type { ProviderSettings } from '../settings.js';
import { OURA_VERIFICATION_TOKEN_ENV, OURA_WEBHOOK_DATA_TYPES, OURA_WEBHOOK_EVENT_TYPES } from './push.js';

/**
 * Oura's webhook subscriptions (https://cloud.ouraring.com/v2/docs, "Webhook Subscription Routes") belong to the
 * app, not to a user, and lapse at their `expiration_time` unless renewed. They are called with the app's
 * credentials in x-client-id and x-client-secret: GET /v2/webhook/subscription lists them, POST creates one
 * { callback_url, verification_token, event_type, data_type } (Oura first checks the callback with a GET carrying
 * the token and a challenge), PUT /v2/webhook/subscription/renew/{id} extends one.
 */
export interface OuraSubscription {
  id: string;
  callback_url: string;
  event_type: string;
  data_type: string;
  expiration_time: string;
}

/** Subscriptions that lapse sooner than this are renewed. */
export const OURA_RENEW_WITHIN_MS = 7 * 86_400_000;

export interface OuraSubscriptionOutcome {
  created: string[];
  renewed: string[];
  kept: string[];
}

function subscriptionCall(s: ProviderSettings, path: string, init: RequestInit = {}): Promise<unknown> {
  const headers = { 'x-client-id': s.clientId ?? '', 'x-client-secret': s.clientSecret ?? '', 'content-type': 'application/json' };
  return fetchProviderJson(`${s.apiUrl}/v2/webhook/subscription${path}`, '', { ...init, headers });
}

async function listSubscriptions(s: ProviderSettings): Promise<OuraSubscription[]> {
  const list = await subscriptionCall(s, '');
  if (!Array.isArray(list)) throw new ProviderError('Oura listed webhook subscriptions without an array', 'invalid_response');
  return list as OuraSubscription[];
}

function needsRenewal(subscription: OuraSubscription, now: Date): boolean {
  const expires = Date.parse(subscription.expiration_time);
  return !Number.isFinite(expires) || expires - now.getTime() < OURA_RENEW_WITHIN_MS;
}

/**
 * Makes sure the app has a live subscription to our push URL for every (event_type, data_type) we act on: creates
 * the missing ones and renews those about to lapse. Idempotent, so it runs after every Oura connect: the first
 * connect of an install subscribes, later ones keep the subscriptions alive. One pair that fails does not stop the
 * others; the failures are thrown together at the end for the connect hook to log.
 */
export async function ensureOuraSubscriptions(
  s: ProviderSettings,
  verificationToken: string | undefined,
  callbackUrl: string,
  now: Date,
): Promise<OuraSubscriptionOutcome> {
  if (!verificationToken) throw new Error(`${OURA_VERIFICATION_TOKEN_ENV} is not set, so no Oura webhook subscription is made`);
  const existing = (await listSubscriptions(s)).filter((subscription) => subscription.callback_url === callbackUrl);
  const outcome: OuraSubscriptionOutcome = { created: [], renewed: [], kept: [] };
  const failures: string[] = [];
  for (const event_type of OURA_WEBHOOK_EVENT_TYPES) {
    for (const data_type of OURA_WEBHOOK_DATA_TYPES) {
      const pair = `${event_type}:${data_type}`;
      const current = existing.find((subscription) => subscription.event_type === event_type && subscription.data_type === data_type);
      try {
        if (!current) {
          const body = JSON.stringify({ callback_url: callbackUrl, verification_token: verificationToken, event_type, data_type });
          await subscriptionCall(s, '', { method: 'POST', body });
          outcome.created.push(pair);
        } else if (needsRenewal(current, now)) {
          await subscriptionCall(s, `/renew/${encodeURIComponent(current.id)}`, { method: 'PUT' });
          outcome.renewed.push(pair);
        } else {
          outcome.kept.push(pair);
        }
      } catch (error) {
        failures.push(`${pair}: ${(error as Error).message}`);
      }
    }
  }
  if (failures.length) throw new Error(`Oura webhook subscriptions failed (${failures.join('; ')})`);
  if (outcome.created.length || outcome.renewed.length) log.info('Oura webhook subscriptions', { ...outcome });
  return outcome;
}
