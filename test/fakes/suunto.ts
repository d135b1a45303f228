import { createHmac } from 'node:crypto';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of the Suunto Cloud API, after apizone.suunto.com and its webhooks page:
 * - "How to start" 4 / Authorisation API, Token: GET /oauth/authorize (response_type=code, no scope), POST
 *   /oauth/token protected by HTTP Basic (RFC 7617) with the client id and secret; the tokens are JWTs whose `exp`
 *   claim is the expiry ("Token expiration time … is in the exp token attribute"; the answer here has no
 *   expires_in, so a client that waits for one never refreshes) and whose custom `user` claim is the Suunto
 *   username (FAQ). Access tokens live 120 s here, refresh tokens work once.
 * - "How to start" 1: each API call needs Ocp-Apim-Subscription-Key, else 401 with the API gateway's body
 *   { statusCode, message }.
 * - Workout API: GET /v2/workouts?since&until&limit&offset&filter-by-modification-time — since and until in epoch
 *   milliseconds like every Suunto timestamp (a client sending seconds asks from January 1970), both inclusive,
 *   compared with the modification time when filter-by-modification-time=true, else with startTime; newest first;
 *   answers { error: null, metadata, payload }. A workout's fields follow "Get workout summary as JSON":
 *   startTime/stopTime epoch ms, totalTime seconds, totalDistance metres, energyConsumption kcal, hrdata with
 *   workoutAvgHR/workoutMaxHR and the user's setting userMaxHR (200 here, never a workout's maximum).
 * - Daily Activity API, "Daily activity statistics": GET /247samples/daily-activity-statistics?startdate&enddate,
 *   ISO 8601 date-times read as UTC, both inclusive, "Maximum fetch interval duration is 28 days" (a longer one is a
 *   400 here); one sample per day starting at startdate's time of day, `Value: null` for a day without data,
 *   energyconsumption in joules.
 * - Webhooks: POST { type, username, workout } signed with HMAC-SHA256 of the raw body under the notification
 *   secret, hex in X-HMAC-SHA256-Signature.
 * - 429 with Retry-After when rate limited (the gateway's throttling answer).
 * Ten days of one run a day at 07:00 UTC, steps every day but the one three days ago (Value: null).
 */
export const SUUNTO_CLIENT = { id: 'suunto-client', secret: 'suunto-secret' };
export const SUUNTO_SUBSCRIPTION_KEY = 'suunto-subscription-key';
export const SUUNTO_NOTIFICATION_SECRET = 'suunto-notification-secret';
export const SUUNTO_USERNAME = 'trailrunner42';
const DAY = 86_400_000;
const MAX_STATISTICS_MS = 28 * DAY;

interface Workout {
  workoutKey: string;
  activityId: number;
  startTime: number;
  stopTime: number;
  totalTime: number;
  totalDistance: number;
  energyConsumption: number;
  totalAscent: number;
  stepCount: number;
  hrdata: { workoutAvgHR: number; workoutMaxHR: number; userMaxHR: number };
  timeOffsetInMinutes: number;
  /** When the workout reached Suunto's cloud (what filter-by-modification-time compares). */
  modified: number;
}

export interface FakeSuunto extends FakeServer {
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  revokeAll(): void;
  /** The steps the fake holds for a UTC day (YYYY-MM-DD), null for a day without data. */
  stepsOn(day: string): number | null;
  /** A run recorded days ago and synced from the watch now; returns its key. */
  uploadLate(daysAgo: number): string;
  /** Sends a notification to VitaSync, signed with the notification secret (or another). */
  notify(pushUrl: string, body: Record<string, unknown>, options?: { secret?: string }): Promise<Response>;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function run(day: number, i: number): Workout {
  const startTime = day + 7 * 3_600_000;
  return {
    workoutKey: `5f${String(1000 + i).padStart(22, '0')}`,
    activityId: 3,
    startTime,
    stopTime: startTime + 3_000_000,
    totalTime: 3000.4,
    totalDistance: 10234.5,
    energyConsumption: 612,
    totalAscent: 88.5,
    stepCount: 8500,
    hrdata: { workoutAvgHR: 151, workoutMaxHR: 178, userMaxHR: 200 },
    timeOffsetInMinutes: 120,
    modified: startTime + 3_600_000,
  };
}

/** Steps on a day, from its date, so a test can compute the expected total on its own; null three days ago. */
function stepsFor(day: number, today: number): number | null {
  return day === today - 3 * DAY ? null : 6000 + ((day / DAY) % 7) * 250;
}

/** Parses the documentation's zone-less ISO date-time as UTC; NaN for anything else. */
const utcMs = (value: string | null) =>
  value && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) ? Date.parse(`${value}Z`) : NaN;

export async function startFakeSuunto(): Promise<FakeSuunto> {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const workouts: Workout[] = Array.from({ length: 10 }, (_, i) => run(today - (9 - i) * DAY, i)).filter((w) => w.modified < Date.now());
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  let issued = 0;
  let limited = 0;
  let retryAfter = 1;

  const issue = () => {
    issued += 1;
    const exp = Math.floor(Date.now() / 1000) + 120;
    const access = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ user: SUUNTO_USERNAME, exp, jti: `a${issued}` })}.sig${issued}`;
    const refresh = `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url({ user: SUUNTO_USERNAME, jti: `r${issued}` })}.sig${issued}`;
    tokens.set(access, exp * 1000);
    refreshTokens.add(refresh);
    return { access_token: access, token_type: 'bearer', refresh_token: refresh, scope: 'workout', jti: `a${issued}` };
  };

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    if (url.pathname === '/oauth/authorize') {
      if (url.searchParams.get('response_type') !== 'code') return json(response, 400, { error: 'unsupported_response_type' });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', 'suunto-code');
      back.searchParams.set('state', url.searchParams.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/oauth/token' && request.method === 'POST') {
      const basic = `Basic ${Buffer.from(`${SUUNTO_CLIENT.id}:${SUUNTO_CLIENT.secret}`).toString('base64')}`;
      if (request.headers.authorization !== basic)
        return json(response, 401, { error: 'unauthorized', error_description: 'Bad credentials' });
      const form = new URLSearchParams(request.body);
      if (form.get('grant_type') === 'authorization_code' && form.get('code') === 'suunto-code') return json(response, 200, issue());
      if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? ''))
        return json(response, 200, issue());
      return json(response, 400, { error: 'invalid_grant' });
    }
    if (request.headers['ocp-apim-subscription-key'] !== SUUNTO_SUBSCRIPTION_KEY)
      return json(response, 401, {
        statusCode: 401,
        message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
      });
    const expiry = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /i, ''));
    if (!expiry || expiry < Date.now()) return json(response, 401, { error: 'invalid_token', error_description: 'Access token expired' });
    if (limited > 0) {
      limited -= 1;
      return json(response, 429, { statusCode: 429, message: 'Rate limit is exceeded.' }, { 'retry-after': String(retryAfter) });
    }
    if (url.pathname === '/v2/workouts' && request.method === 'GET') {
      const since = Number(url.searchParams.get('since') ?? 0);
      const until = Number(url.searchParams.get('until') ?? Date.now());
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const offset = Number(url.searchParams.get('offset') ?? 0);
      if (![since, until, limit, offset].every(Number.isInteger) || limit < 1 || offset < 0)
        return json(response, 400, {
          error: { code: 'BAD_REQUEST', description: 'since, until, limit and offset are integers' },
          payload: null,
        });
      const byModification = url.searchParams.get('filter-by-modification-time') === 'true';
      const inWindow = workouts
        .filter((w) => (byModification ? w.modified : w.startTime) >= since && (byModification ? w.modified : w.startTime) <= until)
        .sort((a, b) => b.startTime - a.startTime)
        .slice(offset, offset + limit)
        .map(({ modified: _modified, ...w }) => w);
      return json(response, 200, { error: null, metadata: { workoutcount: String(inWindow.length) }, payload: inWindow });
    }
    if (url.pathname === '/247samples/daily-activity-statistics' && request.method === 'GET') {
      const start = utcMs(url.searchParams.get('startdate'));
      const end = utcMs(url.searchParams.get('enddate'));
      if (Number.isNaN(start) || Number.isNaN(end) || end < start)
        return json(response, 400, { error: 'startdate and enddate are ISO 8601 date-times, enddate not before startdate' });
      if (end - start > MAX_STATISTICS_MS) return json(response, 400, { error: 'Maximum fetch interval duration is 28 days' });
      const days: number[] = [];
      for (let day = start; day <= end; day += DAY) days.push(day);
      const stamp = (day: number) => new Date(day).toISOString().slice(0, 23);
      const source = 'suunto-247-3e0f7c17-2775-477a-a12f-a50ff0170860';
      return json(response, 200, [
        {
          Name: 'energyconsumption',
          Aggregation: 'sum',
          Sources: [{ Name: source, Samples: days.map((day) => ({ TimeISO8601: stamp(day), Value: day > today ? null : 9_205_000.5 })) }],
        },
        {
          Name: 'stepcount',
          Aggregation: 'sum',
          Sources: [
            { Name: source, Samples: days.map((day) => ({ TimeISO8601: stamp(day), Value: day > today ? null : stepsFor(day, today) })) },
          ],
        },
      ]);
    }
    return json(response, 404, { statusCode: 404, message: 'Resource not found' });
  });

  return Object.assign(server, {
    rateLimitNext(count: number, seconds: number) {
      limited = count;
      retryAfter = seconds;
    },
    revokeAll() {
      tokens.clear();
      refreshTokens.clear();
    },
    stepsOn: (day: string) => stepsFor(Date.parse(`${day}T00:00:00Z`), today),
    uploadLate(daysAgo: number) {
      const late = { ...run(today - daysAgo * DAY, 500 + workouts.length), activityId: 11, modified: Date.now() };
      workouts.push(late);
      return late.workoutKey;
    },
    notify(pushUrl: string, body: Record<string, unknown>, options: { secret?: string } = {}) {
      const raw = JSON.stringify(body);
      const signature = createHmac('sha256', options.secret ?? SUUNTO_NOTIFICATION_SECRET)
        .update(raw)
        .digest('hex');
      return fetch(pushUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hmac-sha256-signature': signature },
        body: raw,
      });
    },
  });
}
