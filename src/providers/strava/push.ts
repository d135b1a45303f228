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

/** What a Strava activity event asks the sync that follows to do (NoticeContent.payload of stream "activity"). */
export interface StravaActivityNotice {
  activityId: string;
  aspect: 'create' | 'update' | 'delete';
}

export const STRAVA_ACTIVITY_STREAM = 'activity';
const ASPECTS = ['create', 'update', 'delete'] as const;

/**
 * Per the Webhook Events API's "Event Data": an activity event names the activity (`object_id`) and what happened
 * to it (`aspect_type` create, update or delete; an update's `updates` say which of title, type and private
 * changed, and nothing else), and "if additional information about the object is required, an application must
 * decide how or if it wants to fetch" it. So each activity event becomes a notice the sync reads through
 * readNotice: create and update fetch the activity (Get Activity) and store it over the old version, delete
 * removes what the activity brought. An athlete event whose updates say authorized "false" is the athlete
 * revoking our access ("Deauthorization"): the connection ends. Other athlete events concern the profile, none of
 * our data: nothing to do.
 */
export function parseStravaPush(request: PushRequest, config: Config): PushNotice[] {
  const expected = config.env.STRAVA_WEBHOOK_SUBSCRIPTION_ID;
  if (!expected) throw new ProviderError('STRAVA_WEBHOOK_SUBSCRIPTION_ID is not set, so no Strava event can be trusted', 'unauthorized');
  const event = parseEvent(request.body);
  if (!sameSecret(String(event.subscription_id ?? ''), expected))
    throw new ProviderError('subscription_id is not this install’s Strava subscription', 'unauthorized');
  const owner = event.owner_id;
  if (typeof owner !== 'number' && typeof owner !== 'string') return [];
  const externalUserId = String(owner);
  const updates = (event.updates ?? {}) as Record<string, unknown>;
  if (event.object_type === 'athlete') return String(updates.authorized) === 'false' ? [{ externalUserId, kind: 'revoked' }] : [];
  const aspect = ASPECTS.find((known) => known === event.aspect_type);
  const id = event.object_id;
  if (event.object_type !== 'activity' || !aspect || !/^\d{1,20}$/.test(String(id ?? ''))) return [];
  const payload: StravaActivityNotice = { activityId: String(id), aspect };
  return [{ externalUserId, content: { stream: STRAVA_ACTIVITY_STREAM, payload } }];
}

/** A stored notice's payload, as parseStravaPush wrote it. */
export function stravaActivityNotice(payload: unknown): StravaActivityNotice {
  const notice = (payload ?? {}) as Partial<StravaActivityNotice>;
  if (!/^\d{1,20}$/.test(String(notice.activityId ?? '')) || !ASPECTS.includes(notice.aspect as never))
    throw new ProviderError('a stored Strava notice names no activity and aspect', 'invalid_response');
  return notice as StravaActivityNotice;
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
