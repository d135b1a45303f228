import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of the Dexcom API v3 and its OAuth endpoints, after these pages:
 * - https://developer.dexcom.com/docs/dexcom/authentication (login at /v2/oauth2/login with scope offline_access,
 *   token at /v2/oauth2/token with client_id/client_secret in the form; refresh tokens are single-use and rotate;
 *   no revocation endpoint)
 * - https://developer.dexcom.com/docs/dexcomv3/endpoint-overview (60,000 calls per app per hour, then 429;
 *   systemTime is the device's UTC clock, displayTime what the device shows)
 * - https://developer.dexcom.com/docs/dexcomv3/operation/getEstimatedGlucoseValuesV3 (startDate/endDate as
 *   YYYY-MM-DDThh:mm:ss, at most 30 days apart; { recordType, recordVersion, userId, records }; unit mg/dL or
 *   mmol/L; status ok/high/low/unknown; receivers write times without an offset, the apps with one)
 * - https://developer.dexcom.com/docs/dexcomv3/operation/getEventsV3 (eventType carbs/insulin/exercise/health…,
 *   exercise with eventSubType light/medium/heavy and value in minutes; eventStatus created/updated/deleted). Its
 *   response schema types `value` as a string while its example sends a number: the fake sends both (the apps'
 *   exercise as "30", receivers' numbers), and one exercise a day whose value is no number ("n/a").
 * Consent is automatic (the fake user accepts). Dexcom sends no push notifications, so there is no signer here.
 */
export interface FakeDexcom extends FakeServer {
  /** Answer the next N data requests with 429 and this Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Make every token invalid (the user withdrew access in their Dexcom account). */
  revokeAll(): void;
  /** While on, /egvs answers a record without its systemTime. */
  malformed(on: boolean): void;
  /** A reading uploaded after the regular five-minute series (new data for the next sync). */
  addEgv(at: Date, value: number): void;
  /** Every EGV record answered so far (with repeats where requested windows overlapped). */
  served: EgvRecord[];
  /** Access tokens issued so far (the first by the code grant, the rest by refreshes). */
  issued(): number;
}

export interface EgvRecord {
  recordId: string;
  systemTime: string;
  displayTime: string;
  transmitterId: string;
  transmitterTicks: number;
  value: number | null;
  status: string;
  trend: string;
  trendRate: number | null;
  unit: string;
  rateUnit: string;
  displayDevice: string;
  transmitterGeneration: string;
}

export const DEXCOM_CLIENT = { id: 'dexcom-client', secret: 'dexcom-secret' };
const USER_ID = '5b329ebcfbf2f0ba7e49d4c5eb57775468f5ee657ac16fcde07e1fd08197b4c7';
const FIVE_MINUTES = 300_000;
const DAY = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/;
const noOffset = (at: number) => new Date(at).toISOString().slice(0, 19);

/**
 * The reading of five-minute slot k: mostly mg/dL from a receiver (times without offset, display clock an hour
 * ahead), every hour one mmol/L reading from the iOS app (times with offset), and each day three sentinels: a
 * 'low' and a 'high' at the sensor's bounds and a slot with no reading (value 0).
 */
function egv(k: number): EgvRecord {
  const at = k * FIVE_MINUTES;
  const mgdl = Math.round(110 + 40 * Math.sin(k / 20));
  const base = {
    recordId: `egv-${k}`,
    transmitterId: '8GZ7K2',
    transmitterTicks: k * 300,
    trend: 'flat',
    trendRate: 0.1,
    transmitterGeneration: 'g7',
    systemTime: noOffset(at),
    displayTime: noOffset(at + 3_600_000),
    displayDevice: 'receiver',
    unit: 'mg/dL',
    rateUnit: 'mg/dL/min',
  };
  if (k % 288 === 7) return { ...base, value: 40, status: 'low', trend: 'doubleDown' };
  if (k % 288 === 77) return { ...base, value: 400, status: 'high', trend: 'doubleUp' };
  if (k % 288 === 100) return { ...base, value: 0, status: 'unknown', trend: 'notComputable', trendRate: null };
  if (k % 12 === 3) {
    return {
      ...base,
      systemTime: `${noOffset(at)}+00:00`,
      displayTime: `${noOffset(at - 5 * 3_600_000)}-05:00`,
      displayDevice: 'iOS',
      unit: 'mmol/L',
      rateUnit: 'mmol/L/min',
      value: Math.round((mgdl / 18.016) * 10) / 10,
      status: 'ok',
    };
  }
  return { ...base, value: mgdl, status: 'ok' };
}

/**
 * Per UTC day: exercise at 17:00 (30 min, its value a string as the schema types it), carbs and insulin at lunch
 * (numbers, as the example), an exercise entry the user deleted, and one at 19:00 whose value is unreadable.
 */
function events(from: number, to: number) {
  const out = [];
  for (let day = Math.floor(from / DAY) * DAY; day <= to; day += DAY) {
    const label = new Date(day).toISOString().slice(0, 10);
    const entry = (id: string, offset: number, fields: Record<string, unknown>) => ({
      recordId: `${id}-${label}`,
      systemTime: noOffset(day + offset),
      displayTime: noOffset(day + offset),
      eventStatus: 'created',
      transmitterId: '8GZ7K2',
      transmitterGeneration: 'g7',
      displayDevice: 'android',
      eventSubType: null,
      ...fields,
    });
    out.push(
      entry('exercise', 17 * 3_600_000, { eventType: 'exercise', eventSubType: 'medium', value: '30', unit: 'minutes' }),
      entry('unreadable', 19 * 3_600_000, { eventType: 'exercise', eventSubType: 'light', value: 'n/a', unit: 'minutes' }),
      entry('carbs', 12 * 3_600_000, { eventType: 'carbs', value: 45, unit: 'grams' }),
      entry('insulin', 12 * 3_600_000 + FIVE_MINUTES, { eventType: 'insulin', eventSubType: 'fastActing', value: 4, unit: 'units' }),
      entry('deleted', 7 * 3_600_000, { eventType: 'exercise', eventSubType: 'light', value: 20, unit: 'minutes', eventStatus: 'deleted' }),
    );
  }
  return out.filter((event) => Date.parse(`${event.systemTime}Z`) >= from && Date.parse(`${event.systemTime}Z`) <= to);
}

export async function startFakeDexcom(): Promise<FakeDexcom> {
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const codes = new Map<string, string>();
  const extra: EgvRecord[] = [];
  const served: EgvRecord[] = [];
  let limited = 0;
  let retryAfter = 1;
  let broken = false;
  let issuedCount = 0;

  const issue = () => {
    issuedCount += 1;
    const access = `dexcom-access-${issuedCount}`;
    const refresh = `dexcom-refresh-${issuedCount}`;
    // Dexcom's tokens live 7200 s; 60 s here is inside VitaSync's 5-minute margin, so every page refreshes.
    tokens.set(access, Date.now() + 60_000);
    refreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: 60, token_type: 'Bearer' };
  };

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    const q = url.searchParams;
    if (request.method === 'GET' && url.pathname === '/v2/oauth2/login') {
      if (q.get('client_id') !== DEXCOM_CLIENT.id || q.get('response_type') !== 'code' || q.get('scope') !== 'offline_access') {
        return json(response, 400, { error: 'invalid_request' });
      }
      const code = `dexcom-code-${codes.size + 1}`;
      codes.set(code, q.get('redirect_uri')!);
      const back = new URL(q.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (request.method === 'POST' && url.pathname === '/v2/oauth2/token') {
      const form = new URLSearchParams(request.body);
      if (form.get('client_id') !== DEXCOM_CLIENT.id || form.get('client_secret') !== DEXCOM_CLIENT.secret)
        return json(response, 401, { error: 'invalid_client' });
      const code = form.get('code') ?? '';
      if (form.get('grant_type') === 'authorization_code' && codes.get(code) === form.get('redirect_uri') && codes.delete(code))
        return json(response, 200, issue());
      // Single use: a refresh token is spent by its first refresh, which hands out the next one.
      if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? ''))
        return json(response, 200, issue());
      return json(response, 400, { error: 'invalid_grant' });
    }
    const bearer = (request.headers.authorization ?? '').replace(/^Bearer /, '');
    const expiry = tokens.get(bearer);
    if (!expiry || expiry < Date.now()) return json(response, 401, { fault: { faultstring: 'Invalid Access Token' } });
    if (limited > 0) {
      limited -= 1;
      return json(response, 429, { fault: { faultstring: 'Rate limit quota violation' } }, { 'retry-after': String(retryAfter) });
    }
    const start = q.get('startDate') ?? '';
    const end = q.get('endDate') ?? '';
    const from = Date.parse(`${start}Z`);
    const to = Date.parse(`${end}Z`);
    if (!DATE.test(start) || !DATE.test(end) || to < from || to - from > 30 * DAY) {
      return json(response, 400, { error: 'startDate and endDate must be YYYY-MM-DDThh:mm:ss, at most 30 days apart' });
    }
    switch (url.pathname) {
      case '/v3/users/self/egvs': {
        if (broken)
          return json(response, 200, {
            recordType: 'egv',
            recordVersion: '3.0',
            userId: USER_ID,
            records: [{ recordId: 'egv-broken', value: 120, unit: 'mg/dL' }],
          });
        const records: EgvRecord[] = [];
        for (let k = Math.ceil(from / FIVE_MINUTES); k * FIVE_MINUTES <= to; k++) records.push(egv(k));
        records.push(...extra.filter((record) => Date.parse(`${record.systemTime}Z`) >= from && Date.parse(`${record.systemTime}Z`) <= to));
        served.push(...records);
        return json(response, 200, { recordType: 'egv', recordVersion: '3.0', userId: USER_ID, records });
      }
      case '/v3/users/self/events':
        return json(response, 200, { recordType: 'event', recordVersion: '3.0', userId: USER_ID, records: events(from, to) });
      default:
        return json(response, 404, { error: 'Not Found' });
    }
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
    malformed(on: boolean) {
      broken = on;
    },
    addEgv(at: Date, value: number) {
      // Off the five-minute grid, so it never shares a timestamp with a regular reading.
      const second = Math.floor(at.getTime() / 1000) * 1000;
      const time = noOffset(second % FIVE_MINUTES === 0 ? second - 1000 : second);
      extra.push({ ...egv(0), recordId: `egv-extra-${extra.length}`, systemTime: time, displayTime: time, value, status: 'ok' });
    },
    served,
    issued: () => issuedCount,
  });
}
