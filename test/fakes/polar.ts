import { createHmac } from 'node:crypto';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of Polar AccessLink v3, after https://www.polar.com/accesslink-api/ — sections "Authentication"
 * (authorization endpoint, token endpoint with Basic client auth, x_user_id, no refresh token), "Users" (register
 * with member-id, 409 when already registered, DELETE de-registers and revokes the token), "Rate limiting"
 * (429, RateLimit-Reset), "Exercises" (GET /v3/exercises: a list, ISO 8601 durations, local start_time plus
 * start_time_utc_offset), "Daily activity" (GET /v3/users/activities?from&to, at most 28 days), "Sleep"
 * (GET /v3/users/sleep → nights), "Nightly Recharge" (GET /v3/users/nightly-recharge → recharges) and "Accesslink
 * webhooks" (payloads signed with hex HMAC-SHA256 in Polar-Webhook-Signature). Doc text read through a copy in
 * newpush/coach (docs/apis/polar.md). Consent is automatic: every authorization is the same Polar user.
 */
export interface FakePolar extends FakeServer {
  polarUserId: number;
  /** Answer the next N data requests with 429 and this Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Answer this data path with a document that lacks the documented shape (null: stop). */
  malform(path: string | null): void;
  /** Issue the next access token with this lifetime instead of Polar's year. */
  nextTokenLifetime(seconds: number): void;
  /** Make every token invalid (the user revoked access in Polar Flow). */
  revokeAll(): void;
  /** A new exercise uploaded to Flow; answers the webhook payload Polar would send about it. */
  uploadExercise(): Record<string, unknown>;
  /** Polar user ids de-registered through DELETE /v3/users/{id}. */
  deregistered: number[];
  /** The exercises AccessLink lists, as it sends them. */
  exercises: readonly ReturnType<typeof exercise>[];
}

export const POLAR_CLIENT = { id: 'polar-client', secret: 'polar-secret' };
const POLAR_USER_ID = 475;
const DAY = 86_400_000;
const YEAR_SECONDS = 31_535_999;
const DATA_PATHS = ['/v3/exercises', '/v3/users/activities', '/v3/users/sleep', '/v3/users/nightly-recharge'];

const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);

function exercise(id: string, startUtc: number) {
  // Polar writes the start in the user's local time (here UTC+2) with the offset in minutes beside it.
  const local = new Date(startUtc + 120 * 60_000).toISOString().slice(0, 19);
  return {
    id,
    upload_time: new Date(startUtc + 3_600_000).toISOString(),
    device: 'Polar Vantage V3',
    device_id: '1111AAAA',
    start_time: local,
    start_time_utc_offset: 120,
    duration: 'PT45M30S',
    calories: 512,
    distance: 8250.5,
    heart_rate: { average: 148, maximum: 171 },
    training_load: 96.4,
    sport: 'RUNNING',
    has_route: true,
    detailed_sport_info: 'RUNNING_ROAD',
  };
}

function night(date: string, polarUser: string) {
  const previous = dayOf(Date.parse(date) - DAY);
  return {
    polar_user: polarUser,
    date,
    sleep_start_time: `${previous}T23:10:00+02:00`,
    sleep_end_time: `${date}T06:40:00+02:00`,
    device_id: '1111AAAA',
    continuity: 3.4,
    continuity_class: 3,
    light_sleep: 14_400,
    deep_sleep: 4_800,
    rem_sleep: 5_400,
    unrecognized_sleep_stage: 600,
    sleep_score: 81,
    total_interruption_duration: 1_800,
    sleep_charge: 3,
    sleep_goal: 28_800,
    sleep_rating: 0,
    short_interruption_duration: 900,
    long_interruption_duration: 900,
    sleep_cycles: 5,
    hypnogram: { '23:10': 2 },
    heart_rate_samples: { '23:15': 58, '23:20': 56, '23:25': 54 },
  };
}

function recharge(date: string, polarUser: string) {
  return {
    polar_user: polarUser,
    date,
    heart_rate_avg: 52,
    beat_to_beat_avg: 1154,
    heart_rate_variability_avg: 61,
    breathing_rate_avg: 14.1,
    nightly_recharge_status: 4,
    ans_charge: 2.5,
    ans_charge_status: 4,
    hrv_samples: { '23:40': 60 },
    breathing_samples: { '23:40': 14 },
  };
}

function activity(date: string) {
  const n = Number(date.slice(8, 10));
  return {
    start_time: `${date}T00:00:00`,
    end_time: `${date}T23:59:59`,
    active_duration: `PT${1 + (n % 3)}H12M`,
    inactive_duration: 'PT12H',
    daily_activity: 80.5,
    calories: 2400 + n,
    active_calories: 600 + n,
    steps: 8000 + n * 10,
    inactivity_alert_count: 0,
    distance_from_steps: 6000.5 + n,
  };
}

/** Daily activity for [from, to], refusing what the docs refuse: no from, more than 28 days, older than 365 days. */
function activities(from: string | null, to: string | null): { status: number; body: unknown } {
  const end = to ?? dayOf(Date.now());
  if (!from || Date.parse(end) - Date.parse(from) > 28 * DAY || Date.parse(from) < Date.now() - 365 * DAY) {
    return { status: 400, body: { status: 400, errorType: 'bad_request', message: 'Invalid or too old date' } };
  }
  const days: string[] = [];
  for (let at = Date.parse(from); at <= Math.min(Date.parse(end), Date.now()); at += DAY) days.push(dayOf(at));
  return { status: 200, body: days.map(activity) };
}

export async function startFakePolar(): Promise<FakePolar> {
  const tokens = new Map<string, { userId: number; expiresAt: number }>();
  const codes = new Map<string, string>();
  const usedCodes = new Set<string>();
  const registered = new Set<number>();
  const deregistered: number[] = [];
  let issued = 0;
  let lifetime = YEAR_SECONDS;
  let limited = 0;
  let retryAfter = 1;
  let malformed: string | null = null;
  let apiUrl = '';
  const polarUser = () => `${apiUrl}/v3/users/${POLAR_USER_ID}`;
  const now = Date.now();
  const exercises = [exercise('ex-1', now - DAY - 3 * 3_600_000), exercise('ex-2', now - 2 * DAY - 3 * 3_600_000)];
  const nightDates = [1, 2, 3].map((ago) => dayOf(now - ago * DAY));

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    if (url.pathname === '/oauth2/authorization') {
      const code = `polar-code-${codes.size + 1}`;
      codes.set(code, url.searchParams.get('redirect_uri') ?? '');
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('state', url.searchParams.get('state')!);
      back.searchParams.set('code', code);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/v2/oauth2/token') {
      const expected = `Basic ${Buffer.from(`${POLAR_CLIENT.id}:${POLAR_CLIENT.secret}`).toString('base64')}`;
      if (request.headers.authorization !== expected) return json(response, 401, { error: 'invalid_client' });
      const form = new URLSearchParams(request.body);
      if (form.get('grant_type') !== 'authorization_code') return json(response, 400, { error: 'unsupported_grant_type' });
      const code = form.get('code') ?? '';
      // Codes are single use; the redirect_uri must be the one given to the authorization endpoint.
      if (!codes.has(code) || usedCodes.has(code) || codes.get(code) !== form.get('redirect_uri'))
        return json(response, 400, { error: 'invalid_grant' });
      usedCodes.add(code);
      issued += 1;
      const accessToken = `polar-token-${issued}`;
      tokens.set(accessToken, { userId: POLAR_USER_ID, expiresAt: Date.now() + lifetime * 1000 });
      const body = { access_token: accessToken, token_type: 'bearer', expires_in: lifetime, x_user_id: POLAR_USER_ID };
      lifetime = YEAR_SECONDS;
      return json(response, 200, body);
    }
    const token = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!token || token.expiresAt < Date.now())
      return json(response, 401, { status: 401, errorType: 'unauthorized', message: 'Unauthorized' });
    if (url.pathname === '/v3/users' && request.method === 'POST') {
      const memberId = (JSON.parse(request.body || '{}') as Record<string, unknown>)['member-id'];
      if (typeof memberId !== 'string' || !memberId) return json(response, 400, { status: 400, message: 'member-id is required' });
      if (registered.has(token.userId)) return json(response, 409, { status: 409, message: 'User already registered to partner' });
      registered.add(token.userId);
      return json(response, 200, { 'polar-user-id': token.userId, 'member-id': memberId, 'registration-date': new Date().toISOString() });
    }
    if (url.pathname === `/v3/users/${token.userId}` && request.method === 'DELETE') {
      registered.delete(token.userId);
      deregistered.push(token.userId);
      for (const [key, value] of tokens) if (value.userId === token.userId) tokens.delete(key);
      response.writeHead(204).end();
      return;
    }
    const path = url.pathname.replace(/\/$/, '');
    if (!DATA_PATHS.includes(path)) return json(response, 404, { status: 404, message: 'Not Found' });
    // An unregistered user's data is not available to the partner.
    if (!registered.has(token.userId)) return json(response, 403, { status: 403, message: 'User not registered' });
    if (limited > 0) {
      limited -= 1;
      // Polar documents RateLimit-* (short term, long term) on every answer; Retry-After is the fake's addition.
      const reset = `${retryAfter}, 86400`;
      return json(
        response,
        429,
        { status: 429, message: 'Too Many Requests' },
        { 'retry-after': String(retryAfter), 'ratelimit-reset': reset },
      );
    }
    if (malformed === path)
      return json(response, 200, path === '/v3/exercises' ? [{ id: 'broken', duration: 'forty minutes' }] : { unexpected: true });
    switch (path) {
      case '/v3/exercises':
        return json(
          response,
          200,
          exercises.map((row) => ({ ...row, polar_user: polarUser() })),
        );
      case '/v3/users/activities': {
        const answer = activities(url.searchParams.get('from'), url.searchParams.get('to'));
        return json(response, answer.status, answer.body);
      }
      case '/v3/users/sleep':
        return json(response, 200, { nights: nightDates.map((date) => night(date, polarUser())) });
      default:
        return json(response, 200, { recharges: nightDates.map((date) => recharge(date, polarUser())) });
    }
  });
  apiUrl = server.url;
  return Object.assign(server, {
    polarUserId: POLAR_USER_ID,
    rateLimitNext(count: number, seconds: number) {
      limited = count;
      retryAfter = seconds;
    },
    malform(path: string | null) {
      malformed = path;
    },
    nextTokenLifetime(seconds: number) {
      lifetime = seconds;
    },
    revokeAll() {
      tokens.clear();
    },
    uploadExercise() {
      const id = `ex-${exercises.length + 1}`;
      exercises.unshift(exercise(id, Date.now() - 2 * 3_600_000));
      return {
        event: 'EXERCISE',
        user_id: POLAR_USER_ID,
        entity_id: id,
        timestamp: new Date().toISOString(),
        url: `${apiUrl}/v3/exercises/${id}`,
      };
    },
    deregistered,
    exercises,
  });
}

/** Polar's signature: hex HMAC-SHA256 of the raw body under the webhook's signature_secret_key. */
export function signPolarPayload(body: string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Delivers a webhook as AccessLink does; `signWith` another secret to send a badly signed one. */
export async function sendPolarPush(vitasyncUrl: string, payload: Record<string, unknown>, signWith: string): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${vitasyncUrl}/v1/providers/polar/push`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'polar-webhook-event': String(payload.event),
      'polar-webhook-signature': signPolarPayload(body, signWith),
    },
    body,
  });
}
