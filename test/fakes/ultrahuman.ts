import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of the Ultrahuman Partner API with OAuth 2.0, after vision.ultrahuman.com/developer-docs (the OAuth 2.0
 * Provider Documentation and the UltraSignal API page) and Ultrahuman's "Accessing the Ultrahuman Partnership API":
 * - GET /authorize (response_type=code, client_id, redirect_uri, space-separated scope, state); POST
 *   /api/partners/oauth/token with client_id and client_secret in the form (authorization_code, refresh_token);
 *   access tokens valid for a week (expires_in 604800), refresh tokens single-use here.
 * - Scopes: `profile` is required for /user_info (403 without it); `ring_data` for ring metrics in /metrics (without
 *   it the day's list holds none).
 * - GET …/user_data/metrics?date=YYYY-MM-DD with Authorization: Bearer: the whole day in the user's time zone
 *   ("When using date, data is fetched for the entire day in user's timezone"); `date` together with
 *   start_epoch/end_epoch is a 400 ("cannot be used together"), as is a date not in YYYY-MM-DD. Answers
 *   { data: { metric_data: [{ type, object }], latest_time_zone }, error: null, status: 200 }: `hr` and `temp` with
 *   `values` of { value, timestamp } (epoch seconds; bpm, the object's unit), `steps` with each interval's steps in
 *   `values` and their sum in `total`, `vo2_max` as { value, day_start_timestamp }. A date with no data yet answers
 *   an empty list.
 * - 401 { error, status } for a missing or wrong token. Ultrahuman documents no rate limit and no webhooks.
 * The user lives in UTC+14 (Kiritimati), so their local date runs ahead of UTC from 10:00 UTC on: hourly readings
 * for the last ten local days up to now, no steps between 23:00 and 06:00 local.
 */
export const ULTRAHUMAN_CLIENT = { id: 'ultrahuman-client', secret: 'ultrahuman-secret' };
export const ULTRAHUMAN_USER_ID = 'uh-7731';
export const ULTRAHUMAN_ZONE_OFFSET_HOURS = 14;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const OFFSET = ULTRAHUMAN_ZONE_OFFSET_HOURS * HOUR;

export interface FakeUltrahuman extends FakeServer {
  revokeAll(): void;
  /** The user's local date now (YYYY-MM-DD). */
  localToday(): string;
  /** The steps the fake reports as `total` for a local date. */
  stepsTotal(date: string): number;
  /** The instants [start, end) of a local date. */
  localDay(date: string): { start: Date; end: Date };
}

/** The hours of a local date that have passed, as epoch seconds. */
function hoursOf(date: string): number[] {
  const start = Date.parse(`${date}T00:00:00Z`) - OFFSET;
  return Array.from({ length: 24 }, (_, h) => start + h * HOUR)
    .filter((at) => at <= Date.now())
    .map((at) => at / 1000);
}

const localHour = (at: number) => new Date(at * 1000 + OFFSET).getUTCHours();
const stepsAt = (at: number) => (localHour(at) >= 6 && localHour(at) < 23 ? 300 + localHour(at) * 10 : 0);

function metricsFor(date: string, scopes: Set<string>): unknown[] {
  const hours = hoursOf(date);
  const ageDays = (Date.now() + OFFSET - Date.parse(`${date}T00:00:00Z`)) / DAY;
  if (!hours.length || ageDays > 10 || !scopes.has('ring_data')) return [];
  const dayStart = Date.parse(`${date}T00:00:00Z`) / 1000 - OFFSET / 1000;
  const steps = hours.map((at) => ({ value: stepsAt(at), timestamp: at }));
  return [
    {
      type: 'hr',
      object: {
        day_start_timestamp: dayStart,
        title: 'Heart Rate',
        unit: 'bpm',
        values: hours.map((at) => ({ value: 55 + (localHour(at) % 12), timestamp: at })),
      },
    },
    {
      type: 'temp',
      object: {
        day_start_timestamp: dayStart,
        title: 'Temperature',
        unit: 'celsius',
        values: hours.map((at) => ({ value: 35.2 + (localHour(at) % 3) / 10, timestamp: at })),
      },
    },
    {
      type: 'steps',
      object: {
        day_start_timestamp: dayStart,
        subtitle: 'Steps',
        values: steps,
        total: steps.reduce((sum, s) => sum + s.value, 0),
        avg: 0,
      },
    },
    { type: 'vo2_max', object: { value: 44, day_start_timestamp: dayStart } },
  ];
}

export async function startFakeUltrahuman(): Promise<FakeUltrahuman> {
  const tokens = new Map<string, { expiry: number; scopes: Set<string> }>();
  const refreshTokens = new Map<string, Set<string>>();
  const granted = new Map<string, Set<string>>();
  let issued = 0;

  const issue = (scopes: Set<string>) => {
    issued += 1;
    const access = `uh-access-${issued}`;
    const refresh = `uh-refresh-${issued}`;
    tokens.set(access, { expiry: Date.now() + 604_800_000, scopes });
    refreshTokens.set(refresh, scopes);
    return { access_token: access, token_type: 'Bearer', expires_in: 604_800, refresh_token: refresh, scope: [...scopes].join(' ') };
  };

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    if (url.pathname === '/authorize') {
      if (url.searchParams.get('response_type') !== 'code') return json(response, 400, { error: 'unsupported_response_type' });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      const code = `uh-code-${granted.size + 1}`;
      granted.set(code, new Set((url.searchParams.get('scope') ?? '').split(' ').filter(Boolean)));
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/api/partners/oauth/token' && request.method === 'POST') {
      const form = new URLSearchParams(request.body);
      if (form.get('client_id') !== ULTRAHUMAN_CLIENT.id || form.get('client_secret') !== ULTRAHUMAN_CLIENT.secret)
        return json(response, 401, { error: 'invalid_client' });
      const code = form.get('code') ?? '';
      if (form.get('grant_type') === 'authorization_code' && granted.has(code)) {
        const scopes = granted.get(code)!;
        granted.delete(code);
        return json(response, 200, issue(scopes));
      }
      const refreshed = refreshTokens.get(form.get('refresh_token') ?? '');
      if (form.get('grant_type') === 'refresh_token' && refreshed) {
        refreshTokens.delete(form.get('refresh_token')!);
        return json(response, 200, issue(refreshed));
      }
      return json(response, 400, { error: 'invalid_grant' });
    }
    const token = tokens.get((request.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!token || token.expiry < Date.now()) return json(response, 401, { error: 'Unauthorized', status: 401 });
    if (url.pathname === '/api/partners/v1/user_data/user_info') {
      if (!token.scopes.has('profile')) return json(response, 403, { error: 'profile scope required', status: 403 });
      return json(response, 200, { data: { user_id: ULTRAHUMAN_USER_ID, time_zone: 'Pacific/Kiritimati' }, error: null, status: 200 });
    }
    if (url.pathname === '/api/partners/v1/user_data/metrics') {
      const date = url.searchParams.get('date');
      if (date && (url.searchParams.has('start_epoch') || url.searchParams.has('end_epoch')))
        return json(response, 400, { error: 'date cannot be used together with start_epoch and end_epoch', status: 400 });
      if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
        return json(response, 400, { error: 'date must be YYYY-MM-DD', status: 400 });
      return json(response, 200, {
        data: { metric_data: metricsFor(date, token.scopes), latest_time_zone: 'Pacific/Kiritimati' },
        error: null,
        status: 200,
      });
    }
    return json(response, 404, { error: 'Not Found', status: 404 });
  });

  return Object.assign(server, {
    revokeAll() {
      tokens.clear();
      refreshTokens.clear();
    },
    localToday: () => new Date(Date.now() + OFFSET).toISOString().slice(0, 10),
    stepsTotal: (date: string) => hoursOf(date).reduce((sum, at) => sum + stepsAt(at), 0),
    localDay(date: string) {
      const start = Date.parse(`${date}T00:00:00Z`) - OFFSET;
      return { start: new Date(start), end: new Date(start + DAY) };
    },
  });
}
