import { createHmac } from 'node:crypto';
import { ProviderError } from '../provider-error.js';
import type { OAuthSettings, Provider, ProviderPage, TokenSet } from '../provider.js';
import { hasClientCredentials } from '../settings.js';
import { dataCall, packToken, postForm, settings, unpackToken } from './api.js';
import {
  activitySamples,
  checkedRows,
  isActivity,
  isMeasureGroup,
  isSleepSummary,
  measureSamples,
  MEASURE_TYPE_IDS,
  sleepEvents,
  type WithingsActivity,
  type WithingsMeasureGroup,
  type WithingsSleepSummary,
} from './mapping.js';
import { revokeNotifications, subscribeNotifications } from './notify.js';
import { parseWithingsPush, withingsPushChallenge } from './push.js';

/** OAuth 2.0 - Request Access and Refresh Tokens: action=requesttoken and a wrapped answer, not RFC 6749. */
async function requestToken(form: Record<string, string>, oauth: OAuthSettings, now: Date): Promise<TokenSet> {
  const body = await postForm(
    oauth.tokenUrl,
    { ...form, action: 'requesttoken', client_id: oauth.clientId, client_secret: oauth.clientSecret },
    'unauthorized',
  );
  if (typeof body.access_token !== 'string' || !body.access_token)
    throw new ProviderError('Withings requesttoken answered without an access_token', 'invalid_response');
  const userId = typeof body.userid === 'number' || typeof body.userid === 'string' ? String(body.userid) : null;
  const expiresIn = Number(body.expires_in);
  return {
    accessToken: userId ? packToken(userId, body.access_token) : body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : (form.refresh_token ?? null),
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes: typeof body.scope === 'string' ? body.scope.split(',').filter(Boolean) : oauth.scopes,
    externalUserId: userId,
  };
}

/** Signature hash protocol: HMAC-SHA256 with the client secret over the values of the signed keys, sorted by key. */
const sign = (secret: string, values: Record<string, string>) =>
  createHmac('sha256', secret)
    .update(
      Object.keys(values)
        .sort()
        .map((key) => values[key])
        .join(','),
    )
    .digest('hex');

/** Signature v2 - Getnonce, then OAuth 2.0 - Revoke user access signed with that nonce. */
async function revokeAccess(stored: string, oauth: OAuthSettings): Promise<boolean> {
  const { userId } = unpackToken(stored);
  if (!userId) return false;
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonceAsk = { action: 'getnonce', client_id: oauth.clientId, timestamp };
  const { nonce } = await postForm(
    new URL('signature', oauth.tokenUrl).toString(),
    { ...nonceAsk, signature: sign(oauth.clientSecret, nonceAsk) },
    'unavailable',
  );
  if (typeof nonce !== 'string') throw new ProviderError('Withings getnonce answered without a nonce', 'invalid_response');
  const revoke = { action: 'revoke', client_id: oauth.clientId, nonce };
  await postForm(oauth.tokenUrl, { ...revoke, signature: sign(oauth.clientSecret, revoke), userid: userId }, 'unavailable');
  return true;
}

/** Offset pagination: `more` (1/0 in getmeas, a boolean elsewhere) and the `offset` to ask for next. */
function nextOffset(body: Record<string, unknown>, page: string | null): string | null {
  if (!body.more) return null;
  const offset = Number(body.offset);
  if (!Number.isInteger(offset) || offset <= Number(page ?? 0))
    throw new ProviderError(`Withings announced more rows without a next offset (${String(body.offset)})`, 'invalid_response');
  return String(offset);
}

const ymd = (date: Date) => date.toISOString().slice(0, 10);
const withOffset = (page: string | null): Record<string, string> => (page ? { offset: page } : {});
const ACTIVITY_FIELDS = 'steps,distance,elevation,moderate,intense,calories,totalcalories';
const SLEEP_FIELDS =
  'deepsleepduration,lightsleepduration,remsleepduration,wakeupduration,total_sleep_time,sleep_efficiency,sleep_latency,wakeupcount,hr_average,hr_max,rr_average,sleep_score';

export const withingsProvider: Provider = {
  id: 'withings',
  name: 'Withings',
  description:
    'Withings scales, blood pressure monitors, thermometers, watches and sleep analyzers: body composition, vitals, daily activity and sleep.',
  authKind: 'oauth2',
  dataTypes: [
    'weight',
    'height',
    'body_fat',
    'lean_body_mass',
    'muscle_mass',
    'bone_mass',
    'body_water',
    'visceral_fat',
    'blood_pressure_systolic',
    'blood_pressure_diastolic',
    'heart_rate',
    'spo2',
    'body_temperature',
    'skin_temperature',
    'vo2max',
    'steps',
    'distance',
    'floors_climbed',
    'active_energy',
    'basal_energy',
    'moderate_intensity_minutes',
    'vigorous_intensity_minutes',
    'respiratory_rate',
    'sleep_score',
    'sleep',
  ],
  // Withings' Measure and Sleep APIs take any startdate.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth2_user/authorize2`,
      tokenUrl: `${s.apiUrl}/v2/oauth2`,
      scopes: ['user.info', 'user.metrics', 'user.activity'],
      scopeSeparator: ',',
      pkce: false,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      tokenRequest: requestToken,
      revoke: revokeAccess,
    };
  },
  streams: ['measures', 'activity', 'sleep'],
  async fetchPage(call, stream, window, page, config): Promise<ProviderPage> {
    switch (stream) {
      case 'measures': {
        // category 1: real measures, not the user's objectives. Dates are epoch seconds, both ends inclusive.
        const body = await dataCall(call, config, '/measure', {
          action: 'getmeas',
          category: '1',
          meastypes: MEASURE_TYPE_IDS.join(','),
          startdate: String(Math.floor(window.from.getTime() / 1000)),
          enddate: String(Math.ceil(window.to.getTime() / 1000)),
          ...withOffset(page),
        });
        return {
          samples: measureSamples(checkedRows<WithingsMeasureGroup>(body, 'measuregrps', isMeasureGroup)),
          events: [],
          nextPage: nextOffset(body, page),
        };
      }
      case 'activity': {
        const body = await dataCall(call, config, '/v2/measure', {
          action: 'getactivity',
          startdateymd: ymd(window.from),
          enddateymd: ymd(window.to),
          data_fields: ACTIVITY_FIELDS,
          ...withOffset(page),
        });
        return {
          samples: activitySamples(checkedRows<WithingsActivity>(body, 'activities', isActivity)),
          events: [],
          nextPage: nextOffset(body, page),
        };
      }
      case 'sleep': {
        const body = await dataCall(call, config, '/v2/sleep', {
          action: 'getsummary',
          startdateymd: ymd(window.from),
          enddateymd: ymd(window.to),
          data_fields: SLEEP_FIELDS,
          ...withOffset(page),
        });
        return { ...sleepEvents(checkedRows<WithingsSleepSummary>(body, 'series', isSleepSummary)), nextPage: nextOffset(body, page) };
      }
      default:
        throw new Error(`Withings has no stream ${stream}`);
    }
  },
  parsePush: parseWithingsPush,
  pushChallenge: withingsPushChallenge,
  pushResponseStatus: 200,
  afterConnect: subscribeNotifications,
  beforeDisconnect: revokeNotifications,
};
