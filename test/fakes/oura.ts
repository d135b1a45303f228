import { createHmac, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of Oura's API v2 and OAuth endpoints, from https://cloud.ouraring.com/docs/authentication and
 * https://cloud.ouraring.com/v2/docs: authorization-code grant, refresh_token grant, revoke, and the
 * usercollection endpoints with `data` + `next_token` pagination, and personal_info. Consent is automatic (the fake
 * user accepts). Webhooks as in the v2 docs' "Webhook Subscription Routes": the app's subscriptions (x-client-id and
 * x-client-secret; list, create, renew), each created only after a GET to its callback_url with the
 * verification_token and a challenge is answered with {"challenge": …}; `notify` then POSTs a signed notification
 * to every subscription of the event's (event_type, data_type), and `sendOuraWebhook` sends one anywhere.
 *
 * Behaviours a client can get wrong, with their source (Oura OpenAPI 2.0, https://cloud.ouraring.com/v2/docs):
 * - heartrate takes start_datetime/end_datetime ("Multiple Heartrate Documents"); daily_activity, sleep and workout
 *   take start_date/end_date, each "a date or a date-time" ("Multiple … Documents" parameters) and select documents
 *   by their local `day`. A date-only end_date is the start of that day, so that day is not returned (the behaviour
 *   clients meet live, e.g. Open Wearables' Oura client, which sends end_date as `<date>T23:59:59` for that reason);
 *   a date-time end_date includes the day it falls in (see `documentDays`).
 * - sleep `type` is a PublicSleepType: deleted, sleep, long_sleep, late_nap, rest ("'rest' = Falsely detected
 *   sleep / nap, rejected in confirm prompt by user"; "'deleted' = deleted sleep by user"). The fake's days carry a
 *   rest period on even days and a deleted one on odd days, beside the night.
 * - daily_activity's equivalent_walking_distance is the "Equivalent walking distance of energe expenditure in
 *   meters" (DailyActivityModel): an energy figure, which the fake sends as Oura does.
 * - Errors: 401 for an expired or revoked token, 429 "Request Rate Limit Exceeded" (with Retry-After, which the
 *   docs do not promise; the fake sends it so the wait is tested), 403 for a lapsed Oura membership (not used).
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
  /** A workout the user just recorded (today, so an incremental sync's window holds it); returns its id. */
  addWorkout(): string;
  /** The app's webhook subscriptions, as Oura keeps them (with the verification token they were made with). */
  subscriptions: FakeOuraSubscription[];
  /** Let every subscription lapse this far from now (so a renewal is due). */
  expireSubscriptionsIn(ms: number): void;
  /** Delivers a notification as Oura does: to each subscription of its (event_type, data_type), signed. */
  notify(event: { event_type: string; data_type: string; object_id: string }): Promise<Response[]>;
}

export interface FakeOuraSubscription {
  id: string;
  callback_url: string;
  verification_token: string;
  event_type: string;
  data_type: string;
  expiration_time: string;
}

export const OURA_CLIENT = { id: 'oura-client', secret: 'oura-secret' };
/** The id personal_info answers, which webhooks name as user_id. */
export const OURA_USER_ID = 'a1b2c3d4-oura-user';
const DAY = 86_400_000;
/** How long the fake's subscriptions live (Oura's WebhookSubscriptionModel has an expiration_time; the span is ours). */
const SUBSCRIPTION_LIFETIME_MS = 90 * DAY;

/** Deterministic heart rate every 10 minutes, paginated 100 rows per page, within the asked window. */
function heartRates(from: number, to: number) {
  const rows = [];
  for (let at = Math.ceil(from / 600_000) * 600_000; at < to; at += 600_000) {
    rows.push({
      bpm: 55 + ((at / 600_000) % 40),
      source: at % DAY < 6 * 3_600_000 ? 'rest' : 'awake',
      timestamp: new Date(at).toISOString(),
    });
  }
  return rows;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The local days a document query selects (both bounds given; the fake's user is at UTC+0). A start date or
 * date-time starts at its date. A date-only end is the start of that day, exclusive; a date-time end includes
 * the day it falls in.
 */
function documentDays(startDate: string, endDate: string): string[] {
  const first = Date.parse(startDate.slice(0, 10));
  const last = DATE_ONLY.test(endDate) ? Date.parse(endDate) - DAY : Date.parse(endDate.slice(0, 10));
  const out: string[] = [];
  for (let at = first; at <= last; at += DAY) out.push(new Date(at).toISOString().slice(0, 10));
  return out;
}

/** The sleep periods of one day: the night, and a rejected (rest) or deleted period beside it. */
function sleepPeriods(day: string, i: number) {
  const at = (hours: number) => new Date(Date.parse(day) + hours * 3_600_000).toISOString();
  const night = {
    id: `sleep-${day}`,
    type: 'long_sleep',
    day,
    bedtime_start: at(-2),
    bedtime_end: at(6),
    total_sleep_duration: 27_000,
    deep_sleep_duration: 5400,
    rem_sleep_duration: 6300,
    light_sleep_duration: 15_300,
    awake_time: 1800,
    efficiency: 88,
    latency: 600,
    average_heart_rate: 54.5,
    lowest_heart_rate: 48,
    average_hrv: 45,
  };
  const other = {
    ...night,
    id: `${i % 2 === 0 ? 'rest' : 'deleted'}-${day}`,
    type: i % 2 === 0 ? 'rest' : 'deleted',
    bedtime_start: at(13),
    bedtime_end: at(13.75),
    total_sleep_duration: 2400,
    deep_sleep_duration: 0,
    rem_sleep_duration: 0,
    light_sleep_duration: 2400,
    average_hrv: 70,
  };
  return [night, other];
}

function page<T>(rows: T[], token: string | null, size: number) {
  const start = token ? Number(token) : 0;
  const next = start + size < rows.length ? String(start + size) : null;
  return { data: rows.slice(start, start + size), next_token: next };
}

/** The settings that point an install's Oura client at this fake server. */
export function ouraEnv(oura: Pick<FakeOura, 'url'>): Record<string, string> {
  return { OURA_CLIENT_ID: OURA_CLIENT.id, OURA_CLIENT_SECRET: OURA_CLIENT.secret, OURA_API_URL: oura.url, OURA_AUTH_URL: oura.url };
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
  const extraWorkouts: Record<string, unknown>[] = [];
  const subscriptions: FakeOuraSubscription[] = [];
  const model = ({ verification_token: _token, ...rest }: FakeOuraSubscription) => rest;
  const expiresFromNow = (ms: number) => new Date(Date.now() + ms).toISOString();

  /** Oura's check of a new subscription's callback: the verification token and a challenge it must echo. */
  async function callbackVerifies(callbackUrl: string, verificationToken: string): Promise<boolean> {
    const challenge = randomUUID();
    const url = new URL(callbackUrl);
    url.searchParams.set('verification_token', verificationToken);
    url.searchParams.set('challenge', challenge);
    const answer = await fetch(url).catch(() => null);
    if (!answer?.ok) return false;
    const body = (await answer.json().catch(() => null)) as { challenge?: unknown } | null;
    return body?.challenge === challenge;
  }

  async function webhookSubscriptions(method: string, path: string, body: string, response: ServerResponse): Promise<void> {
    if (path === '') {
      if (method === 'GET') return json(response, 200, subscriptions.map(model));
      const input = JSON.parse(body || '{}') as Partial<FakeOuraSubscription>;
      const { callback_url, verification_token, event_type, data_type } = input;
      if (!callback_url || !verification_token || !['create', 'update', 'delete'].includes(event_type ?? '') || !data_type) {
        return json(response, 422, { detail: 'callback_url, verification_token, event_type and data_type are required' });
      }
      if (!(await callbackVerifies(callback_url, verification_token)))
        return json(response, 422, { detail: 'callback_url did not answer the verification challenge' });
      const created = {
        id: randomUUID(),
        callback_url,
        verification_token,
        event_type: event_type!,
        data_type,
        expiration_time: expiresFromNow(SUBSCRIPTION_LIFETIME_MS),
      };
      subscriptions.push(created);
      return json(response, 201, model(created));
    }
    const renew = /^\/renew\/([^/]+)$/.exec(path);
    const subscription = renew && method === 'PUT' ? subscriptions.find((s) => s.id === decodeURIComponent(renew[1]!)) : undefined;
    if (!subscription) return json(response, 404, { detail: 'Not Found' });
    subscription.expiration_time = expiresFromNow(SUBSCRIPTION_LIFETIME_MS);
    return json(response, 200, model(subscription));
  }

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
      if (form.get('client_id') !== OURA_CLIENT.id || form.get('client_secret') !== OURA_CLIENT.secret)
        return json(response, 401, { error: 'invalid_client' });
      if (form.get('grant_type') === 'authorization_code' && form.get('code') === 'oura-code') return json(response, 200, issue());
      if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? ''))
        return json(response, 200, issue());
      return json(response, 400, { error: 'invalid_grant' });
    }
    if (url.pathname === '/oauth/revoke') {
      revoked.push(url.searchParams.get('access_token') ?? new URLSearchParams(request.body).get('token') ?? '');
      return json(response, 200, {});
    }
    if (url.pathname.startsWith('/v2/webhook/subscription')) {
      if (request.headers['x-client-id'] !== OURA_CLIENT.id || request.headers['x-client-secret'] !== OURA_CLIENT.secret)
        return json(response, 401, { detail: 'Unauthorized' });
      return webhookSubscriptions(request.method, url.pathname.slice('/v2/webhook/subscription'.length), request.body, response);
    }
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(bearer);
    if (url.pathname === '/v2/usercollection/personal_info' && expiry && expiry >= Date.now()) {
      return json(response, 200, {
        id: OURA_USER_ID,
        age: 34,
        weight: 70.2,
        height: 1.78,
        biological_sex: 'female',
        email: 'ring-owner@example.com',
      });
    }
    while (held) await held;
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
        return json(
          response,
          200,
          page(
            documentDays(q.get('start_date')!, q.get('end_date')!).map((day, i) => ({
              id: `act-${day}`,
              day,
              steps: 6000 + i * 100,
              active_calories: 400 + i,
              equivalent_walking_distance: 5000 + i * 10,
              timestamp: `${day}T00:00:00.000Z`,
            })),
            token,
            10,
          ),
        );
      case '/v2/usercollection/sleep':
        return json(
          response,
          200,
          page(
            documentDays(q.get('start_date')!, q.get('end_date')!).flatMap((day) => sleepPeriods(day, Date.parse(day) / DAY)),
            token,
            10,
          ),
        );
      case '/v2/usercollection/workout': {
        const range = documentDays(q.get('start_date')!, q.get('end_date')!);
        const daily = range
          .filter((_, i) => i % 3 === 0)
          .map((day) => ({
            id: `workout-${day}`,
            activity: 'running',
            intensity: 'moderate',
            calories: 450,
            distance: 7200,
            start_datetime: `${day}T17:00:00.000Z`,
            end_datetime: `${day}T17:40:00.000Z`,
            source: 'manual',
          }));
        const extra = extraWorkouts.filter((workout) => range.includes(String(workout.day)));
        return json(response, 200, page([...daily, ...extra], token, 10));
      }
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
    addWorkout() {
      const start = Date.now() - 50 * 60_000;
      const id = `workout-extra-${extraWorkouts.length + 1}`;
      extraWorkouts.push({
        id,
        day: new Date(start).toISOString().slice(0, 10),
        activity: 'cycling',
        intensity: 'hard',
        calories: 380,
        distance: 15_000,
        start_datetime: new Date(start).toISOString(),
        end_datetime: new Date(start + 40 * 60_000).toISOString(),
        source: 'autodetected',
      });
      return id;
    },
    subscriptions,
    expireSubscriptionsIn(ms: number) {
      for (const subscription of subscriptions) subscription.expiration_time = expiresFromNow(ms);
    },
    notify(event: { event_type: string; data_type: string; object_id: string }) {
      const targets = subscriptions.filter((s) => s.event_type === event.event_type && s.data_type === event.data_type);
      return Promise.all(targets.map((s) => sendOuraWebhook(s.callback_url, event)));
    },
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

/**
 * POSTs an Oura webhook notification to `pushUrl`, signed as Oura signs it: x-oura-signature is the upper-case hex
 * HMAC-SHA256 of x-oura-timestamp (Unix seconds) followed by the body, keyed with the client secret (or another
 * secret, to forge one; `tamper` changes the body after signing).
 */
export async function sendOuraWebhook(
  pushUrl: string,
  event: { event_type: string; data_type: string; object_id?: string },
  options: { secret?: string; userId?: string; tamper?: (body: string) => string } = {},
): Promise<Response> {
  const body = JSON.stringify({
    event_type: event.event_type,
    data_type: event.data_type,
    object_id: event.object_id ?? 'object-1',
    event_time: new Date().toISOString(),
    user_id: options.userId ?? OURA_USER_ID,
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', options.secret ?? OURA_CLIENT.secret)
    .update(timestamp + body)
    .digest('hex')
    .toUpperCase();
  const headers = { 'content-type': 'application/json', 'x-oura-signature': signature, 'x-oura-timestamp': timestamp };
  return fetch(pushUrl, { method: 'POST', headers, body: options.tamper ? options.tamper(body) : body });
}
