import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of Strava's OAuth endpoints, API v3 activity list and webhook deliveries, following:
 * - https://developers.strava.com/docs/authentication/ (authorize with comma-separated scope and approval_prompt,
 *   POST /oauth/token with client_id/client_secret in the body, expires_at in epoch seconds, the athlete on the
 *   code grant only, POST /oauth/deauthorize with access_token);
 * - https://developers.strava.com/docs/reference/#api-Activities-getLoggedInAthleteActivities (after/before epoch
 *   seconds, page/per_page, SummaryActivity fields in metres and seconds);
 * - https://developers.strava.com/docs/rate-limits/ (429 with X-RateLimit-Limit/X-RateLimit-Usage; Retry-After is
 *   not documented, so the fake sends it only when asked);
 * - https://developers.strava.com/docs/reference/#api-Activities-getActivityById (Get Activity: a DetailedActivity,
 *   resource_state 3, with `calories` and `description` the list never has; 404 "Record Not Found" for an activity
 *   that is not there);
 * - https://developers.strava.com/docs/webhooks/ (event body, subscription check with hub.* parameters; "Event
 *   Data": activity create, update and delete events, an update's `updates` naming title, type or private).
 * Consent is automatic (the fake athlete accepts every requested scope).
 */
export const STRAVA_CLIENT = { id: '51234', secret: 'strava-secret' };
export const STRAVA_ATHLETE_ID = 134815;
export const STRAVA_WEBHOOK = { subscriptionId: '120475', verifyToken: 'strava-verify-token' };

export interface StravaActivityFixture {
  id: number;
  name: string;
  sport_type: string;
  start_date: string;
  elapsed_time: number;
  moving_time: number;
  distance: number;
  total_elevation_gain: number;
  average_heartrate?: number;
  max_heartrate?: number;
  kilojoules?: number;
  /** Only in the DetailedActivity of Get Activity. */
  calories?: number;
  device_name?: string;
}

export interface FakeStrava extends FakeServer {
  /** The athlete's activities; tests add new ones before a push. */
  activities: StravaActivityFixture[];
  /** The athlete edits an activity on Strava (title, sport type…); a test then sends the update event. */
  editActivity(id: number, fields: Partial<StravaActivityFixture>): void;
  /** The athlete deletes an activity on Strava; a test then sends the delete event. */
  deleteActivity(id: number): void;
  /** Answer the next N data requests with 429, with Retry-After when given. */
  rateLimitNext(count: number, retryAfterSeconds: number | null): void;
  /** Answer the next N activity pages with a row that lacks start_date and elapsed_time. */
  malformNext(count: number): void;
  /** Make every token invalid (the athlete revoked access in Strava's settings). */
  revokeAll(): void;
  /** Access tokens deauthorized through POST /oauth/deauthorize. */
  deauthorized: string[];
  /** Access tokens issued so far (the first by the code grant, the rest by refreshes). */
  issued(): number;
}

const DAY = 86_400_000;
const stravaTime = (at: number) => new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function stravaActivity(
  id: number,
  sportType: string,
  startAt: number,
  fields: Partial<StravaActivityFixture> = {},
): StravaActivityFixture {
  return {
    id,
    name: `${sportType} ${id}`,
    sport_type: sportType,
    start_date: stravaTime(startAt),
    elapsed_time: 3600,
    moving_time: 3500,
    distance: 0,
    total_elevation_gain: 0,
    ...fields,
  };
}

/** Five activities in the last four days and one twenty days ago, before any window a test syncs. */
function seedActivities(now: number): StravaActivityFixture[] {
  return [
    stravaActivity(9001, 'Ride', now - 20 * DAY, { distance: 30_000, kilojoules: 700 }),
    stravaActivity(9002, 'TrailRun', now - 4 * DAY, {
      distance: 12_500.5,
      elapsed_time: 5400,
      total_elevation_gain: 480,
      average_heartrate: 148.2,
      max_heartrate: 176,
    }),
    stravaActivity(9003, 'Swim', now - 2.5 * DAY, { distance: 1500, elapsed_time: 2400, moving_time: 2200 }),
    stravaActivity(9004, 'Run', now - 2 * DAY, {
      distance: 10_012.4,
      elapsed_time: 3000,
      total_elevation_gain: 35,
      average_heartrate: 155.1,
      max_heartrate: 181,
    }),
    stravaActivity(9005, 'WeightTraining', now - 1.5 * DAY, { average_heartrate: 110, max_heartrate: 140 }),
    stravaActivity(9006, 'MountainBikeRide', now - DAY, {
      distance: 42_195.3,
      elapsed_time: 5400,
      moving_time: 5100,
      total_elevation_gain: 412,
      kilojoules: 1234.5,
      average_heartrate: 142.3,
      max_heartrate: 171,
      device_name: 'Garmin Edge 530',
    }),
  ];
}

/** What GET /athlete/activities answers for a stored activity: a SummaryActivity (resource_state 2, no calories). */
function summary(activity: StravaActivityFixture) {
  const hasHeartrate = activity.average_heartrate !== undefined;
  const { calories: _detailOnly, ...fields } = activity;
  return {
    resource_state: 2,
    athlete: { id: STRAVA_ATHLETE_ID, resource_state: 1 },
    ...fields,
    type: activity.sport_type.replace(/^(MountainBike|Gravel|EBike)Ride$/, 'Ride').replace(/^TrailRun$/, 'Run'),
    workout_type: null,
    start_date_local: activity.start_date,
    timezone: '(GMT+00:00) Europe/London',
    utc_offset: 0,
    trainer: false,
    commute: false,
    manual: false,
    private: false,
    average_speed: activity.moving_time ? Math.round((activity.distance / activity.moving_time) * 1000) / 1000 : 0,
    device_watts: false,
    has_heartrate: hasHeartrate,
  };
}

/**
 * What Get Activity answers: a DetailedActivity (resource_state 3), the summary's fields plus `calories` (kcal,
 * which Strava estimates for every activity it has enough data for), `description` and the segment efforts.
 */
function detailed(activity: StravaActivityFixture) {
  return {
    ...summary(activity),
    resource_state: 3,
    description: null,
    calories: activity.calories ?? (activity.kilojoules !== undefined ? Math.round(activity.kilojoules * 1.1) : 0),
    segment_efforts: [],
    splits_metric: [],
    laps: [],
    gear: null,
    photos: { primary: null, count: 0 },
  };
}

function activityPage(activities: StravaActivityFixture[], query: URLSearchParams, maxPerPage: number) {
  const after = query.has('after') ? Number(query.get('after')) : -Infinity;
  const before = query.has('before') ? Number(query.get('before')) : Infinity;
  const perPage = Math.min(Number(query.get('per_page') ?? 30), 200, maxPerPage);
  const page = Number(query.get('page') ?? 1);
  const rows = activities
    .filter((a) => Date.parse(a.start_date) / 1000 > after && Date.parse(a.start_date) / 1000 < before)
    // With `after` Strava lists oldest first; otherwise newest first.
    .sort((a, b) => (query.has('after') ? 1 : -1) * (Date.parse(a.start_date) - Date.parse(b.start_date)));
  return rows.slice((page - 1) * perPage, page * perPage).map(summary);
}

const error = (resource: string, field: string, code: string, message: string) => ({ message, errors: [{ resource, field, code }] });

/** `maxPerPage` makes pages shorter than per_page, so a test walks several pages with a handful of activities. */
export async function startFakeStrava(options: { maxPerPage?: number } = {}): Promise<FakeStrava> {
  const activities = seedActivities(Date.now());
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const codes = new Set<string>();
  const deauthorized: string[] = [];
  let limited = 0;
  let retryAfter: number | null = null;
  let malformed = 0;
  let issuedCount = 0;
  let usage = 0;

  const issue = (withAthlete: boolean) => {
    issuedCount += 1;
    const access = `strava-access-${issuedCount}`;
    const refresh = `strava-refresh-${issuedCount}`;
    // Short-lived on purpose (Strava's live six hours): VitaSync refreshes tokens within five minutes of expiry.
    const expiresAt = Math.floor(Date.now() / 1000) + 60;
    tokens.set(access, expiresAt * 1000);
    refreshTokens.add(refresh);
    const athlete = { id: STRAVA_ATHLETE_ID, username: 'fake_athlete', resource_state: 2, firstname: 'Fake', lastname: 'Athlete' };
    return {
      token_type: 'Bearer',
      expires_at: expiresAt,
      expires_in: 60,
      refresh_token: refresh,
      access_token: access,
      ...(withAthlete ? { athlete } : {}),
    };
  };

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    const form = new URLSearchParams(request.body);
    if (url.pathname === '/oauth/authorize') {
      const q = url.searchParams;
      if (q.get('client_id') !== STRAVA_CLIENT.id || q.get('response_type') !== 'code')
        return json(response, 400, error('Application', 'client_id', 'invalid', 'Bad Request'));
      const code = `strava-code-${codes.size + 1}`;
      codes.add(code);
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('state', q.get('state') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('scope', q.get('scope') ?? 'read');
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/oauth/token' && request.method === 'POST') {
      if (form.get('client_id') !== STRAVA_CLIENT.id || form.get('client_secret') !== STRAVA_CLIENT.secret)
        return json(response, 400, error('Application', 'client_id', 'invalid', 'Bad Request'));
      if (form.get('grant_type') === 'authorization_code' && codes.delete(form.get('code') ?? '')) return json(response, 200, issue(true));
      if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? ''))
        return json(response, 200, issue(false));
      return json(response, 400, error('RefreshToken', 'refresh_token', 'invalid', 'Bad Request'));
    }
    if (url.pathname === '/oauth/deauthorize' && request.method === 'POST') {
      const token = form.get('access_token') ?? url.searchParams.get('access_token') ?? '';
      deauthorized.push(token);
      if (!tokens.has(token)) return json(response, 401, error('Athlete', 'access_token', 'invalid', 'Authorization Error'));
      tokens.clear();
      refreshTokens.clear();
      return json(response, 200, { access_token: token });
    }
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(bearer);
    if (!expiry || expiry < Date.now()) return json(response, 401, error('Athlete', 'access_token', 'invalid', 'Authorization Error'));
    usage += 1;
    const rateHeaders: Record<string, string> = { 'x-ratelimit-limit': '200,2000', 'x-ratelimit-usage': `${usage},${usage}` };
    if (limited > 0) {
      limited -= 1;
      return json(response, 429, error('Application', 'rate limit', 'exceeded', 'Rate Limit Exceeded'), {
        ...rateHeaders,
        ...(retryAfter !== null ? { 'retry-after': String(retryAfter) } : {}),
      });
    }
    if (url.pathname === '/api/v3/athlete/activities' && request.method === 'GET') {
      if (malformed > 0) {
        malformed -= 1;
        return json(response, 200, [{ id: 1, name: 'half an activity', resource_state: 2 }], rateHeaders);
      }
      return json(response, 200, activityPage(activities, url.searchParams, options.maxPerPage ?? 200), rateHeaders);
    }
    const one = /^\/api\/v3\/activities\/(\d+)$/.exec(url.pathname);
    if (one && request.method === 'GET') {
      // Get Activity: the athlete's activity in full; one deleted (or never there) is 404 "Record Not Found".
      const activity = activities.find((a) => String(a.id) === one[1]);
      if (!activity) return json(response, 404, error('Activity', 'id', 'invalid', 'Record Not Found'), rateHeaders);
      return json(response, 200, detailed(activity), rateHeaders);
    }
    return json(response, 404, error('Path', 'path', 'invalid', 'Record Not Found'), rateHeaders);
  });
  return Object.assign(server, {
    activities,
    editActivity(id: number, fields: Partial<StravaActivityFixture>) {
      const activity = activities.find((a) => a.id === id);
      if (!activity) throw new Error(`no Strava activity ${id}`);
      Object.assign(activity, fields);
    },
    deleteActivity(id: number) {
      const index = activities.findIndex((a) => a.id === id);
      if (index < 0) throw new Error(`no Strava activity ${id}`);
      activities.splice(index, 1);
    },
    rateLimitNext(count: number, seconds: number | null) {
      limited = count;
      retryAfter = seconds;
    },
    malformNext(count: number) {
      malformed = count;
    },
    revokeAll() {
      tokens.clear();
      refreshTokens.clear();
    },
    deauthorized,
    issued: () => issuedCount,
  });
}

/**
 * Strava's webhook delivery ("Event Data": object_type, object_id, aspect_type, updates, owner_id, subscription_id,
 * event_time): an event for our subscription, or with `forged`, one naming another subscription. An activity
 * update's `updates` carry the changed title, type or private ("true"/"false"); a delete's are empty.
 */
export function sendStravaPush(
  vitasyncUrl: string,
  event: {
    ownerId: number;
    objectId: number;
    objectType?: 'activity' | 'athlete';
    aspectType?: 'create' | 'update' | 'delete';
    updates?: Record<string, string>;
  },
  options: { forged?: boolean } = {},
): Promise<Response> {
  const body = {
    aspect_type: event.aspectType ?? 'create',
    event_time: Math.floor(Date.now() / 1000),
    object_id: event.objectId,
    object_type: event.objectType ?? 'activity',
    owner_id: event.ownerId,
    subscription_id: options.forged ? 999_999 : Number(STRAVA_WEBHOOK.subscriptionId),
    updates: event.updates ?? {},
  };
  return fetch(`${vitasyncUrl}/v1/providers/strava/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** Strava's subscription check: a GET the callback must answer with {"hub.challenge": …}. */
export function checkStravaSubscription(
  vitasyncUrl: string,
  verifyToken: string,
  challenge = '15f7d1a91c1f40f8a748fd134752feb3',
): Promise<Response> {
  const query = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.challenge': challenge, 'hub.verify_token': verifyToken });
  return fetch(`${vitasyncUrl}/v1/providers/strava/push?${query}`);
}
