import { createHash, randomBytes } from 'node:crypto';
import { json, startFakeServer, type FakeServer } from './fake-server.js';

/**
 * A fake of Garmin's Connect Developer Program, after the documents it was written from:
 * - OAuth2 PKCE specification: GET /oauth2Confirm (response_type=code, client_id, code_challenge with S256,
 *   redirect_uri, state; no scope), POST /di-oauth2-service/oauth/token (authorization_code with code_verifier,
 *   refresh_token; client_id and client_secret in the form; answer { access_token, expires_in, token_type,
 *   refresh_token, scope, jti, refresh_token_expires_in }, a new refresh token with every access token);
 * - User endpoints of the OAuth 2.0 programme, under /partner-gateway/rest/ (where Open Wearables' client calls
 *   them against the live API; nothing answers them under /wellness-api/rest/ here): GET user/id ({ userId }),
 *   GET user/permissions, DELETE user/registration (204, followed by a deregistration notification). Permissions
 *   come in either documented shape: the specification's list (["ACTIVITY_EXPORT", …]) or the gateway's
 *   { permissions: [...] } (`permissionsShape`);
 * - Health API v1.2.2: ping (§4.2) and push (§5.1) notifications, sent with the garmin-client-id header; summary
 *   endpoints queried by upload time (at most 24 h, a pull token in ?token=) answering lists of summaries shaped
 *   as the §7 examples; Summary Backfill (§8: 202 with no body, then notifications as if newly synced; 409 for a
 *   range asked before); errors as { errorMessage } (Appendix E), 412 for a summary type the user does not share
 *   (HEALTH_EXPORT for health summaries, ACTIVITY_EXPORT for activities).
 * - Backfill limits as Garmin's support stated them to Open Wearables (its GarminBackfillService and "Garmin data
 *   pipeline" docs): at most 30 days per request for every summary type (400 beyond; §8 of v1.2.2 said 90 for
 *   health summaries), and 403 for every backfill when the user did not grant HISTORICAL_DATA_EXPORT.
 * Consent is automatic (the fake user shares everything). Days are UTC days; the user's offset is 0.
 */
export const GARMIN_CLIENT = { id: 'garmin-consumer-key', secret: 'garmin-consumer-secret' };
export const GARMIN_USER_ID = '4aacafe82427c251df9c9592d0c06768';
export const GARMIN_PERMISSIONS = ['ACTIVITY_EXPORT', 'HEALTH_EXPORT', 'HISTORICAL_DATA_EXPORT'];

export type GarminMode = 'push' | 'ping';
type Summary = Record<string, unknown>;

export interface FakeGarmin extends FakeServer {
  /** Where notifications go (VitaSync's push endpoint with its ?secret=). */
  deliverTo(url: string): void;
  /** How backfilled data of each summary type is notified; push unless set. */
  modes: Record<string, GarminMode>;
  /** Sends a notification of new summaries (as after a device sync), answering VitaSync's response. */
  notify(key: string, summaries: Summary[], mode: GarminMode): Promise<Response>;
  /** Waits for the notifications the fake sent on its own (after backfill requests, deregistrations). */
  settled(): Promise<void>;
  /** Notifications sent, with VitaSync's answer. */
  deliveries: { key: string; mode: GarminMode | 'lifecycle'; status: number }[];
  /** Backfill ranges Garmin accepted (202), as `resource:from:to`; a repeated range is refused with 409 and not listed again. */
  acceptedBackfills(): string[];
  /** Answer the next N summary or backfill requests with 429 and this Retry-After. */
  rateLimitNext(count: number, retryAfterSeconds: number): void;
  /** Answer the next summary request with a summary that has no start time. */
  malformNext(): void;
  /** The user removes the app in Garmin Connect: tokens die and a deregistration notification follows. */
  deregister(): Promise<Response>;
  /** The user changes what they share: a user permission change notification. */
  changePermissions(permissions: string[]): Promise<Response>;
  /** DELETE user/registration calls that succeeded. */
  registrationsDeleted(): number;
  /** Access tokens issued so far (the first by the code grant, the rest by refreshes). */
  issued(): number;
  /** How GET user/permissions answers: the gateway's { permissions } (default) or the specification's list. */
  permissionsShape: 'object' | 'list';
}

const DAY = 86_400;
const today = () => Math.floor(Date.now() / 1000 / DAY) * DAY;
const ymd = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
const dom = (seconds: number) => new Date(seconds * 1000).getUTCDate();

/** The summaries of one UTC day, shaped as the Health API §7 and Activity API examples (values vary by date). */
export function garminDay(d: number): Record<string, Summary[]> {
  const night = d - 2 * 3600;
  return {
    dailies: [
      {
        summaryId: `x-daily-${d}`,
        calendarDate: ymd(d),
        activityType: 'GENERIC',
        activeKilocalories: 500 + dom(d),
        bmrKilocalories: 1700,
        steps: 8000 + dom(d) * 10,
        distanceInMeters: 6400.5,
        durationInSeconds: DAY,
        activeTimeInSeconds: 5400,
        startTimeInSeconds: d,
        startTimeOffsetInSeconds: 0,
        moderateIntensityDurationInSeconds: 1800,
        vigorousIntensityDurationInSeconds: 900,
        floorsClimbed: 8,
        minHeartRateInBeatsPerMinute: 48,
        averageHeartRateInBeatsPerMinute: 64,
        maxHeartRateInBeatsPerMinute: 150,
        restingHeartRateInBeatsPerMinute: 52,
        timeOffsetHeartRateSamples: { 15: 75, 30: 75, 3180: 76, 3195: 65 },
        averageStressLevel: 30,
        maxStressLevel: 87,
        stressQualifier: 'balanced',
        bodyBatteryChargedValue: 40,
        bodyBatteryDrainedValue: 35,
        stepsGoal: 10000,
      },
    ],
    sleeps: [
      {
        summaryId: `x-sleep-${d}`,
        calendarDate: ymd(d),
        durationInSeconds: 28_800,
        startTimeInSeconds: night,
        startTimeOffsetInSeconds: 0,
        unmeasurableSleepInSeconds: 0,
        deepSleepDurationInSeconds: 5400,
        lightSleepDurationInSeconds: 16_200,
        remSleepInSeconds: 5400,
        awakeDurationInSeconds: 1800,
        sleepLevelsMap: {
          light: [
            { startTimeInSeconds: night, endTimeInSeconds: night + 3600 },
            { startTimeInSeconds: night + 9000, endTimeInSeconds: night + 21_600 },
          ],
          deep: [{ startTimeInSeconds: night + 3600, endTimeInSeconds: night + 9000 }],
          rem: [{ startTimeInSeconds: night + 21_600, endTimeInSeconds: night + 27_000 }],
          awake: [{ startTimeInSeconds: night + 27_000, endTimeInSeconds: night + 28_800 }],
        },
        validation: 'ENHANCED_FINAL',
        overallSleepScore: { value: 82, qualifierKey: 'GOOD' },
        sleepScores: { totalDuration: { qualifierKey: 'GOOD' } },
      },
    ],
    activities: [
      {
        summaryId: `${d}1`,
        activityId: d * 10 + 1,
        activityName: 'Morning Run',
        activityType: 'RUNNING',
        startTimeInSeconds: d + 7 * 3600,
        startTimeOffsetInSeconds: 0,
        durationInSeconds: 2700,
        distanceInMeters: 7500.3,
        averageSpeedInMetersPerSecond: 2.78,
        averageHeartRateInBeatsPerMinute: 152,
        maxHeartRateInBeatsPerMinute: 178,
        activeKilocalories: 560,
        totalElevationGainInMeters: 85.5,
        deviceName: 'Forerunner 965',
        steps: 7200,
        manual: false,
      },
    ],
    bodyComps: [
      {
        summaryId: `x-bc-${d}`,
        measurementTimeInSeconds: d + 6 * 3600 + 1800,
        measurementTimeOffsetInSeconds: 0,
        muscleMassInGrams: 34_500,
        boneMassInGrams: 3200,
        bodyWaterInPercent: 58.2,
        bodyFatInPercent: 18.4,
        bodyMassIndex: 23.1,
        weightInGrams: 75_000 + dom(d) * 10,
      },
    ],
    stressDetails: [
      {
        summaryId: `x-stress-${d}`,
        calendarDate: ymd(d),
        startTimeInSeconds: d,
        startTimeOffsetInSeconds: 0,
        durationInSeconds: DAY,
        timeOffsetStressLevelValues: { 0: 18, 180: 51, 360: -1, 540: 29 },
        timeOffsetBodyBatteryValues: { 0: 55, 180: 56, 360: 59 },
      },
    ],
    userMetrics: [{ summaryId: `x-um-${d}`, calendarDate: ymd(d), vo2Max: 48, enhanced: true, fitnessAge: 32 }],
    pulseox: [
      {
        summaryId: `x-spo2-${d}`,
        calendarDate: ymd(d),
        startTimeInSeconds: d,
        durationInSeconds: DAY,
        startTimeOffsetInSeconds: 0,
        timeOffsetSpo2Values: { 7140: 94, 10_740: 98 },
        onDemand: false,
      },
    ],
    allDayRespiration: [
      {
        summaryId: `x-resp-${d}`,
        startTimeInSeconds: d,
        durationInSeconds: 900,
        startTimeOffsetInSeconds: 0,
        timeOffsetEpochToBreaths: { 0: 14.63, 60: 14.4 },
      },
    ],
    hrv: [
      {
        summaryId: `x-hrv-${d}`,
        calendarDate: ymd(d),
        lastNightAvg: 44,
        lastNight5MinHigh: 72,
        startTimeOffsetInSeconds: 0,
        durationInSeconds: 3600,
        startTimeInSeconds: night,
        hrvValues: { 300: 32, 600: 24, 900: 31 },
      },
    ],
    bloodPressures: [
      {
        summaryId: `x-bp-${d}`,
        systolic: 121,
        diastolic: 79,
        pulse: 62,
        sourceType: 'DEVICE',
        measurementTimeInSeconds: d + 8 * 3600,
        measurementTimeOffsetInSeconds: 0,
      },
    ],
    skinTemp: [
      {
        summaryId: `x-skin-${d}`,
        calendarDate: ymd(d),
        avgDeviationCelsius: -0.4,
        durationInSeconds: 27_000,
        startTimeInSeconds: night,
        startTimeOffsetInSeconds: 0,
      },
    ],
  };
}

/** Backfill and summary resources by notification key (Health API §8 spells some differently). */
const RESOURCES: Record<string, string> = {
  dailies: 'dailies',
  sleeps: 'sleeps',
  activities: 'activities',
  bodyComps: 'bodyComps',
  stressDetails: 'stressDetails',
  userMetrics: 'userMetrics',
  pulseox: 'pulseOx',
  allDayRespiration: 'respiration',
  hrv: 'hrv',
  bloodPressures: 'bloodPressures',
  skinTemp: 'skinTemp',
};
const KEY_OF_RESOURCE = Object.fromEntries(Object.entries(RESOURCES).map(([key, resource]) => [resource, key]));

/** When a summary was recorded, as Summary Backfill's summaryStart/EndTimeInSeconds compare it. */
function recordedAt(summary: Summary): number {
  if (typeof summary.startTimeInSeconds === 'number') return summary.startTimeInSeconds;
  if (typeof summary.measurementTimeInSeconds === 'number') return summary.measurementTimeInSeconds;
  return Date.parse(`${String(summary.calendarDate)}T00:00:00Z`) / 1000;
}

const errorBody = (errorMessage: string) => ({ errorMessage });

export async function startFakeGarmin(options: { permissions?: string[] } = {}): Promise<FakeGarmin> {
  const codes = new Map<string, { redirectUri: string; challenge: string }>();
  const tokens = new Map<string, number>();
  const refreshTokens = new Set<string>();
  const pullTokens = new Set<string>();
  const backfilled = new Set<string>();
  const uploads: { key: string; summary: Summary; uploadedAt: number }[] = [];
  const history = Array.from({ length: 10 }, (_, i) => garminDay(today() - (9 - i) * DAY));
  const pending: Promise<unknown>[] = [];
  const deliveries: FakeGarmin['deliveries'] = [];
  const modes: Record<string, GarminMode> = {};
  let target = '';
  let limited = 0;
  let retryAfter = 1;
  let malformed = false;
  let issuedCount = 0;
  let deletedRegistrations = 0;
  let permissions = [...(options.permissions ?? GARMIN_PERMISSIONS)];
  const shared = (key: string) => permissions.includes(key === 'activities' ? 'ACTIVITY_EXPORT' : 'HEALTH_EXPORT');
  let fake: FakeGarmin;
  const notShared = { status: 412, body: errorBody('The user has not given permission for this summary type') };

  const issue = () => {
    issuedCount += 1;
    const access = `garmin-access-${issuedCount}`;
    const refresh = `garmin-refresh-${issuedCount}`;
    tokens.set(access, Date.now() + 60_000);
    refreshTokens.add(refresh);
    // Short-lived on purpose (Garmin's live 24 h): VitaSync refreshes within five minutes of expiry, so every call does.
    return {
      access_token: access,
      expires_in: 60,
      token_type: 'bearer',
      refresh_token: refresh,
      scope: 'PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE',
      jti: randomBytes(8).toString('hex'),
      refresh_token_expires_in: 7_775_998,
    };
  };

  async function post(body: unknown, key: string, mode: GarminMode | 'lifecycle'): Promise<Response> {
    const response = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json;charset=UTF-8',
        'user-agent': 'Garmin Health API',
        'garmin-client-id': GARMIN_CLIENT.id,
      },
      body: JSON.stringify(body),
    });
    deliveries.push({ key, mode, status: response.status });
    return response;
  }

  function notify(key: string, summaries: Summary[], mode: GarminMode): Promise<Response> {
    const now = Math.floor(Date.now() / 1000);
    if (mode === 'push') return post({ [key]: summaries.map((summary) => ({ userId: GARMIN_USER_ID, ...summary })) }, key, mode);
    for (const summary of summaries) uploads.push({ key, summary, uploadedAt: now });
    const token = randomBytes(8).toString('hex');
    pullTokens.add(token);
    const callbackURL = `${server.url}/wellness-api/rest/${RESOURCES[key]}?uploadStartTimeInSeconds=${now}&uploadEndTimeInSeconds=${now + 1}&token=${token}`;
    // Garmin's own example ends the list with an empty entry.
    return post({ [key]: [{ userId: GARMIN_USER_ID, callbackURL }, {}] }, key, mode);
  }

  /** Sends later, as Garmin does after answering: the request that caused it has had its answer by then. */
  const later = (send: () => Promise<unknown>) =>
    void pending.push(new Promise((resolve) => setTimeout(resolve, 20)).then(send).catch(() => undefined));

  const bearerValid = (authorization: string | undefined) => {
    const expiry = tokens.get((authorization ?? '').replace(/^Bearer /, ''));
    return !!expiry && expiry >= Date.now();
  };

  function backfill(resource: string, query: URLSearchParams) {
    const key = KEY_OF_RESOURCE[resource];
    const [from, to] = [Number(query.get('summaryStartTimeInSeconds')), Number(query.get('summaryEndTimeInSeconds'))];
    if (!key || !Number.isInteger(from) || !Number.isInteger(to) || to < from)
      return { status: 400, body: errorBody('summaryStartTimeInSeconds and summaryEndTimeInSeconds are required') };
    if (to - from > 30 * DAY) return { status: 400, body: errorBody('The time range is too large') };
    if (!permissions.includes('HISTORICAL_DATA_EXPORT'))
      return { status: 403, body: errorBody('The user has not granted access to historical data') };
    if (!shared(key)) return notShared;
    const range = `${resource}:${from}:${to}`;
    if (backfilled.has(range)) return { status: 409, body: errorBody('Duplicate backfill request') };
    backfilled.add(range);
    const summaries = history
      .flatMap((day) => day[key] ?? [])
      .filter((summary) => recordedAt(summary) >= from && recordedAt(summary) <= to);
    if (summaries.length) later(() => notify(key, summaries, modes[key] ?? 'push'));
    return { status: 202, body: null };
  }

  function pull(resource: string, query: URLSearchParams) {
    const key = KEY_OF_RESOURCE[resource];
    const [from, to] = [Number(query.get('uploadStartTimeInSeconds')), Number(query.get('uploadEndTimeInSeconds'))];
    if (!key) return { status: 404, body: errorBody('Unknown summary type') };
    if (!pullTokens.has(query.get('token') ?? '')) return { status: 401, body: errorBody('Invalid or expired pull token') };
    if (!(to > from) || to - from > DAY) return { status: 400, body: errorBody('The upload time range must be at most 86400 seconds') };
    if (!shared(key)) return notShared;
    if (malformed) {
      malformed = false;
      return { status: 200, body: [{ summaryId: 'x-broken', steps: 12 }] };
    }
    return { status: 200, body: uploads.filter((u) => u.key === key && u.uploadedAt >= from && u.uploadedAt <= to).map((u) => u.summary) };
  }

  const server = await startFakeServer((request, response) => {
    const { url } = request;
    if (url.pathname === '/oauth2Confirm') {
      const code = randomBytes(8).toString('hex');
      if (url.searchParams.get('code_challenge_method') !== 'S256' || !url.searchParams.get('code_challenge'))
        return json(response, 400, { error: 'invalid_request' });
      codes.set(code, { redirectUri: url.searchParams.get('redirect_uri')!, challenge: url.searchParams.get('code_challenge')! });
      const back = new URL(url.searchParams.get('redirect_uri')!);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state')!);
      response.writeHead(302, { location: back.toString() }).end();
      return;
    }
    if (url.pathname === '/di-oauth2-service/oauth/token' && request.method === 'POST') {
      const form = new URLSearchParams(request.body);
      if (form.get('client_id') !== GARMIN_CLIENT.id || form.get('client_secret') !== GARMIN_CLIENT.secret)
        return json(response, 401, { error: 'invalid_client' });
      if (form.get('grant_type') === 'authorization_code') {
        const pendingCode = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const verified =
          pendingCode &&
          createHash('sha256').update(verifier).digest('base64url') === pendingCode.challenge &&
          form.get('redirect_uri') === pendingCode.redirectUri;
        return verified ? json(response, 200, issue()) : json(response, 400, { error: 'invalid_grant' });
      }
      if (form.get('grant_type') === 'refresh_token' && refreshTokens.delete(form.get('refresh_token') ?? ''))
        return json(response, 200, issue());
      return json(response, 400, { error: 'invalid_grant' });
    }
    const gateway = url.pathname.startsWith('/partner-gateway/rest/user/');
    if (!url.pathname.startsWith('/wellness-api/rest/') && !gateway) return json(response, 404, errorBody('Not found'));
    if (!bearerValid(request.headers.authorization))
      return json(response, 401, errorBody('Unauthorized: the access token is invalid or expired'));
    const resource = url.pathname.slice(gateway ? '/partner-gateway/rest/'.length : '/wellness-api/rest/'.length);
    if (resource.startsWith('user/') && !gateway) return json(response, 404, errorBody('Not found'));
    if (resource === 'user/id' && request.method === 'GET') return json(response, 200, { userId: GARMIN_USER_ID });
    if (resource === 'user/permissions' && request.method === 'GET')
      return json(response, 200, fake.permissionsShape === 'list' ? permissions : { permissions });
    if (resource === 'user/registration' && request.method === 'DELETE') {
      deletedRegistrations += 1;
      tokens.clear();
      refreshTokens.clear();
      later(() => post({ deregistrations: [{ userId: GARMIN_USER_ID }] }, 'deregistrations', 'lifecycle'));
      response.writeHead(204).end();
      return;
    }
    if (limited > 0) {
      limited -= 1;
      return json(response, 429, errorBody('Rate limit exceeded'), { 'retry-after': String(retryAfter) });
    }
    const answer = resource.startsWith('backfill/')
      ? backfill(resource.slice('backfill/'.length), url.searchParams)
      : pull(resource, url.searchParams);
    if (answer.body === null) {
      response.writeHead(answer.status).end();
      return;
    }
    return json(response, answer.status, answer.body);
  });

  return (fake = Object.assign(server, {
    permissionsShape: 'object' as 'object' | 'list',
    deliverTo(url: string) {
      target = url;
    },
    modes,
    notify,
    acceptedBackfills: () => [...backfilled],
    async settled() {
      while (pending.length) await Promise.all(pending.splice(0));
    },
    deliveries,
    rateLimitNext(count: number, seconds: number) {
      limited = count;
      retryAfter = seconds;
    },
    malformNext() {
      malformed = true;
    },
    async deregister() {
      tokens.clear();
      refreshTokens.clear();
      return post({ deregistrations: [{ userId: GARMIN_USER_ID }] }, 'deregistrations', 'lifecycle');
    },
    changePermissions(granted: string[]) {
      permissions = [...granted];
      const change = {
        userId: GARMIN_USER_ID,
        summaryId: randomBytes(4).toString('hex'),
        permissions: granted,
        changeTimeInSeconds: Math.floor(Date.now() / 1000),
      };
      return post({ userPermissionsChange: [change] }, 'userPermissionsChange', 'lifecycle');
    },
    registrationsDeleted: () => deletedRegistrations,
    issued: () => issuedCount,
  }));
}
