import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of the Wahoo Cloud API v1, after https://cloud-api.wahooligan.com (its OpenAPI and AsyncAPI copies in
 * api-evangelist/wahoo):
 * - OAuth 2.0: GET /oauth/authorize (code; scopes such as user_read, workouts_read, offline_data), POST /oauth/token
 *   (client_id and client_secret in the form; access tokens live 2 hours — 60 s here, so refreshes happen — and a
 *   refresh token works once), DELETE /v1/permissions revokes (204);
 * - GET /v1/user ({ id, email, … }); GET /v1/workouts?page&per_page (per_page 1–100, default 30; { workouts, total,
 *   page, per_page, order, sort }, newest first; no time filter). A workout's summary measures are decimal strings
 *   (WorkoutSummary: ascent_accum, calories_accum, distance_accum, duration_*_accum, heart_rate_avg …: "type: string");
 * - 401 { error: "..." } for a bad token, 429 with Retry-After;
 * - webhooks (AsyncAPI "workout_summary"): POST { event, user: { id }, webhook_token, workout_summary } to the app's
 *   callback; no signature, the webhook_token is the proof.
 * Ten days of one ride a day (and a run uploaded late: started four days ago, updated now, via `uploadLate`).
 */
export const WAHOO_CLIENT = { id: 'wahoo-client', secret: 'wahoo-secret' };
export const WAHOO_USER_ID = 60_412;
export const WAHOO_WEBHOOK_TOKEN = 'wahoo-webhook-token';
const DAY = 86_400_000;

interface Workout {
  id: number;
  starts: string;
  minutes: number;
  name: string;
  workout_type_id: number;
  workout_summary: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

export interface FakeWahoo extends FakeServer {
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  revokeAll(): void;
  permissionsRevoked(): number;
  /** A workout recorded offline days ago and uploaded now; returns its id. */
  uploadLate(): number;
  /** Sends the workout_summary webhook of a workout to VitaSync, with the app's token (or another). */
  notify(pushUrl: string, workoutId: number, options?: { token?: string }): Promise<Response>;
}

function ride(day: number, i: number): Workout {
  const starts = new Date(day + 17 * 3_600_000);
  return {
    id: 7000 + i,
    starts: starts.toISOString(),
    minutes: 60,
    name: 'Evening ride',
    workout_type_id: 0,
    workout_summary: {
      id: 9000 + i,
      ascent_accum: '312.0',
      calories_accum: '710.5',
      distance_accum: '30123.4',
      duration_active_accum: '3480.0',
      duration_paused_accum: '120.0',
      duration_total_accum: '3600.0',
      heart_rate_avg: '141.0',
      power_bike_avg: '205.0',
    },
    created_at: new Date(starts.getTime() + 3_700_000).toISOString(),
    updated_at: new Date(starts.getTime() + 3_700_000).toISOString(),
  };
}

export async function startFakeWahoo(): Promise<FakeWahoo> {
  const today = Math.floor(Date.now() / DAY) * DAY;
  const workouts: Workout[] = Array.from({ length: 10 }, (_, i) => ride(today - (9 - i) * DAY, i)).filter(
    (w) => Date.parse(w.updated_at) < Date.now(),
  );
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  let issued = 0;
  let limited = 0;
  let retryAfter = 1;
  let revokedPermissions = 0;

  const issue = () => {
    issued += 1;
    const access = `wahoo-access-${issued}`;
    const refresh = `wahoo-refresh-${issued}`;
    tokens.set(access, Date.now() + 60_000);
    refreshTokens.add(refresh);
    return {
      access_token: access,
      token_type: 'Bearer',
      expires_in: 60,
      refresh_token: refresh,
      scope: 'user_read workouts_read offline_data',
      created_at: Math.floor(Date.now() / 1000),
    };
  };

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    if (url.pathname === '/oauth/authorize') {
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', 'wahoo-code');
      back.searchParams.set('state', url.searchParams.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/oauth/token' && request.method === 'POST') {
      const form = new URLSearchParams(request.body);
      if (form.get('client_id') !== WAHOO_CLIENT.id || form.get('client_secret') !== WAHOO_CLIENT.secret)
        return json(response, 401, { error: 'invalid_client' });
      if (form.get('grant_type') === 'authorization_code' && form.get('code') === 'wahoo-code') return json(response, 200, issue());
      if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? ''))
        return json(response, 200, issue());
      return json(response, 400, { error: 'invalid_grant' });
    }
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(bearer);
    if (!expiry || expiry < Date.now()) return json(response, 401, { error: 'Unauthorized: invalid or expired access token' });
    if (url.pathname === '/v1/permissions' && request.method === 'DELETE') {
      revokedPermissions += 1;
      tokens.clear();
      refreshTokens.clear();
      response.writeHead(204).end();
      return;
    }
    if (url.pathname === '/v1/user')
      return json(response, 200, { id: WAHOO_USER_ID, email: 'rider@example.com', first: 'Ria', last: 'Der' });
    if (limited > 0) {
      limited -= 1;
      return json(response, 429, { error: 'Too Many Requests' }, { 'retry-after': String(retryAfter) });
    }
    if (url.pathname === '/v1/workouts' && request.method === 'GET') {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100 || !Number.isInteger(page) || page < 1)
        return json(response, 400, { error: 'per_page must be 1 to 100 and page at least 1' });
      const sorted = [...workouts].sort((a, b) => Date.parse(b.starts) - Date.parse(a.starts));
      return json(response, 200, {
        workouts: sorted.slice((page - 1) * perPage, page * perPage),
        total: sorted.length,
        page,
        per_page: perPage,
        order: 'descending',
        sort: 'starts',
      });
    }
    return json(response, 404, { error: 'Not Found' });
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
    permissionsRevoked: () => revokedPermissions,
    uploadLate() {
      const late = {
        ...ride(today - 4 * DAY, workouts.length + 100),
        name: 'Trail run',
        workout_type_id: 1,
        updated_at: new Date().toISOString(),
      };
      workouts.push(late);
      return late.id;
    },
    notify(pushUrl: string, workoutId: number, options: { token?: string } = {}) {
      const workout = workouts.find((w) => w.id === workoutId)!;
      const body = {
        event: 'workout_summary',
        user: { id: WAHOO_USER_ID },
        webhook_token: options.token ?? WAHOO_WEBHOOK_TOKEN,
        workout_summary: { ...workout.workout_summary, workout_id: workout.id },
      };
      return fetch(pushUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    },
  });
}
