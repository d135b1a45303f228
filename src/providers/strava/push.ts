import type { Config } from '../../config.js';
import { sameSecret } from '../../lib/signing.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';

/**
 * Strava's Webhook Events API (https://developers.strava.com/docs/webhooks/). Events are not signed: the only
 * thing tying a POST to our subscription is its `subscription_id`, which must equal STRAVA_WEBHOOK_SUBSCRIPTION_ID.
 * The subscription check is a GET with hub.mode=subscribe, hub.challenge and our hub.verify_token, answered with
 * {"hub.challenge": …} as JSON within two seconds.
 */
interface StravaEvent {
  object_type?: unknown;
  object_id?: unknown;
  aspect_type?: unknown;
  owner_id?: unknown;
  subscription_id?: unknown;
  event_time?: unknown;
  updates?: unknown;
}

function parseEvent(body: string): StravaEvent {
  try {
    const event = JSON.parse(body) as unknown;
    if (event && typeof event === 'object' && !Array.isArray(event)) return event as StravaEvent;
  } catch {
    // Falls through: a body we cannot read cannot show its subscription either.
  }
  throw new ProviderError('the body is not a Strava webhook event', 'unauthorized');
}

/**
 * Activity create/update/delete events mean "sync this athlete": the sync picks up new activities. An athlete
 * event whose updates say authorized "false" is the athlete revoking our access ("Deauthorization" in the
 * webhook docs): the connection ends. Other athlete updates also just sync.
 */
export function parseStravaPush(request: PushRequest, config: Config): PushNotice[] {
  const expected = config.env.STRAVA_WEBHOOK_SUBSCRIPTION_ID;
  if (!expected) throw new ProviderError('STRAVA_WEBHOOK_SUBSCRIPTION_ID is not set, so no Strava event can be trusted', 'unauthorized');
  const event = parseEvent(request.body);
  if (!sameSecret(String(event.subscription_id ?? ''), expected))
    throw new ProviderError('subscription_id is not this install’s Strava subscription', 'unauthorized');
  const owner = event.owner_id;
  if ((typeof owner !== 'number' && typeof owner !== 'string') || !['activity', 'athlete'].includes(String(event.object_type))) return [];
  const updates = (event.updates ?? {}) as Record<string, unknown>;
  if (event.object_type === 'athlete' && String(updates.authorized) === 'false')
    return [{ externalUserId: String(owner), kind: 'revoked' }];
  return [{ externalUserId: String(owner) }];
}

export function stravaPushChallenge(request: PushRequest, config: Config): { status: number; body: string; contentType: string } | null {
  const { query } = request;
  const challenge = query.get('hub.challenge');
  if (query.get('hub.mode') !== 'subscribe' || !challenge) return null;
  const expected = config.env.STRAVA_WEBHOOK_VERIFY_TOKEN;
  if (!expected || !sameSecret(query.get('hub.verify_token') ?? '', expected)) {
    const message = 'hub.verify_token does not match STRAVA_WEBHOOK_VERIFY_TOKEN';
    return { status: 403, body: JSON.stringify({ statusCode: 403, error: 'Forbidden', message }), contentType: 'application/json' };
  }
  return { status: 200, body: JSON.stringify({ 'hub.challenge': challenge }), contentType: 'application/json' };
}
