import { createHmac, randomBytes } from 'node:crypto';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of the Withings Public API, after the pages of https://developer.withings.com it was written from:
 * - api-reference "OAuth2": authorize2 (consent), POST /v2/oauth2 action=requesttoken (authorization_code and
 *   refresh_token grants, client_id + client_secret in the form, answer { status: 0, body: { userid, access_token,
 *   refresh_token, expires_in, scope } }) and action=revoke (signed with a nonce);
 * - developer-guide "Sign your requests" and api-reference "Signature v2 - Getnonce": HMAC-SHA256 of the sorted values;
 * - api-reference "Measure - Getmeas" (measuregrps, value × 10^unit, `more` 1/0 + `offset`), "Measure v2 -
 *   Getactivity" and "Sleep v2 - Getsummary" (`more` true/false + `offset`; only the requested data_fields);
 * - an expired or revoked token: HTTP 200 with { status: 401 } (as Withings answers); the rate limit: status 601;
 * - developer-guide "Keep user's data up to date" and "Payload and Categories": the notification form body;
 * - Notify - Subscribe / Revoke (POST /notify with action, callbackurl, appli): before accepting a subscription,
 *   Withings checks the callback URL with a HEAD request that must answer 2xx ("Subscribe to notifications"),
 *   else status 293 ("the callback URL is either absent or incorrect");
 * - "Notification categories" (developer-guide v3, data-api/notifications/notification-content): new data is
 *   notified only to the callback subscribed for its category (appli): 1 weight and body composition, 2 temperature
 *   (meastypes 12, 71, 73), 4 blood pressure, heart rate and SpO2, 16 activity, 44 sleep, 46 user actions.
 *   `notifyCategory` delivers that way (nothing without a subscription), so a client that subscribes the wrong
 *   category misses the data.
 * Consent is automatic (the fake user accepts). Days are UTC days.
 */
export interface FakeWithings extends FakeServer {
  userId: number;
  /** Answer the next N data calls with HTTP 429 and this Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Answer the next N data calls with HTTP 200 { status: 601 }, Withings' own rate-limit answer. */
  throttleNext(count: number): void;
  /** Answer the next data call with a page whose measure groups have no date. */
  malformNext(): void;
  /** A weigh-in (kg) at this instant, beside the generated daily ones. */
  addWeighIn(at: Date, kg: number): void;
  /** Make every token invalid (the user removed the app in Withings' account settings). */
  revokeAll(): void;
  /** User ids revoked through OAuth 2.0 - Revoke user access. */
  revoked: number[];
  /** Access tokens issued so far (the first by the code grant, the rest by refreshes). */
  issued(): number;
  /** Notify calls in order, with the HEAD status their callback URL answered (subscribe only). */
  notifyCalls: { action: string; appli: number; callbackurl: string; headStatus: number | null }[];
  /** Accepted subscriptions: callback URL by appli. */
  subscriptions: Map<number, string>;
  /** A body temperature reading (°C, meastype 71) at this instant, as a thermometer or watch records it. */
  addTemperature(at: Date, celsius: number): void;
  /**
   * Notifies new data of one category as Withings does: a form POST to the callback URL subscribed for that appli
   * (with startdate/enddate around `at`); null when no subscription of that category exists, so nothing is sent.
   */
  notifyCategory(appli: number, at: Date): Promise<Response | null>;
}

export const WITHINGS_CLIENT = { id: 'withings-client', secret: 'withings-secret' };
const DAY = 86_400_000;
const PAGE_SIZE = 3;

const sign = (values: string[]) => createHmac('sha256', WITHINGS_CLIENT.secret).update(values.join(',')).digest('hex');
const ok = (body: unknown) => ({ status: 0, body });

function utcDays(from: string, to: string): string[] {
  const days: string[] = [];
  for (let at = Date.parse(from); at <= Date.parse(to); at += DAY) days.push(new Date(at).toISOString().slice(0, 10));
  return days;
}

function page<T>(rows: T[], offset: number, numeric: boolean) {
  const more = offset + PAGE_SIZE < rows.length;
  return { rows: rows.slice(offset, offset + PAGE_SIZE), more: numeric ? Number(more) : more, offset: more ? offset + PAGE_SIZE : 0 };
}

interface MeasureGroup {
  grpid: number;
  attrib: number;
  date: number;
  category: number;
  model: string;
  measures: { value: number; type: number; unit: number }[];
}

const dayOfMonth = (day: string) => Number(day.slice(8, 10));

/** A scale weigh-in at 07:00 and a blood-pressure reading at 08:00 every UTC day (values vary with the date). */
function dailyGroups(day: string): MeasureGroup[] {
  const at = Date.parse(day) / 1000;
  return [
    {
      grpid: at + 1,
      attrib: 0,
      date: at + 7 * 3600,
      category: 1,
      model: 'Body Cardio',
      measures: [
        { value: 72_000 + dayOfMonth(day) * 30, type: 1, unit: -3 },
        { value: 215, type: 6, unit: -1 },
        { value: 3950, type: 77, unit: -2 },
        { value: 5500, type: 76, unit: -2 },
        { value: 290, type: 88, unit: -2 },
        { value: 15_600, type: 8, unit: -3 },
      ],
    },
    {
      grpid: at + 2,
      attrib: 0,
      date: at + 8 * 3600,
      category: 1,
      model: 'BPM Connect',
      measures: [
        { value: 121, type: 10, unit: 0 },
        { value: 79, type: 9, unit: 0 },
        { value: 64, type: 11, unit: 0 },
      ],
    },
  ];
}

function activity(day: string) {
  return {
    date: day,
    timezone: 'UTC',
    model: 'ScanWatch',
    steps: 8000 + dayOfMonth(day) * 10,
    distance: 6100.5,
    elevation: 7,
    moderate: 1200,
    intense: 600,
    calories: 410,
    totalcalories: 2210,
  };
}

function sleepSummary(day: string) {
  const wake = Date.parse(day) / 1000 + 6 * 3600;
  return {
    id: wake,
    date: day,
    timezone: 'UTC',
    model: 32,
    startdate: wake - 8 * 3600,
    enddate: wake,
    data: {
      deepsleepduration: 5400,
      lightsleepduration: 14_400,
      remsleepduration: 5400,
      wakeupduration: 1800,
      total_sleep_time: 25_200,
      sleep_efficiency: 0.875,
      sleep_latency: 600,
      wakeupcount: 2,
      hr_average: 56,
      hr_max: 71,
      rr_average: 14,
      sleep_score: 82,
    },
  };
}

const pick = (row: Record<string, unknown>, fields: string | null, keep: string[]) =>
  Object.fromEntries(Object.entries(row).filter(([key]) => keep.includes(key) || (fields ?? '').split(',').includes(key)));

export async function startFakeWithings(): Promise<FakeWithings> {
  const userId = 4_242_001;
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const codes = new Map<string, string>();
  const nonces = new Set<string>();
  const extraGroups: MeasureGroup[] = [];
  const revoked: number[] = [];
  const notifyCalls: FakeWithings['notifyCalls'] = [];
  const subscriptions = new Map<number, string>();
  let limited = 0;
  let retryAfter = 1;
  let throttled = 0;
  let malformed = false;
  let issuedCount = 0;

  const issue = () => {
    issuedCount += 1;
    const access = `withings-access-${issuedCount}`;
    const refresh = `withings-refresh-${issuedCount}`;
    tokens.set(access, Date.now() + 60_000);
    refreshTokens.add(refresh);
    // Short-lived on purpose: VitaSync refreshes tokens within five minutes of expiry, so every page refreshes.
    return ok({
      userid: userId,
      access_token: access,
      refresh_token: refresh,
      expires_in: 60,
      scope: 'user.info,user.metrics,user.activity',
      token_type: 'Bearer',
    });
  };

  function oauth2(form: URLSearchParams) {
    if (form.get('client_id') !== WITHINGS_CLIENT.id) return { status: 503, error: 'Invalid Params: invalid client_id' };
    if (form.get('action') === 'revoke') {
      const nonce = form.get('nonce') ?? '';
      if (!nonces.delete(nonce) || form.get('signature') !== sign(['revoke', WITHINGS_CLIENT.id, nonce]))
        return { status: 503, error: 'Invalid signature' };
      revoked.push(Number(form.get('userid')));
      tokens.clear();
      return ok({});
    }
    if (form.get('action') !== 'requesttoken' || form.get('client_secret') !== WITHINGS_CLIENT.secret)
      return { status: 503, error: 'Invalid Params' };
    if (form.get('grant_type') === 'authorization_code') {
      const redirect = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      return redirect && redirect === form.get('redirect_uri') ? issue() : { status: 503, error: 'Invalid Params: invalid code' };
    }
    if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? '')) return issue();
    return { status: 503, error: 'Invalid Params: invalid refresh_token' };
  }

  function data(path: string, form: URLSearchParams) {
    const offset = Number(form.get('offset') ?? 0);
    const fields = form.get('data_fields');
    if (path === '/measure' && form.get('action') === 'getmeas') {
      if (malformed) {
        malformed = false;
        return ok({ measuregrps: [{ grpid: 1, measures: [] }], more: 0, offset: 0 });
      }
      const [from, to] = [Number(form.get('startdate')), Number(form.get('enddate'))];
      const days = utcDays(new Date(from * 1000).toISOString().slice(0, 10), new Date(to * 1000).toISOString().slice(0, 10));
      const types = (form.get('meastypes') ?? '').split(',').map(Number);
      const groups = [...days.flatMap(dailyGroups), ...extraGroups]
        .filter((g) => g.date >= from && g.date <= to)
        .map((g) => ({ ...g, measures: g.measures.filter((m) => types.includes(m.type)) }))
        .sort((a, b) => a.date - b.date);
      const { rows, ...more } = page(groups, offset, true);
      return ok({ updatetime: Math.floor(Date.now() / 1000), timezone: 'UTC', measuregrps: rows, ...more });
    }
    const days = utcDays(form.get('startdateymd') ?? '', form.get('enddateymd') ?? '');
    if (path === '/v2/measure' && form.get('action') === 'getactivity') {
      const { rows, ...more } = page(
        days.map((day) => pick(activity(day), fields, ['date', 'timezone', 'model'])),
        offset,
        false,
      );
      return ok({ activities: rows, ...more });
    }
    if (path === '/v2/sleep' && form.get('action') === 'getsummary') {
      const { rows, ...more } = page(
        days.map((day) => ({ ...sleepSummary(day), data: pick(sleepSummary(day).data, fields, []) })),
        offset,
        false,
      );
      return ok({ series: rows, ...more });
    }
    return { status: 2554, error: 'Unknown action' };
  }

  async function notify(form: URLSearchParams) {
    const action = form.get('action') ?? '';
    const appli = Number(form.get('appli'));
    const callbackurl = form.get('callbackurl') ?? '';
    if (action === 'subscribe') {
      const headStatus = await fetch(callbackurl, { method: 'HEAD' }).then(
        (r) => r.status,
        () => 0,
      );
      notifyCalls.push({ action, appli, callbackurl, headStatus });
      if (headStatus < 200 || headStatus > 299) return { status: 293, error: 'The callback URL is either absent or incorrect' };
      subscriptions.set(appli, callbackurl);
      return ok({});
    }
    notifyCalls.push({ action, appli, callbackurl, headStatus: null });
    if (action === 'revoke' && subscriptions.get(appli) === callbackurl) {
      subscriptions.delete(appli);
      return ok({});
    }
    return { status: 294, error: 'No such subscription was found' };
  }

  const server = await startFakeServer(async (request, response) => {
    const { url } = request;
    const form = new URLSearchParams(request.body);
    if (url.pathname === '/oauth2_user/authorize2') {
      const code = randomBytes(8).toString('hex');
      codes.set(code, url.searchParams.get('redirect_uri')!);
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (request.method !== 'POST') return json(response, 405, { error: 'POST only' });
    if (url.pathname === '/v2/oauth2') return json(response, 200, oauth2(form));
    if (url.pathname === '/v2/signature' && form.get('action') === 'getnonce') {
      if (form.get('signature') !== sign(['getnonce', form.get('client_id') ?? '', form.get('timestamp') ?? '']))
        return json(response, 200, { status: 503, error: 'Invalid signature' });
      const nonce = randomBytes(12).toString('hex');
      nonces.add(nonce);
      return json(response, 200, ok({ nonce }));
    }
    if (limited > 0) {
      limited -= 1;
      return json(response, 429, { error: 'Too Many Requests' }, { 'retry-after': String(retryAfter) });
    }
    // The rate limit is the application's, counted before the token is looked at.
    if (throttled > 0) {
      throttled -= 1;
      return json(response, 200, { status: 601, body: {}, error: 'Too Many Requests' });
    }
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(bearer);
    if (!expiry || expiry < Date.now())
      return json(response, 200, { status: 401, body: {}, error: 'invalid_token: The access token provided is invalid' });
    if (url.pathname === '/notify') return json(response, 200, await notify(form));
    return json(response, 200, data(url.pathname, form));
  });

  return Object.assign(server, {
    userId,
    rateLimitNext(count: number, seconds: number) {
      limited = count;
      retryAfter = seconds;
    },
    throttleNext(count: number) {
      throttled = count;
    },
    malformNext() {
      malformed = true;
    },
    addWeighIn(at: Date, kg: number) {
      const date = Math.floor(at.getTime() / 1000);
      extraGroups.push({
        grpid: date * 10,
        attrib: 0,
        date,
        category: 1,
        model: 'Body Cardio',
        measures: [{ value: Math.round(kg * 1000), type: 1, unit: -3 }],
      });
    },
    addTemperature(at: Date, celsius: number) {
      const date = Math.floor(at.getTime() / 1000);
      extraGroups.push({
        grpid: date * 10 + 1,
        attrib: 0,
        date,
        category: 1,
        model: 'Thermo',
        measures: [{ value: Math.round(celsius * 100), type: 71, unit: -2 }],
      });
    },
    async notifyCategory(appli: number, at: Date) {
      const callbackurl = subscriptions.get(appli);
      if (!callbackurl) return null;
      const seconds = Math.floor(at.getTime() / 1000);
      const fields = { userid: String(userId), appli: String(appli), startdate: String(seconds - 60), enddate: String(seconds + 60) };
      return fetch(callbackurl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields),
      });
    },
    revokeAll() {
      tokens.clear();
      refreshTokens.clear();
    },
    revoked,
    issued: () => issuedCount,
    notifyCalls,
    subscriptions,
  });
}

/**
 * Sends a Withings data update notification (appli 1: new weight-related data, or with `action` appli 46: a user
 * action) to VitaSync's push endpoint, the way Notify delivers it: a form body, authenticated only by the secret
 * in the subscribed callback URL.
 */
export async function sendWithingsNotification(
  vitasyncUrl: string,
  options: { userId: number; secret: string; at?: Date; action?: 'unlink' | 'delete' | 'update' },
): Promise<Response> {
  const at = Math.floor((options.at ?? new Date()).getTime() / 1000);
  const callback = new URL(`${vitasyncUrl}/v1/providers/withings/push`);
  callback.searchParams.set('secret', options.secret);
  // appli 46 (user actions) carries an action and no date range.
  const fields: Record<string, string> = options.action
    ? { userid: String(options.userId), appli: '46', action: options.action }
    : { userid: String(options.userId), appli: '1', startdate: String(at - 60), enddate: String(at) };
  return fetch(callback, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}
