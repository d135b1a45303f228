import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of Oura's API v2 and OAuth endpoints, from https://cloud.ouraring.com/docs/authentication and
 * https://cloud.ouraring.com/v2/docs: authorization-code grant, refresh_token grant, revoke, and the
 * usercollection endpoints with `data` + `next_token` pagination. Consent is automatic (the fake user accepts).
 */
export interface FakeOura extends FakeServer {
  /** Answer the next N data requests with 429 and this Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Answer the next N data requests with 503 (an outage on Oura's side). */
  failNext(count: number): void;
  /** Make every token invalid (the user revoked access in the Oura app). */
  revokeAll(): void;
  /** Keep data requests waiting (a sync stays running) until the returned function releases them. */
  hold(): () => void;
  revoked: string[];
  /** Access tokens issued so far (the first by the code grant, the rest by refreshes). */
  issued(): number;
}

export const OURA_CLIENT = { id: 'oura-client', secret: 'oura-secret' };
const DAY = 86_400_000;

/** Deterministic heart rate every 10 minutes, paginated 100 rows per page, within the asked window. */
function heartRates(from: number, to: number) {
  const rows = [];
  for (let at = Math.ceil(from / 600_000) * 600_000; at < to; at += 600_000) {
    rows.push({ bpm: 55 + ((at / 600_000) % 40), source: at % DAY < 6 * 3_600_000 ? 'rest' : 'awake', timestamp: new Date(at).toISOString() });
  }
  return rows;
}

function days(startDate: string, endDate: string): string[] {
  const out: string[] = [];
  for (let at = Date.parse(startDate); at <= Date.parse(endDate); at += DAY) out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}

function page<T>(rows: T[], token: string | null, size: number) {
  const start = token ? Number(token) : 0;
  const next = start + size < rows.length ? String(start + size) : null;
  return { data: rows.slice(start, start + size), next_token: next };
}

export async function startFakeOura(): Promise<FakeOura> {
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  let limited = 0;
  let failing = 0;
  let retryAfter = 1;
  let issuedCount = 0;
  const revoked: string[] = [];
  let held: Promise<void> | null = null;

  const issue = () => {
    issuedCount += 1;
    const access = `oura-access-${issuedCount}`;
    const refresh = `oura-refresh-${issuedCount}`;
    tokens.set(access, Date.now() + 60_000);
    refreshTokens.add(refresh);
    // Short-lived on purpose: VitaSync refreshes tokens within five minutes of expiry.
    return { access_token: access, refresh_token: refresh, expires_in: 60, token_type: 'bearer' };
  };

  const server = await startFakeServer(async (request, response) => {
    const { url } = request;
    if (url.pathname === '/oauth/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', 'oura-code');
      back.searchParams.set('state', url.searchParams.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/oauth/token') {
      const form = new URLSearchParams(request.body);
      if (form.get('client_id') !== OURA_CLIENT.id || form.get('client_secret') !== OURA_CLIENT.secret) return json(response, 401, { error: 'invalid_client' });
      if (form.get('grant_type') === 'authorization_code' && form.get('code') === 'oura-code') return json(response, 200, issue());
      if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? '')) return json(response, 200, issue());
      return json(response, 400, { error: 'invalid_grant' });
    }
    if (url.pathname === '/oauth/revoke') {
      revoked.push(url.searchParams.get('access_token') ?? new URLSearchParams(request.body).get('token') ?? '');
      return json(response, 200, {});
    }
    while (held) await held;
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(bearer);
    if (!expiry || expiry < Date.now()) return json(response, 401, { detail: 'Unauthorized' });
    if (failing > 0) {
      failing -= 1;
      return json(response, 503, { detail: 'Service Unavailable' });
    }
    if (limited > 0) {
      limited -= 1;
      return json(response, 429, { detail: 'Too Many Requests' }, { 'retry-after': String(retryAfter) });
    }
    const q = url.searchParams;
    const token = q.get('next_token');
    switch (url.pathname) {
      case '/v2/usercollection/heartrate':
        return json(response, 200, page(heartRates(Date.parse(q.get('start_datetime')!), Date.parse(q.get('end_datetime')!)), token, 100));
      case '/v2/usercollection/daily_activity':
        return json(response, 200, page(days(q.get('start_date')!, q.get('end_date')!).map((day, i) => ({
          id: `act-${day}`, day, steps: 6000 + i * 100, active_calories: 400 + i, equivalent_walking_distance: 5000 + i * 10, timestamp: `${day}T00:00:00.000Z`,
        })), token, 10));
      case '/v2/usercollection/sleep':
        return json(response, 200, page(days(q.get('start_date')!, q.get('end_date')!).map((day) => ({
          id: `sleep-${day}`, type: 'long_sleep', day,
          bedtime_start: new Date(Date.parse(day) - 2 * 3_600_000).toISOString(), bedtime_end: new Date(Date.parse(day) + 6 * 3_600_000).toISOString(),
          total_sleep_duration: 27_000, deep_sleep_duration: 5400, rem_sleep_duration: 6300, light_sleep_duration: 15_300, awake_time: 1800,
          efficiency: 88, latency: 600, average_heart_rate: 54.5, lowest_heart_rate: 48, average_hrv: 45,
        })), token, 10));
      case '/v2/usercollection/workout':
        return json(response, 200, page(days(q.get('start_date')!, q.get('end_date')!).filter((_, i) => i % 3 === 0).map((day) => ({
          id: `workout-${day}`, activity: 'running', intensity: 'moderate', calories: 450, distance: 7200,
          start_datetime: `${day}T17:00:00.000Z`, end_datetime: `${day}T17:40:00.000Z`, source: 'manual',
        })), token, 10));
      default:
        return json(response, 404, { detail: 'Not Found' });
    }
  });
  return Object.assign(server, {
    rateLimitNext(count: number, seconds: number) {
      limited = count;
      retryAfter = seconds;
    },
    failNext(count: number) {
      failing = count;
    },
    revokeAll() {
      tokens.clear();
      refreshTokens.clear();
    },
    revoked,
    issued: () => issuedCount,
    hold() {
      let release = () => {};
      held = new Promise<void>((resolve) => {
        release = () => {
          held = null;
          resolve();
        };
      });
      return release;
    },
  });
}
