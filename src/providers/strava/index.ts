import type { Config } from '../../config.js';
import type { OAuthSettings, Provider, ProviderPage, TokenSet } from '../provider.js';
import { postTokenForm } from '../oauth.js';
import { ProviderError } from '../provider-error.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import { activityData, activitySampleIds, parseActivityPage, parseDetailedActivity } from './mapping.js';
import { STRAVA_ACTIVITY_STREAM, parseStravaPush, stravaActivityNotice, stravaPushChallenge } from './push.js';

// Strava serves consent, tokens and the v3 API from one host (https://developers.strava.com/docs/authentication/).
const DEFAULTS = { apiUrl: 'https://www.strava.com', authUrl: 'https://www.strava.com' };
const settings = (config: Config) => providerSettings(config, 'strava', DEFAULTS);

const PER_PAGE = 100;
/**
 * `after`/`before` filter on an activity's start, but an activity reaches Strava when it ends (or when the watch
 * syncs, hours later): each window looks this far back so an activity started before the last sync is not missed.
 * Events upsert by Strava's id and samples by their natural key, so the overlap stores nothing twice.
 */
const LOOKBACK_MS = 3 * 86_400_000;

interface StravaTokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_at?: unknown;
  expires_in?: unknown;
  athlete?: { id?: unknown } | null;
  message?: unknown;
}

/** Strava's token response: `expires_at` in epoch seconds, the athlete (code grant only) and no `scope` field. */
async function stravaTokenRequest(form: Record<string, string>, oauth: OAuthSettings, now: Date): Promise<TokenSet> {
  const json = (await postTokenForm(oauth, form)) as StravaTokenResponse & { access_token: string };
  const expiresAt = Number(json.expires_at);
  const expiresIn = Number(json.expires_in);
  const athleteId = json.athlete?.id;
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : (form.refresh_token ?? null),
    expiresAt: expiresAt > 0 ? new Date(expiresAt * 1000) : expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes: oauth.scopes,
    externalUserId: typeof athleteId === 'number' || typeof athleteId === 'string' ? String(athleteId) : null,
  };
}

/** POST /oauth/deauthorize with the access token: revokes every token of this athlete for our application. */
async function deauthorize(token: string, oauth: OAuthSettings): Promise<boolean> {
  const response = await fetch(oauth.revokeUrl!, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ access_token: token }),
    redirect: 'error',
    signal: AbortSignal.timeout(10_000),
  });
  return response.ok;
}

export const stravaProvider: Provider = {
  id: 'strava',
  name: 'Strava',
  description: 'Strava: workouts (runs, rides, swims…) with distance, time, elevation, heart rate and energy (API v3, webhooks).',
  authKind: 'oauth2',
  dataTypes: ['workout', 'distance', 'cycling_distance', 'swimming_distance', 'wheelchair_distance', 'active_energy', 'elevation_gain'],
  // Strava lists an athlete's activities back to the first.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth/authorize`,
      tokenUrl: `${s.authUrl}/oauth/token`,
      revokeUrl: `${s.authUrl}/oauth/deauthorize`,
      // activity:read_all includes activities the athlete keeps private ("Only You").
      scopes: ['read', 'activity:read_all'],
      scopeSeparator: ',',
      pkce: false,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
      extraAuthorizeParams: { approval_prompt: 'auto' },
      tokenRequest: stravaTokenRequest,
      revoke: deauthorize,
    };
  },
  streams: ['activities'],
  async fetchPage(call, stream, window, page, config): Promise<ProviderPage> {
    if (stream !== 'activities') throw new Error(`Strava has no stream ${stream}`);
    const number = page ? Number(page) : 1;
    const url = new URL(`${settings(config).apiUrl}/api/v3/athlete/activities`);
    url.searchParams.set('after', String(Math.floor((window.from.getTime() - LOOKBACK_MS) / 1000)));
    url.searchParams.set('before', String(Math.ceil(window.to.getTime() / 1000)));
    url.searchParams.set('page', String(number));
    url.searchParams.set('per_page', String(PER_PAGE));
    const activities = parseActivityPage(await call.fetchJson(url.toString()));
    // Page-number pagination ends with an empty page; a short page is not the end (Strava may filter rows out).
    return { ...activityData(activities), nextPage: activities.length ? String(number + 1) : null };
  },
  parsePush: parseStravaPush,
  pushChallenge: stravaPushChallenge,
  /**
   * An activity event's notice (push.ts). Create and update: Get Activity (GET /api/v3/activities/{id},
   * https://developers.strava.com/docs/reference/#api-Activities-getActivityById) and store it over what the
   * activity's id holds (the workout event upserts in place); an update first removes the activity's samples,
   * since a new type can move its distance to another metric. Delete: the workout event and its samples go, and
   * no request is made (the activity is gone at Strava). An activity Strava no longer serves (404: deleted since,
   * or made "Only You" without activity:read_all) is a permanent answer and the notice is dropped.
   */
  async readNotice(call, content, config) {
    if (content.stream !== STRAVA_ACTIVITY_STREAM)
      throw new ProviderError(`Strava has no notice stream ${content.stream}`, 'invalid_response');
    const { activityId, aspect } = stravaActivityNotice(content.payload);
    const samples = aspect === 'create' ? [] : activitySampleIds(activityId);
    if (aspect === 'delete') return { samples: [], events: [], removals: { events: [activityId], samples } };
    const activity = parseDetailedActivity(await call.fetchJson(`${settings(config).apiUrl}/api/v3/activities/${activityId}`), activityId);
    return { ...activityData([activity]), removals: { events: [], samples } };
  },
};
