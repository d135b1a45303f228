import { createHmac, randomUUID } from 'node:crypto';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of WHOOP's OAuth endpoints, API v2 and webhooks, following:
 * - https://developer.whoop.com/docs/developing/oauth (authorize/token URLs, client credentials in the body, a state
 *   of at least 8 characters, the offline scope for refresh tokens) and
 *   https://developer.whoop.com/docs/tutorials/refresh-token-javascript (refresh with scope=offline; tokens rotate);
 * - https://developer.whoop.com/api (GET /developer/v2/recovery, /activity/sleep, /activity/workout, /cycle with
 *   start/end/limit ≤ 25/nextToken and `records` + `next_token`; /user/profile/basic; DELETE /user/access);
 * - https://developer.whoop.com/docs/developing/rate-limiting (429 with X-RateLimit-* headers; the Retry-After
 *   header is this fake's addition, which VitaSync reads);
 * - https://developer.whoop.com/docs/developing/webhooks (v2 payload and the X-WHOOP-Signature scheme).
 * Consent is automatic. The data is ten days of nights, recoveries, cycles and five workouts a day, ending now; the
 * latest night and its recovery are PENDING_SCORE until `scoreLatestNight()`.
 */
export interface FakeWhoop extends FakeServer {
  /** Answer the next N data requests with 429 and this Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Answer the next N data requests with a page off the documented shape. */
  malformNext(count: number): void;
  /** Make every token invalid (the user removed the app in WHOOP). */
  revokeAll(): void;
  /** Score the latest night and its recovery, as WHOOP does some minutes after waking. */
  scoreLatestNight(): { sleepId: string };
  /** A workout that ended a few minutes ago; answers its id. */
  addWorkout(): string;
  /** Serve nothing that starts at or after `at` (the band has not uploaded it yet), until `release()`. */
  holdBack(at: Date): void;
  release(): void;
  /** Access tokens revoked through DELETE /developer/v2/user/access. */
  revoked: string[];
  /** Access tokens issued so far (the first by the code grant, the rest by refreshes). */
  issued(): number;
}

export const WHOOP_CLIENT = { id: 'whoop-client', secret: 'whoop-secret' };
export const WHOOP_USER_ID = 10129;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const SCOPE_OF: Record<string, string> = {
  '/developer/v2/recovery': 'read:recovery',
  '/developer/v2/activity/sleep': 'read:sleep',
  '/developer/v2/activity/workout': 'read:workout',
  '/developer/v2/cycle': 'read:cycles',
  '/developer/v2/user/profile/basic': 'read:profile',
};

type Row = Record<string, unknown>;
type Span = { start: string; end?: string };
const iso = (at: number) => new Date(at).toISOString();
const base = (start: number, end: number | null) => ({
  user_id: WHOOP_USER_ID,
  created_at: iso(end ?? start),
  updated_at: iso(end ?? start),
  start: iso(start),
  ...(end ? { end: iso(end) } : {}),
  timezone_offset: '+00:00',
});

const sleepScore = {
  stage_summary: {
    total_in_bed_time_milli: 27_000_000,
    total_awake_time_milli: 1_800_000,
    total_no_data_time_milli: 0,
    total_light_sleep_time_milli: 12_600_000,
    total_slow_wave_sleep_time_milli: 5_400_000,
    total_rem_sleep_time_milli: 7_200_000,
    sleep_cycle_count: 4,
    disturbance_count: 11,
  },
  sleep_needed: {
    baseline_milli: 27_395_716,
    need_from_sleep_debt_milli: 352_230,
    need_from_recent_strain_milli: 208_595,
    need_from_recent_nap_milli: 0,
  },
  respiratory_rate: 15.5,
  sleep_performance_percentage: 91,
  sleep_consistency_percentage: 84,
  sleep_efficiency_percentage: 93.5,
};
const recoveryScore = (k: number) => ({
  user_calibrating: false,
  recovery_score: 50 + k,
  resting_heart_rate: 52,
  hrv_rmssd_milli: 48.5,
  spo2_percentage: 96.5,
  skin_temp_celsius: 33.7,
});

function workout(start: number, sport: string): Row {
  return {
    id: randomUUID(),
    ...base(start, start + 40 * 60_000),
    sport_name: sport,
    score_state: 'SCORED',
    score: {
      strain: 8.25,
      average_heart_rate: 128,
      max_heart_rate: 162,
      kilojoule: 1569.3,
      percent_recorded: 100,
      ...(sport === 'running' ? { distance_meter: 6200, altitude_gain_meter: 42, altitude_change_meter: 0 } : {}),
      zone_durations: {
        zone_zero_milli: 0,
        zone_one_milli: 600_000,
        zone_two_milli: 900_000,
        zone_three_milli: 600_000,
        zone_four_milli: 300_000,
        zone_five_milli: 0,
      },
    },
  };
}

function generate(now: number) {
  const sleeps: Row[] = [];
  const recoveries: Row[] = [];
  const cycles: Row[] = [];
  const workouts: Row[] = [];
  for (let k = 1; k <= 10; k++) {
    const end = now - (k - 1) * DAY - 2 * HOUR;
    const start = end - 7.5 * HOUR;
    const scored = k > 1;
    const cycleId = 93_000 - k;
    const sleep: Row = {
      id: randomUUID(),
      cycle_id: cycleId,
      ...base(start, end),
      nap: false,
      score_state: scored ? 'SCORED' : 'PENDING_SCORE',
      ...(scored ? { score: sleepScore } : {}),
    };
    sleeps.push(sleep);
    recoveries.push({
      cycle_id: cycleId,
      sleep_id: sleep.id,
      user_id: WHOOP_USER_ID,
      created_at: iso(end + 5 * 60_000),
      updated_at: iso(end + 5 * 60_000),
      score_state: scored ? 'SCORED' : 'PENDING_SCORE',
      ...(scored ? { score: recoveryScore(k) } : {}),
    });
    cycles.push({
      id: cycleId,
      ...base(start, k > 1 ? start + DAY : null),
      score_state: 'SCORED',
      score: { strain: 12.5, kilojoule: 8288.3, average_heart_rate: 68, max_heart_rate: 161 },
    });
    if (k > 1)
      for (let i = 0; i < 5; i++) workouts.push(workout(end + (1 + 2 * i) * HOUR, ['running', 'cycling', 'functional_fitness'][i % 3]!));
  }
  return { sleeps, recoveries, cycles, workouts };
}

/** One page of a collection: records overlapping [start, end), newest first, `next_token` absent on the last page. */
function page(rows: Row[], query: URLSearchParams, span: (row: Row) => Span = (row) => row as Span, uploadedUntil = Infinity) {
  const from = Date.parse(query.get('start') ?? '1970-01-01T00:00:00Z');
  const to = Date.parse(query.get('end') ?? new Date().toISOString());
  const limit = Number(query.get('limit') ?? 10);
  const offset = query.get('nextToken') ? Number(Buffer.from(query.get('nextToken')!, 'base64url').toString()) : 0;
  const matching = rows
    .filter((row) => Date.parse(span(row).end ?? new Date().toISOString()) >= from && Date.parse(span(row).start) < to)
    .filter((row) => Date.parse(span(row).start) < uploadedUntil)
    .sort((a, b) => Date.parse(span(b).start) - Date.parse(span(a).start));
  const records = matching.slice(offset, offset + limit);
  return offset + limit < matching.length
    ? { records, next_token: Buffer.from(String(offset + limit)).toString('base64url') }
    : { records };
}

export async function startFakeWhoop(): Promise<FakeWhoop> {
  const data = generate(Date.now());
  const tokens = new Map<string, { expiresAt: number; scopes: string[] }>();
  const refreshTokens = new Map<string, string[]>();
  const codes = new Map<string, { redirectUri: string; scopes: string[] }>();
  const revoked: string[] = [];
  let limited = 0;
  let retryAfter = 1;
  let malformed = 0;
  let issuedCount = 0;
  let uploadedUntil = Infinity;

  const issue = (scopes: string[]) => {
    issuedCount += 1;
    const access = `whoop-access-${issuedCount}`;
    // Short-lived on purpose: VitaSync refreshes tokens within five minutes of expiry, so every page refreshes.
    tokens.set(access, { expiresAt: Date.now() + 60_000, scopes });
    const refresh = scopes.includes('offline') ? `whoop-refresh-${issuedCount}` : null;
    if (refresh) refreshTokens.set(refresh, scopes);
    return {
      access_token: access,
      expires_in: 60,
      scope: scopes.join(' '),
      token_type: 'bearer',
      ...(refresh ? { refresh_token: refresh } : {}),
    };
  };

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    if (url.pathname === '/oauth/oauth2/auth') {
      const q = url.searchParams;
      if (
        q.get('client_id') !== WHOOP_CLIENT.id ||
        q.get('response_type') !== 'code' ||
        (q.get('state') ?? '').length < 8 ||
        !q.get('redirect_uri')
      ) {
        return json(response, 400, { error: 'invalid_request' });
      }
      const code = randomUUID();
      codes.set(code, { redirectUri: q.get('redirect_uri')!, scopes: (q.get('scope') ?? '').split(' ').filter(Boolean) });
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/oauth/oauth2/token') {
      const form = new URLSearchParams(request.body);
      if (form.get('client_id') !== WHOOP_CLIENT.id || form.get('client_secret') !== WHOOP_CLIENT.secret)
        return json(response, 401, { error: 'invalid_client' });
      const grant = codes.get(form.get('code') ?? '');
      if (form.get('grant_type') === 'authorization_code' && grant && grant.redirectUri === form.get('redirect_uri')) {
        codes.delete(form.get('code')!);
        return json(response, 200, issue(grant.scopes));
      }
      const granted = refreshTokens.get(form.get('refresh_token') ?? '');
      if (form.get('grant_type') === 'refresh_token' && granted) {
        refreshTokens.delete(form.get('refresh_token')!);
        // Without scope=offline the refresh answers no new refresh token, and the old one is spent.
        return json(
          response,
          200,
          issue(granted.filter((scope) => scope !== 'offline' || form.get('scope')?.split(' ').includes('offline'))),
        );
      }
      return json(response, 400, { error: 'invalid_grant' });
    }
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const token = tokens.get(bearer);
    if (!token || token.expiresAt < Date.now()) return json(response, 401, { message: 'Authorization was not valid' });
    if (url.pathname === '/developer/v2/user/access' && request.method === 'DELETE') {
      revoked.push(bearer);
      tokens.clear();
      refreshTokens.clear();
      response.writeHead(204).end();
      return;
    }
    const scope = SCOPE_OF[url.pathname];
    if (!scope) return json(response, 404, { message: 'Not Found' });
    if (!token.scopes.includes(scope)) return json(response, 401, { message: `missing scope ${scope}` });
    if (limited > 0) {
      limited -= 1;
      return json(
        response,
        429,
        { message: 'Too Many Requests' },
        {
          'retry-after': String(retryAfter),
          'x-ratelimit-limit': '100, 100;window=60, 10000;window=86400',
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(retryAfter),
        },
      );
    }
    if (Number(url.searchParams.get('limit') ?? 10) > 25) return json(response, 400, { message: 'limit must be at most 25' });
    if (malformed > 0 && url.pathname !== '/developer/v2/user/profile/basic') {
      malformed -= 1;
      return json(response, 200, { records: [{ id: randomUUID(), start: 'last night', score_state: 'SCORED' }] });
    }
    switch (url.pathname) {
      case '/developer/v2/user/profile/basic':
        return json(response, 200, { user_id: WHOOP_USER_ID, email: 'jsmith123@whoop.com', first_name: 'John', last_name: 'Smith' });
      case '/developer/v2/recovery':
        // Recoveries are found by the start of the sleep they follow.
        return json(
          response,
          200,
          page(data.recoveries, url.searchParams, (row) => data.sleeps.find((sleep) => sleep.id === row.sleep_id) as Span, uploadedUntil),
        );
      case '/developer/v2/activity/sleep':
        return json(response, 200, page(data.sleeps, url.searchParams, undefined, uploadedUntil));
      case '/developer/v2/activity/workout':
        return json(response, 200, page(data.workouts, url.searchParams, undefined, uploadedUntil));
      default:
        return json(response, 200, page(data.cycles, url.searchParams, undefined, uploadedUntil));
    }
  });

  return Object.assign(server, {
    rateLimitNext(count: number, seconds: number) {
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
    scoreLatestNight() {
      const [sleep] = data.sleeps;
      const [recovery] = data.recoveries;
      Object.assign(sleep!, { score_state: 'SCORED', score: sleepScore, updated_at: new Date().toISOString() });
      Object.assign(recovery!, { score_state: 'SCORED', score: recoveryScore(1), updated_at: new Date().toISOString() });
      return { sleepId: sleep!.id as string };
    },
    addWorkout() {
      const row = workout(Date.now() - 50 * 60_000, 'running');
      data.workouts.push(row);
      return row.id as string;
    },
    holdBack(at: Date) {
      uploadedUntil = at.getTime();
    },
    release() {
      uploadedUntil = Infinity;
    },
    revoked,
    issued: () => issuedCount,
  });
}

/** POSTs a WHOOP v2 webhook to `pushUrl`, signed as WHOOP signs it (or with another secret, or an old timestamp). */
export async function sendWhoopWebhook(
  pushUrl: string,
  event: { type: string; id: string | number },
  options: { secret?: string; timestamp?: number; userId?: number } = {},
): Promise<Response> {
  const body = JSON.stringify({ user_id: options.userId ?? WHOOP_USER_ID, id: event.id, type: event.type, trace_id: randomUUID() });
  const timestamp = String(options.timestamp ?? Date.now());
  const signature = createHmac('sha256', options.secret ?? WHOOP_CLIENT.secret)
    .update(timestamp + body)
    .digest('base64');
  return fetch(pushUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-whoop-signature': signature, 'x-whoop-signature-timestamp': timestamp },
    body,
  });
}
