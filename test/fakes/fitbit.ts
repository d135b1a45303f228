import { createHash, createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of the Fitbit Web API, written from its public reference (https://dev.fitbit.com/build/reference/web-api/):
 * - authorization/authorize, authorization/oauth2-token, authorization/revoke-token: code grant with PKCE (S256),
 *   Basic client authentication, single-use refresh tokens, `user_id` in the token response, RFC 7009 revoke;
 * - user/get-profile (timezone, offsetFromUTCMillis); developer-guide/application-design (times are local);
 * - intraday/get-heartrate-intraday-by-date (1d/1min, timezone=UTC);
 * - activity/get-daily-activity-summary (summary.steps, distances[] in km, floors, calories, active minutes);
 * - sleep/get-sleep-log-by-date-range (v1.2, levels.summary deep/light/rem/wake; range at most 100 days);
 * - activity/get-activity-log-list (afterDate, sort=asc, offset, limit, pagination.next);
 * - body/get-weight-log (date range at most 31 days, kg in the METRIC unit system);
 * - developer-guide/application-design → Rate Limits (429, Retry-After, Fitbit-Rate-Limit-* headers);
 * - developer-guide/using-subscriptions (notification array, X-Fitbit-Signature, verify code);
 * - subscription/create-subscription and delete-subscription: POST/DELETE
 *   /1/user/-/[collection-path]/apiSubscriptions/[subscription-id].json (collections activities, body, foods,
 *   sleep, userRevokedAccess; the collection's scope required; id at most 50 characters; one subscription per
 *   user's collection: 201 created, 200 for the same id again, 409 under another id; DELETE 204, 404 if none).
 *   Fitbit notifies only through subscriptions, so `notify` refuses to send for a collection nobody subscribed;
 *   a client that never subscribes hears nothing;
 * - troubleshooting-guide/error-messages (errors[] with errorType).
 * The fake user lives in Asia/Kolkata (UTC+05:30, no daylight saving), so local times are easy to check.
 */
export const FITBIT_CLIENT = { id: 'fitbit-client', secret: 'fitbit-secret' };
export const FITBIT_USER_ID = '7QX9ZP';
export const FITBIT_VERIFY_CODE = 'c0ffee-verify';
export const FITBIT_OFFSET_MS = 19_800_000;
const DAY = 86_400_000;
const SCOPES = ['activity', 'heartrate', 'sleep', 'weight', 'profile'];

/** A time on the fake user's wall clock, as Fitbit renders it: no offset. */
export const fitbitLocal = (at: number) => new Date(at + FITBIT_OFFSET_MS).toISOString().slice(0, 23);
const localDate = (at: number) => fitbitLocal(at).slice(0, 10);
const dayStart = (date: string) => Date.parse(`${date}T00:00:00Z`) - FITBIT_OFFSET_MS;
const datesBetween = (start: string, end: string) => {
  const out: string[] = [];
  for (let at = Date.parse(start); at <= Date.parse(end); at += DAY) out.push(new Date(at).toISOString().slice(0, 10));
  return out;
};

export interface FitbitWorkout {
  logId: number;
  start: number;
  minutes: number;
  name: string;
}

export interface FakeFitbit extends FakeServer {
  /** Answer the next N data requests with 429 and this Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Answer the next request whose path starts so with a page that breaks the documented shape. */
  malformNext(pathPrefix: string): void;
  /** Make every token invalid (the user removed the app in their Fitbit account). */
  revokeAll(): void;
  /** Tokens sent to the revoke endpoint. */
  revoked: string[];
  /** Access tokens issued so far (the first by the code grant, the rest by refreshes). */
  issued(): number;
  /** New data a later sync should find, as if the user just synced their tracker or scale. */
  addWorkout(workout: FitbitWorkout): void;
  addWeighIn(logId: number, at: number, kg: number): void;
  /**
   * POSTs a notification array to a subscriber URL as Fitbit does, signed, naming the collection's subscription;
   * throws when the collection has none (Fitbit would send nothing). `badSignature` forges one (no subscription needed).
   */
  notify(subscriberUrl: string, collectionType: string, options?: { badSignature?: boolean }): Promise<Response>;
  /** Subscriptions by collection: the id and the X-Fitbit-Subscriber-Id given (null: the default subscriber). */
  subscriptions: Map<string, { id: string; subscriber: string | null }>;
}

function fitbitError(response: ServerResponse, status: number, errorType: string, message: string, headers: Record<string, string> = {}) {
  json(response, status, { errors: [{ errorType, message }], success: false }, headers);
}

function heartRateDay(date: string, utc: boolean) {
  const start = utc ? Date.parse(`${date}T00:00:00Z`) : dayStart(date);
  const dataset = [];
  // One reading every 10 minutes up to now: a loosely worn tracker keeps the fixture small.
  for (let at = start; at < Math.min(start + DAY, Date.now()); at += 600_000) {
    const clock = new Date(utc ? at : at + FITBIT_OFFSET_MS).toISOString().slice(11, 19);
    dataset.push({ time: clock, value: 58 + Math.round((at / 600_000) % 30) });
  }
  return {
    'activities-heart': [
      {
        dateTime: date,
        value: {
          customHeartRateZones: [],
          heartRateZones: [{ name: 'Out of Range', min: 30, max: 99, minutes: 1200, caloriesOut: 1500 }],
          restingHeartRate: 57,
        },
      },
    ],
    'activities-heart-intraday': { dataset, datasetInterval: 1, datasetType: 'minute' },
  };
}

function daySummary(date: string) {
  const n = Number(date.slice(8, 10));
  return {
    activities: [],
    goals: { activeMinutes: 30, caloriesOut: 2500, distance: 8.05, floors: 10, steps: 10000 },
    summary: {
      steps: 8000 + n,
      floors: 12,
      elevation: 36.58,
      caloriesOut: 2450,
      activityCalories: 950,
      caloriesBMR: 1500,
      marginalCalories: 600,
      distances: [
        { activity: 'total', distance: 6.12 },
        { activity: 'tracker', distance: 6.12 },
        { activity: 'loggedActivities', distance: 0 },
      ],
      sedentaryMinutes: 700,
      lightlyActiveMinutes: 200,
      fairlyActiveMinutes: 25,
      veryActiveMinutes: 20,
      restingHeartRate: 57,
    },
  };
}

/** The night that ended on `date`: 23:30 the evening before until 07:00 local. */
function sleepLog(date: string) {
  const start = dayStart(date) - 30 * 60_000;
  return {
    dateOfSleep: date,
    duration: 27_000_000,
    efficiency: 92,
    isMainSleep: true,
    infoCode: 0,
    logType: 'auto_detected',
    type: 'stages',
    logId: 40_000 + Number(date.replaceAll('-', '').slice(2)),
    startTime: fitbitLocal(start),
    endTime: fitbitLocal(start + 27_000_000),
    minutesAfterWakeup: 0,
    minutesAsleep: 405,
    minutesAwake: 45,
    minutesToFallAsleep: 0,
    timeInBed: 450,
    levels: {
      summary: {
        deep: { count: 4, minutes: 80, thirtyDayAvgMinutes: 75 },
        light: { count: 22, minutes: 230, thirtyDayAvgMinutes: 220 },
        rem: { count: 6, minutes: 95, thirtyDayAvgMinutes: 90 },
        wake: { count: 18, minutes: 45, thirtyDayAvgMinutes: 50 },
      },
      data: [],
      shortData: [],
    },
  };
}

function activityLog(workout: FitbitWorkout) {
  const offset = '+05:30';
  return {
    logId: workout.logId,
    activityName: workout.name,
    activityTypeId: 90009,
    logType: 'auto_detected',
    startTime: `${fitbitLocal(workout.start)}${offset}`,
    originalStartTime: `${fitbitLocal(workout.start)}${offset}`,
    duration: workout.minutes * 60_000,
    activeDuration: workout.minutes * 60_000,
    originalDuration: workout.minutes * 60_000,
    calories: 420,
    distance: 6.5,
    distanceUnit: 'Kilometer',
    averageHeartRate: 148,
    elevationGain: 25,
    steps: 6200,
    source: { id: '310951265', name: 'Charge 6', type: 'tracker', url: 'https://www.fitbit.com/' },
    lastModified: new Date(workout.start).toISOString(),
  };
}

export async function startFakeFitbit(): Promise<FakeFitbit> {
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const revoked: string[] = [];
  const malformed = new Set<string>();
  const subscriptions = new Map<string, { id: string; subscriber: string | null }>();
  let limited = 0;
  let retryAfter = 1;
  let issuedCount = 0;
  const now = Date.now();
  // A run at 18:00 local on each of the last ten days, and weigh-ins every other morning.
  const workouts: FitbitWorkout[] = Array.from({ length: 10 }, (_, i) => ({
    logId: 50_000 + i,
    start: dayStart(localDate(now - (10 - i) * DAY)) + 18 * 3_600_000,
    minutes: 40,
    name: 'Run',
  }));
  const weighIns = Array.from({ length: 5 }, (_, i) => ({
    logId: 60_000 + i,
    at: dayStart(localDate(now - (9 - 2 * i) * DAY)) + 7.25 * 3_600_000,
    kg: 72.4 - i * 0.1,
  }));

  const clientOk = (header: string | undefined) =>
    header === `Basic ${Buffer.from(`${FITBIT_CLIENT.id}:${FITBIT_CLIENT.secret}`).toString('base64')}`;
  const issue = () => {
    issuedCount += 1;
    const access = `fitbit-access-${issuedCount}`;
    const refresh = `fitbit-refresh-${issuedCount}`;
    tokens.set(access, Date.now() + 60_000);
    refreshTokens.add(refresh);
    // Fitbit issues 8-hour tokens; 60 s puts every page inside VitaSync's refresh margin.
    return {
      access_token: access,
      refresh_token: refresh,
      expires_in: 60,
      scope: SCOPES.join(' '),
      token_type: 'Bearer',
      user_id: FITBIT_USER_ID,
    };
  };
  const rateHeaders = { 'fitbit-rate-limit-limit': '150', 'fitbit-rate-limit-remaining': '149', 'fitbit-rate-limit-reset': '1800' };

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    const q = url.searchParams;
    if (url.pathname === '/oauth2/authorize') {
      if (q.get('client_id') !== FITBIT_CLIENT.id || q.get('code_challenge_method') !== 'S256' || !q.get('code_challenge'))
        return fitbitError(response, 400, 'invalid_request', 'bad authorize request');
      const code = `fitbit-code-${codes.size + 1}`;
      codes.set(code, { challenge: q.get('code_challenge')!, redirectUri: q.get('redirect_uri')! });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/oauth2/token' || url.pathname === '/oauth2/revoke') {
      if (!clientOk(request.headers.authorization)) return fitbitError(response, 401, 'invalid_client', 'Invalid authorization header');
      const form = new URLSearchParams(request.body);
      if (url.pathname === '/oauth2/revoke') {
        revoked.push(form.get('token') ?? '');
        tokens.clear();
        refreshTokens.clear();
        return json(response, 200, {});
      }
      if (form.get('grant_type') === 'authorization_code') {
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        if (!grant || grant.redirectUri !== form.get('redirect_uri') || grant.challenge !== verifier)
          return fitbitError(response, 400, 'invalid_grant', 'Authorization code invalid');
        return json(response, 200, issue());
      }
      if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? ''))
        return json(response, 200, issue());
      return fitbitError(response, 400, 'invalid_grant', 'Refresh token invalid');
    }
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(bearer);
    if (!expiry || expiry < Date.now())
      return fitbitError(response, 401, expiry ? 'expired_token' : 'invalid_token', 'Access token invalid');
    if (limited > 0) {
      limited -= 1;
      return fitbitError(response, 429, 'system', 'Too Many Requests', {
        'retry-after': String(retryAfter),
        ...rateHeaders,
        'fitbit-rate-limit-remaining': '0',
        'fitbit-rate-limit-reset': String(retryAfter),
      });
    }
    const broken = [...malformed].find((prefix) => url.pathname.startsWith(prefix));
    if (broken) {
      malformed.delete(broken);
      return json(
        response,
        200,
        { 'activities-heart': [], 'activities-heart-intraday': { dataset: 'not a list' }, sleep: {}, activities: 7, weight: null },
        rateHeaders,
      );
    }
    let match: RegExpMatchArray | null;
    if ((match = /^\/1\/user\/-\/([A-Za-z]+)\/apiSubscriptions\/([^/]+)\.json$/.exec(url.pathname))) {
      const [, collection, id] = match as unknown as [string, string, string];
      const needs: Record<string, string | null> = {
        activities: 'activity',
        body: 'weight',
        foods: 'nutrition',
        sleep: 'sleep',
        userRevokedAccess: null,
      };
      if (!(collection in needs)) return fitbitError(response, 400, 'validation', `unknown collection ${collection}`);
      const scope = needs[collection];
      if (scope && !SCOPES.includes(scope))
        return fitbitError(response, 403, 'insufficient_scope', `${collection} requires the ${scope} scope`);
      if (id.length > 50) return fitbitError(response, 400, 'validation', 'subscription-id is longer than 50 characters');
      const existing = subscriptions.get(collection);
      const body = (subscriber: string | null) => ({
        collectionType: collection,
        ownerId: FITBIT_USER_ID,
        ownerType: 'user',
        subscriberId: subscriber ?? '1',
        subscriptionId: id,
      });
      if (request.method === 'POST') {
        if (existing && existing.id !== id) return fitbitError(response, 409, 'conflict', 'the collection is subscribed under another id');
        const subscriber = (request.headers['x-fitbit-subscriber-id'] as string | undefined) ?? null;
        if (existing) return json(response, 200, body(existing.subscriber));
        subscriptions.set(collection, { id, subscriber });
        return json(response, 201, body(subscriber));
      }
      if (request.method === 'DELETE') {
        if (!existing || existing.id !== id) return fitbitError(response, 404, 'not_found', 'no such subscription');
        subscriptions.delete(collection);
        response.writeHead(204).end();
        return;
      }
    }
    if (url.pathname === '/1/user/-/profile.json') {
      return json(
        response,
        200,
        {
          user: {
            encodedId: FITBIT_USER_ID,
            displayName: 'Asha',
            timezone: 'Asia/Kolkata',
            offsetFromUTCMillis: FITBIT_OFFSET_MS,
            locale: 'en_IN',
          },
        },
        rateHeaders,
      );
    }
    if ((match = url.pathname.match(/^\/1\/user\/-\/activities\/heart\/date\/(\d{4}-\d{2}-\d{2})\/1d\/1min\.json$/))) {
      return json(response, 200, heartRateDay(match[1]!, q.get('timezone') === 'UTC'), rateHeaders);
    }
    if ((match = url.pathname.match(/^\/1\/user\/-\/activities\/date\/(\d{4}-\d{2}-\d{2})\.json$/))) {
      return json(response, 200, daySummary(match[1]!), rateHeaders);
    }
    if ((match = url.pathname.match(/^\/1\.2\/user\/-\/sleep\/date\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})\.json$/))) {
      const dates = datesBetween(match[1]!, match[2]!);
      if (dates.length > 100) return fitbitError(response, 400, 'validation', 'The date range must not exceed 100 days');
      const sleep = dates.map(sleepLog).filter((log) => dayStart(log.dateOfSleep) + 7 * 3_600_000 <= Date.now());
      return json(
        response,
        200,
        { sleep, summary: { totalMinutesAsleep: sleep.length * 405, totalSleepRecords: sleep.length, totalTimeInBed: sleep.length * 450 } },
        rateHeaders,
      );
    }
    if ((match = url.pathname.match(/^\/1\/user\/-\/body\/log\/weight\/date\/(\d{4}-\d{2}-\d{2})\/(\d{4}-\d{2}-\d{2})\.json$/))) {
      const dates = datesBetween(match[1]!, match[2]!);
      if (dates.length > 31) return fitbitError(response, 400, 'validation', 'The date range must not exceed 31 days');
      const weight = weighIns
        .filter((w) => dates.includes(localDate(w.at)))
        .map((w) => ({
          logId: w.logId,
          date: localDate(w.at),
          time: fitbitLocal(w.at).slice(11, 19),
          weight: w.kg,
          bmi: 23.1,
          fat: 18.5,
          source: 'Aria',
        }));
      return json(response, 200, { weight }, rateHeaders);
    }
    if (url.pathname === '/1/user/-/activities/list.json') {
      const limit = Math.min(Number(q.get('limit')), 100);
      const offset = Number(q.get('offset'));
      if (q.get('sort') !== 'asc' || !q.get('afterDate') || !(limit > 0) || !(offset >= 0))
        return fitbitError(response, 400, 'validation', 'afterDate, sort=asc, offset and limit are required');
      // Two entries a page, so that a short test still walks pagination.next.
      const size = Math.min(limit, 2);
      const all = workouts
        .filter((w) => w.start >= dayStart(q.get('afterDate')!) && w.start + w.minutes * 60_000 <= Date.now())
        .sort((a, b) => a.start - b.start);
      const next =
        offset + size < all.length
          ? `http://${request.headers.host}/1/user/-/activities/list.json?${new URLSearchParams({ afterDate: q.get('afterDate')!, sort: 'asc', offset: String(offset + size), limit: String(limit) })}`
          : '';
      return json(
        response,
        200,
        {
          activities: all.slice(offset, offset + size).map(activityLog),
          pagination: { afterDate: q.get('afterDate'), limit, next, offset, previous: '', sort: 'asc' },
        },
        rateHeaders,
      );
    }
    return fitbitError(response, 404, 'not_found', 'The API you are requesting could not be found.');
  });

  return Object.assign(server, {
    rateLimitNext(count: number, seconds: number) {
      limited = count;
      retryAfter = seconds;
    },
    malformNext: (pathPrefix: string) => void malformed.add(pathPrefix),
    revokeAll() {
      tokens.clear();
      refreshTokens.clear();
    },
    revoked,
    issued: () => issuedCount,
    addWorkout: (workout: FitbitWorkout) => void workouts.push(workout),
    addWeighIn: (logId: number, at: number, kg: number) => void weighIns.push({ logId, at, kg }),
    subscriptions,
    notify(subscriberUrl: string, collectionType: string, options: { badSignature?: boolean } = {}) {
      const subscription = subscriptions.get(collectionType);
      if (!subscription && !options.badSignature) throw new Error(`no ${collectionType} subscription: Fitbit would notify nothing`);
      const body = JSON.stringify([
        {
          collectionType,
          date: localDate(Date.now()),
          ownerId: FITBIT_USER_ID,
          ownerType: 'user',
          subscriptionId: subscription?.id ?? `${FITBIT_USER_ID}-${collectionType}`,
        },
      ]);
      const key = `${options.badSignature ? 'not-the-secret' : FITBIT_CLIENT.secret}&`;
      const signature = createHmac('sha1', key).update(body).digest('base64');
      return fetch(subscriberUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fitbit-signature': signature },
        body,
      });
    },
  });
}
