import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of the Google Health API v4 and Google's OAuth 2.0 endpoints, after these pages:
 * - developers.google.com/identity/protocols/oauth2/web-server: /o/oauth2/v2/auth (code, PKCE S256,
 *   access_type=offline and prompt=consent for a refresh token), POST /token (client_id and client_secret in the
 *   form; a refresh answers a new access token and no new refresh token: Google does not rotate them), POST
 *   /revoke with the token in the form;
 * - developers.google.com/health (data types table: kebab-case ids in URLs, snake_case in filters; scopes
 *   googlehealth.activity_and_fitness.readonly for steps and distance, …health_metrics_and_measurements.readonly
 *   for weight and heart rate) and REST reference users.dataTypes.dataPoints.list ({ dataPoints, nextPageToken },
 *   pageSize, pageToken, an AIP-160 `filter` on the type's time field) and users.getIdentity ({ healthUserId });
 * - int64 fields (steps.count, heartRate.beatsPerMinute) written as JSON strings, per the proto3 JSON mapping;
 *   distance in millimetres, weight in grams;
 * - errors as { error: { code, message, status } } (Google's JSON error format): 401 UNAUTHENTICATED, 403
 *   PERMISSION_DENIED for a type whose scope was not granted, 400 INVALID_ARGUMENT for a malformed filter;
 * - developers.google.com/health/webhooks and projects.subscribers: the endpoint check (two POSTs of
 *   {"type":"verification"}, 201 expected with the secret in Authorization, 401/403 without), then
 *   notifications { data: { healthUserId, operation, dataType, intervals } } signed in X-HEALTHAPI-SIGNATURE
 *   (ECDSA P-256 over the JSON payload). Google's key is not published; the fake makes its own pair and hands
 *   the public half to the test (`publicKeyPem`), as an operator would set GOOGLE_HEALTH_PUBLIC_KEY.
 * - the session data types (developers.google.com/health/data-types/sleep and …/workouts; REST reference
 *   users.dataTypes.dataPoints.list and the DataPoint's `sleep` / `exercise` members): pageSize "for exercise and
 *   sleep … default 25 … maximum 25", larger values truncated; sleep filtered on `sleep.interval.end_time` only
 *   (sleep is excluded from the session start-time pattern; any other member is 400 INVALID_ARGUMENT), exercise on
 *   `exercise.interval.civil_start_time` (the user's local date-time, no zone); a Sleep with interval (and
 *   startUtcOffset/endUtcOffset as Duration strings), type STAGES | CLASSIC, metadata { nap, mainSleep }, stages
 *   [{ startTime, endTime, type }] and an output-only summary whose minutes are int64, i.e. JSON strings; an
 *   Exercise with exerciseType, displayName, activeDuration ("2580s") and metricsSummary (distanceMillimeters,
 *   caloriesKcal, elevationGainMillimeters as numbers; averageHeartRateBeatsPerMinute and steps as int64 strings).
 * Consent is automatic. Steps every 15 minutes, heart rate every 10, a weigh-in at 07:00 UTC each day; in the
 * user's zone (UTC+9 unless `utcOffsetHours` says otherwise) a staged night from 23:10 to 06:55 local, a classic
 * 40-minute nap at 14:00 local every other day and a 45-minute run at 18:00 local each day.
 */
export const GOOGLE_CLIENT = { id: 'google-client.apps.googleusercontent.com', secret: 'google-secret' };
export const GOOGLE_HEALTH_USER_ID = '3d8e2f7a-health-user';
const SCOPE_PREFIX = 'https://www.googleapis.com/auth/googlehealth.';
const DAY = 86_400_000;

export interface FakeGoogleHealth extends FakeServer {
  publicKeyPem: string;
  /** Answer the next N data requests with 429 and this Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  revokeAll(): void;
  revoked: string[];
  issued(): number;
  /** Steps the user just walked (a point ending now), for an incremental sync to find. */
  addSteps(count: number): string;
  /** The endpoint check Google runs when the subscriber is created: both answers, with and without the secret. */
  verifyEndpoint(endpointUri: string, secret: string): Promise<{ withSecret: number; without: number }>;
  /** A notification as Google sends it, signed with the fake's key (or another, to forge one). */
  notify(
    endpointUri: string,
    data: { dataType: string; operation?: string; healthUserId?: string },
    options?: { forge?: boolean },
  ): Promise<Response>;
}

/** The fake user's night, as [minutes from 23:10 local, stage, length in minutes]: 430 minutes asleep of 465 in bed. */
export const NIGHT_STAGES: [string, number][] = [
  ['AWAKE', 15],
  ['LIGHT', 120],
  ['DEEP', 90],
  ['REM', 120],
  ['LIGHT', 100],
  ['AWAKE', 20],
];
const MINUTE = 60_000;

const googleError = (code: number, status: string, message: string) => ({ error: { code, message, status } });

interface Point {
  name: string;
  at: number;
  end?: number;
  body: Record<string, unknown>;
}

function generated(type: string, from: number, to: number): Point[] {
  const points: Point[] = [];
  const source = { device: { displayName: 'Pixel Watch 3' }, platform: 'FITBIT' };
  if (type === 'steps' || type === 'distance') {
    for (let at = Math.ceil(from / 900_000) * 900_000; at < to && at + 900_000 <= Date.now(); at += 900_000) {
      const count = 100 + ((at / 900_000) % 50);
      const interval = { startTime: new Date(at).toISOString(), endTime: new Date(at + 900_000).toISOString() };
      points.push(
        type === 'steps'
          ? { name: `steps-${at}`, at, body: { dataSource: source, steps: { interval, count: String(count) } } }
          : { name: `distance-${at}`, at, body: { dataSource: source, distance: { interval, millimeters: count * 750 } } },
      );
    }
  }
  if (type === 'heart-rate') {
    for (let at = Math.ceil(from / 600_000) * 600_000; at < to && at <= Date.now(); at += 600_000) {
      const bpm = 58 + ((at / 600_000) % 30);
      points.push({
        name: `hr-${at}`,
        at,
        body: { dataSource: source, heartRate: { sampleTime: { physicalTime: new Date(at).toISOString() }, beatsPerMinute: String(bpm) } },
      });
    }
  }
  if (type === 'weight') {
    for (let day = Math.floor(from / DAY) * DAY; day < to; day += DAY) {
      const at = day + 7 * 3_600_000;
      if (at < from || at >= to || at > Date.now()) continue;
      points.push({
        name: `weight-${day}`,
        at,
        body: {
          dataSource: { platform: 'HEALTH_CONNECT' },
          weight: { sampleTime: { physicalTime: new Date(at).toISOString() }, weightGrams: 71_500 + ((day / DAY) % 7) * 100 },
        },
      });
    }
  }
  return points;
}

/** Sleep and exercise sessions whose local day (UTC + offset) starts at `localDay` (epoch ms of local midnight, as UTC). */
function sessionsOfDay(type: 'sleep' | 'exercise', localDay: number, offsetMs: number): Point[] {
  const source = { device: { displayName: 'Pixel Watch 3' }, platform: 'FITBIT' };
  const offset = `${offsetMs / 1000}s`;
  const iso = (localMs: number) => new Date(localMs - offsetMs).toISOString();
  const dayNumber = Math.round(localDay / DAY);
  const points: Point[] = [];
  if (type === 'sleep') {
    // The night that begins this local day at 23:10 and ends the next morning at 06:55.
    let at = localDay + (23 * 60 + 10) * MINUTE;
    const start = at;
    const stages = NIGHT_STAGES.map(([stage, minutes]) => {
      const segment = {
        startTime: iso(at),
        startUtcOffset: offset,
        endTime: iso(at + minutes * MINUTE),
        endUtcOffset: offset,
        type: stage,
      };
      at += minutes * MINUTE;
      return segment;
    });
    points.push({
      name: `sleep-${dayNumber}`,
      at: start - offsetMs,
      end: at - offsetMs,
      body: {
        dataSource: source,
        sleep: {
          interval: { startTime: iso(start), startUtcOffset: offset, endTime: iso(at), endUtcOffset: offset },
          type: 'STAGES',
          metadata: { nap: false, mainSleep: true, processed: true },
          stages,
          summary: { minutesAsleep: '430', minutesAwake: '35', minutesInSleepPeriod: '465', minutesToFallAsleep: '15' },
        },
      },
    });
    if (dayNumber % 2 === 0) {
      const napStart = localDay + 14 * 60 * MINUTE;
      points.push({
        name: `nap-${dayNumber}`,
        at: napStart - offsetMs,
        end: napStart + 40 * MINUTE - offsetMs,
        body: {
          dataSource: source,
          sleep: {
            interval: { startTime: iso(napStart), startUtcOffset: offset, endTime: iso(napStart + 40 * MINUTE), endUtcOffset: offset },
            type: 'CLASSIC',
            metadata: { nap: true, mainSleep: false },
            stages: [
              { startTime: iso(napStart), endTime: iso(napStart + 5 * MINUTE), type: 'RESTLESS' },
              { startTime: iso(napStart + 5 * MINUTE), endTime: iso(napStart + 40 * MINUTE), type: 'ASLEEP' },
            ],
            summary: { minutesAsleep: '35', minutesAwake: '5', minutesInSleepPeriod: '40' },
          },
        },
      });
    }
  } else {
    const start = localDay + 18 * 60 * MINUTE;
    points.push({
      name: `exercise-${dayNumber}`,
      at: start - offsetMs,
      end: start + 45 * MINUTE - offsetMs,
      body: {
        dataSource: source,
        exercise: {
          interval: { startTime: iso(start), startUtcOffset: offset, endTime: iso(start + 45 * MINUTE), endUtcOffset: offset },
          exerciseType: 'RUNNING',
          displayName: 'Evening run',
          activeDuration: '2580s',
          metricsSummary: {
            distanceMillimeters: 8_012_500,
            caloriesKcal: 520.5,
            elevationGainMillimeters: 45_000,
            averageHeartRateBeatsPerMinute: '152',
            steps: '7200',
          },
        },
      },
    });
  }
  return points;
}

const SESSION_FILTERS = {
  // Physical end time, RFC 3339: a night is found by when it ended.
  sleep: /^sleep\.interval\.end_time >= "([^"]+)" AND sleep\.interval\.end_time < "([^"]+)"$/,
  // Civil start time, YYYY-MM-DD[THH:mm:ss] with no zone: the user's own clock.
  exercise:
    /^exercise\.interval\.civil_start_time >= "(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?)" AND exercise\.interval\.civil_start_time < "(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}:\d{2})?)"$/,
};

const FILTER_KEYS: Record<string, string> = {
  steps: 'steps.interval.start_time',
  distance: 'distance.interval.start_time',
  'heart-rate': 'heart_rate.sample_time.physical_time',
  weight: 'weight.sample_time.physical_time',
};
const SCOPE_OF: Record<string, string> = {
  steps: 'activity_and_fitness',
  distance: 'activity_and_fitness',
  'heart-rate': 'health_metrics_and_measurements',
  weight: 'health_metrics_and_measurements',
};

/** The [from, to) of an AIP-160 filter `member >= "t1" AND member < "t2"`, or null when it is not one. */
function filterBounds(type: string, filter: string | null): [number, number] | null {
  const member = FILTER_KEYS[type]!.replace(/\./g, '\\.');
  const match = new RegExp(`^${member} >= "([^"]+)" AND ${member} < "([^"]+)"$`).exec(filter ?? '');
  if (!match) return null;
  const [from, to] = [Date.parse(match[1]!), Date.parse(match[2]!)];
  return Number.isNaN(from) || Number.isNaN(to) ? null : [from, to];
}

export async function startFakeGoogleHealth(options: { utcOffsetHours?: number } = {}): Promise<FakeGoogleHealth> {
  const offsetMs = (options.utcOffsetHours ?? 9) * 3_600_000;
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const forger: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const codes = new Map<string, { challenge: string; redirectUri: string; scopes: string[] }>();
  const tokens = new Map<string, { expiry: number; scopes: string[] }>();
  const refreshTokens = new Map<string, string[]>();
  const revoked: string[] = [];
  const extra: Point[] = [];
  let issuedCount = 0;
  let limited = 0;
  let retryAfter = 1;

  const issue = (scopes: string[], withRefresh: boolean) => {
    issuedCount += 1;
    const access = `ya29.fake-${issuedCount}`;
    tokens.set(access, { expiry: Date.now() + 60_000, scopes });
    const refresh = withRefresh ? `1//fake-refresh-${issuedCount}` : null;
    if (refresh) refreshTokens.set(refresh, scopes);
    return {
      access_token: access,
      expires_in: 60,
      token_type: 'Bearer',
      scope: scopes.join(' '),
      ...(refresh ? { refresh_token: refresh } : {}),
    };
  };

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    const q = url.searchParams;
    if (url.pathname === '/o/oauth2/v2/auth') {
      if (q.get('client_id') !== GOOGLE_CLIENT.id || q.get('response_type') !== 'code' || q.get('code_challenge_method') !== 'S256')
        return json(response, 400, { error: 'invalid_request' });
      const code = `4/fake-code-${codes.size + 1}`;
      // Without access_type=offline (and prompt=consent after the first time) Google sends no refresh token.
      const scopes = (q.get('scope') ?? '').split(' ').filter(Boolean);
      codes.set(code, { challenge: q.get('code_challenge')!, redirectUri: q.get('redirect_uri')!, scopes });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state')!);
      if (q.get('access_type') !== 'offline' || q.get('prompt') !== 'consent') back.searchParams.set('fake_note', 'no-refresh');
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const form = new URLSearchParams(request.body);
      if (form.get('client_id') !== GOOGLE_CLIENT.id || form.get('client_secret') !== GOOGLE_CLIENT.secret)
        return json(response, 401, { error: 'invalid_client', error_description: 'The OAuth client was not found.' });
      if (form.get('grant_type') === 'authorization_code') {
        const grant = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = createHash('sha256')
          .update(form.get('code_verifier') ?? '')
          .digest('base64url');
        if (!grant || grant.redirectUri !== form.get('redirect_uri') || grant.challenge !== verifier)
          return json(response, 400, { error: 'invalid_grant', error_description: 'Bad Request' });
        return json(response, 200, issue(grant.scopes, true));
      }
      const scopes = refreshTokens.get(form.get('refresh_token') ?? '');
      if (form.get('grant_type') === 'refresh_token' && scopes) return json(response, 200, issue(scopes, false));
      return json(response, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
    }
    if (url.pathname === '/revoke' && request.method === 'POST') {
      const token = new URLSearchParams(request.body).get('token') ?? '';
      revoked.push(token);
      tokens.clear();
      refreshTokens.clear();
      return json(response, 200, {});
    }
    const granted = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!granted || granted.expiry < Date.now())
      return json(response, 401, googleError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.'));
    if (url.pathname === '/v4/users/me/identity')
      return json(response, 200, { name: 'users/me/identity', healthUserId: GOOGLE_HEALTH_USER_ID });
    if (limited > 0) {
      limited -= 1;
      return json(response, 429, googleError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded'), { 'retry-after': String(retryAfter) });
    }
    const match = /^\/v4\/users\/me\/dataTypes\/([a-z-]+)\/dataPoints$/.exec(url.pathname);
    const type = match?.[1];
    if (type === 'sleep' || type === 'exercise') {
      const scope = type === 'sleep' ? 'sleep' : 'activity_and_fitness';
      if (!granted.scopes.some((s) => s.startsWith(`${SCOPE_PREFIX}${scope}`)))
        return json(response, 403, googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.'));
      const bounds = SESSION_FILTERS[type].exec(q.get('filter') ?? '');
      // Sleep bounds are RFC 3339 instants; exercise bounds are civil times, read here as UTC clock readings.
      const read = (literal: string) => Date.parse(type === 'sleep' ? literal : `${literal}Z`);
      const [from, to] = bounds ? [read(bounds[1]!), read(bounds[2]!)] : [NaN, NaN];
      if (Number.isNaN(from) || Number.isNaN(to)) {
        const member = type === 'sleep' ? 'sleep.interval.end_time' : 'exercise.interval.civil_start_time';
        return json(response, 400, googleError(400, 'INVALID_ARGUMENT', `Invalid data point filter: ${type} is filtered on ${member}`));
      }
      // Sleep bounds are instants; exercise bounds are local clock readings, compared with the local start.
      const localFrom = type === 'sleep' ? from + offsetMs : from;
      const points: Point[] = [];
      for (let day = Math.floor((localFrom - 2 * DAY) / DAY) * DAY; day < to + offsetMs + DAY; day += DAY)
        points.push(...sessionsOfDay(type, day, offsetMs));
      const found = points
        .filter((p) => p.end! <= Date.now())
        .filter((p) => (type === 'sleep' ? p.end! >= from && p.end! < to : p.at + offsetMs >= from && p.at + offsetMs < to))
        .sort((a, b) => b.at - a.at);
      // At most 25 a page whatever pageSize asks; and, on purpose, 3: fewer than asked, so a short page is not the end.
      const size = Math.min(Number(q.get('pageSize') ?? 25) || 25, 25, 3);
      const start = Number(q.get('pageToken') ?? 0);
      const next = start + size < found.length ? String(start + size) : undefined;
      return json(response, 200, {
        dataPoints: found
          .slice(start, start + size)
          .map((p) => ({ name: `users/${GOOGLE_HEALTH_USER_ID}/dataTypes/${type}/dataPoints/${p.name}`, ...p.body })),
        ...(next ? { nextPageToken: next } : {}),
      });
    }
    if (!type || !(type in FILTER_KEYS)) return json(response, 404, googleError(404, 'NOT_FOUND', `Invalid data type ID: ${type}`));
    if (!granted.scopes.some((s) => s.startsWith(`${SCOPE_PREFIX}${SCOPE_OF[type]}`)))
      return json(response, 403, googleError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.'));
    const bounds = filterBounds(type, q.get('filter'));
    if (!bounds) return json(response, 400, googleError(400, 'INVALID_ARGUMENT', `filter must bound ${FILTER_KEYS[type]}`));
    const points = [
      ...generated(type, bounds[0], bounds[1]),
      ...extra.filter((p) => p.name.startsWith(`${type}-extra`) && p.at >= bounds[0] && p.at < bounds[1]),
    ];
    const pageSize = Math.min(Number(q.get('pageSize') ?? 1000) || 1000, 1000);
    // A small page on purpose, below what was asked (Google may answer fewer than pageSize), so paging is tested.
    const size = Math.min(pageSize, 50);
    const start = Number(q.get('pageToken') ?? 0);
    const next = start + size < points.length ? String(start + size) : undefined;
    return json(response, 200, {
      dataPoints: points
        .slice(start, start + size)
        .map((p) => ({ name: `users/${GOOGLE_HEALTH_USER_ID}/dataTypes/${type}/dataPoints/${p.name}`, ...p.body })),
      ...(next ? { nextPageToken: next } : {}),
    });
  });

  return Object.assign(server, {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    rateLimitNext(count: number, seconds: number) {
      limited = count;
      retryAfter = seconds;
    },
    revokeAll() {
      tokens.clear();
      refreshTokens.clear();
    },
    revoked,
    issued: () => issuedCount,
    addSteps(count: number) {
      const end = Date.now();
      const name = `steps-extra-${extra.length + 1}`;
      const interval = { startTime: new Date(end - 120_000).toISOString(), endTime: new Date(end).toISOString() };
      extra.push({ name, at: end - 120_000, body: { dataSource: { platform: 'FITBIT' }, steps: { interval, count: String(count) } } });
      return `users/${GOOGLE_HEALTH_USER_ID}/dataTypes/steps/dataPoints/${name}`;
    },
    async verifyEndpoint(endpointUri: string, secret: string) {
      const post = (headers: Record<string, string>) =>
        fetch(endpointUri, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify({ type: 'verification' }),
        });
      return { withSecret: (await post({ authorization: secret })).status, without: (await post({})).status };
    },
    notify(endpointUri: string, data: { dataType: string; operation?: string; healthUserId?: string }, options: { forge?: boolean } = {}) {
      const now = Date.now();
      const body = JSON.stringify({
        data: {
          healthUserId: data.healthUserId ?? GOOGLE_HEALTH_USER_ID,
          operation: data.operation ?? 'UPSERT',
          dataType: data.dataType,
          intervals: [{ physicalTimeInterval: { startTime: new Date(now - 600_000).toISOString(), endTime: new Date(now).toISOString() } }],
          version: '1',
        },
      });
      const signature = sign('sha256', Buffer.from(body), options.forge ? forger : privateKey).toString('base64');
      return fetch(endpointUri, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-healthapi-signature': signature },
        body,
      });
    },
  });
}
