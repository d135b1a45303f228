import type { Config } from '../../config.js';
import { ProviderError } from '../provider-error.js';
import type { Provider, ProviderCall, ProviderPage, SyncWindow } from '../provider.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import {
  daySummarySamples,
  heartRateSamples,
  readActivityLogs,
  readDaySummary,
  readHeartIntraday,
  readProfileZone,
  readSleepLogs,
  readWeightLogs,
  sleepEvents,
  userDate,
  weightSamples,
  workoutEvents,
  type UserZone,
} from './mapping.js';
import { fitbitPushChallenge, parseFitbitPush } from './push.js';
import { subscribeCollections, unsubscribeCollections } from './subscriptions.js';

// Fitbit's documented hosts: www.fitbit.com for consent, api.fitbit.com for tokens and data.
const DEFAULTS = { apiUrl: 'https://api.fitbit.com', authUrl: 'https://www.fitbit.com' };
const settings = (config: Config) => providerSettings(config, 'fitbit', DEFAULTS);

// Longest date ranges the endpoints accept (Get Sleep Log by Date Range: 100 days; Get Weight Log: 31 days).
const SLEEP_RANGE_DAYS = 100;
const WEIGHT_RANGE_DAYS = 31;
/** The most entries Get Activity Log List returns per page. */
const ACTIVITY_PAGE_SIZE = 100;
/** How long a user's time zone from the profile is trusted before it is read again. */
const ZONE_TTL_MS = 3_600_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const minDate = (a: string, b: string) => (a < b ? a : b);

/** Pages over dates: `page` is the first date of the page (our own token), `span` dates per page. */
function datePage(page: string | null, first: string, last: string, span: number): { start: string; end: string; next: string | null } {
  if (page !== null && !DAY_PATTERN.test(page))
    throw new ProviderError(`Fitbit sync checkpoint "${page}" is not a date`, 'invalid_response');
  const start = page ?? first;
  const end = minDate(addDays(start, span - 1), last);
  return { start, end, next: end < last ? addDays(end, 1) : null };
}

const zones = new Map<string, { zone: UserZone; at: number }>();

/** The user's time zone (Get Profile), which Fitbit's wall-clock dates and times are in. */
async function userZone(call: ProviderCall, config: Config): Promise<UserZone> {
  const cached = zones.get(call.connectionId);
  if (cached && Date.now() - cached.at < ZONE_TTL_MS) return cached.zone;
  const zone = readProfileZone(await call.fetchJson(`${settings(config).apiUrl}/1/user/-/profile.json`));
  zones.set(call.connectionId, { zone, at: Date.now() });
  return zone;
}

const EMPTY: ProviderPage = { samples: [], events: [], nextPage: null };

/** Intraday heart rate, one UTC day per page (timezone=UTC makes the dataset's times UTC). */
async function heartRatePage(call: ProviderCall, config: Config, window: SyncWindow, page: string | null): Promise<ProviderPage> {
  const utcDay = (at: Date) => at.toISOString().slice(0, 10);
  const { start, next } = datePage(page, utcDay(window.from), utcDay(window.to), 1);
  const body = await call.fetchJson(`${settings(config).apiUrl}/1/user/-/activities/heart/date/${start}/1d/1min.json?timezone=UTC`);
  return { samples: heartRateSamples(start, readHeartIntraday(body)), events: [], nextPage: next };
}

/**
 * Daily totals, one of the user's days per page. The day in progress is left out: ingestion keeps the first value
 * of a (metric, time) and the day would freeze at its morning total. Its date is the next window's first date.
 */
async function dailyActivityPage(call: ProviderCall, config: Config, window: SyncWindow, page: string | null): Promise<ProviderPage> {
  const zone = await userZone(call, config);
  const first = userDate(window.from, zone);
  const last = addDays(userDate(window.to, zone), -1);
  if (first > last) return EMPTY;
  const { start, next } = datePage(page, first, last, 1);
  const body = await call.fetchJson(`${settings(config).apiUrl}/1/user/-/activities/date/${start}.json`);
  return { samples: daySummarySamples(start, readDaySummary(body), zone), events: [], nextPage: next };
}

/** Sleep logs (v1.2 with stages) by the date they ended; whole days are read again, as trackers sync late. */
async function sleepPage(call: ProviderCall, config: Config, window: SyncWindow, page: string | null): Promise<ProviderPage> {
  const zone = await userZone(call, config);
  const { start, end, next } = datePage(page, userDate(window.from, zone), userDate(window.to, zone), SLEEP_RANGE_DAYS);
  const body = await call.fetchJson(`${settings(config).apiUrl}/1.2/user/-/sleep/date/${start}/${end}.json`);
  return { samples: [], events: sleepEvents(readSleepLogs(body), zone), nextPage: next };
}

async function weightPage(call: ProviderCall, config: Config, window: SyncWindow, page: string | null): Promise<ProviderPage> {
  const zone = await userZone(call, config);
  const { start, end, next } = datePage(page, userDate(window.from, zone), userDate(window.to, zone), WEIGHT_RANGE_DAYS);
  const body = await call.fetchJson(`${settings(config).apiUrl}/1/user/-/body/log/weight/date/${start}/${end}.json`);
  return { samples: weightSamples(readWeightLogs(body), zone), events: [], nextPage: next };
}

function isActivityListUrl(url: string, apiUrl: string): boolean {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  return !!parsed && parsed.origin === new URL(apiUrl).origin && /^\/1\/user\/[^/]+\/activities\/list\.json$/.test(parsed.pathname);
}

/**
 * Workouts from Get Activity Log List, ascending after the window's first day. The docs ask clients to follow
 * `pagination.next` rather than set offsets; it is followed only on Fitbit's own list endpoint, so the bearer
 * token never goes anywhere else.
 */
async function activityPage(call: ProviderCall, config: Config, window: SyncWindow, page: string | null): Promise<ProviderPage> {
  const zone = await userZone(call, config);
  const apiUrl = settings(config).apiUrl;
  const query = new URLSearchParams({
    afterDate: userDate(window.from, zone),
    sort: 'asc',
    offset: '0',
    limit: String(ACTIVITY_PAGE_SIZE),
  });
  const { activities, next } = readActivityLogs(await call.fetchJson(page ?? `${apiUrl}/1/user/-/activities/list.json?${query}`));
  if (next && !isActivityListUrl(next, apiUrl))
    throw new ProviderError('Fitbit pagination.next points away from the activity list', 'invalid_response');
  const events = workoutEvents(activities, zone).filter((event) => event.startAt < window.to);
  // Entries are ascending, so one that starts after the window ends the walk.
  const pastWindow = events.length < activities.length;
  return { samples: [], events, nextPage: next && !pastWindow ? next : null };
}

const PAGES: Record<string, (call: ProviderCall, config: Config, window: SyncWindow, page: string | null) => Promise<ProviderPage>> = {
  heartrate: heartRatePage,
  daily_activity: dailyActivityPage,
  sleep: sleepPage,
  activities: activityPage,
  weight: weightPage,
};

export const fitbitProvider: Provider = {
  id: 'fitbit',
  name: 'Fitbit',
  description:
    'Fitbit trackers and Aria scales through the legacy Fitbit Web API: intraday heart rate, daily activity, sleep stages, workouts, weight. Deprecated: use google-health.',
  authKind: 'oauth2',
  dataTypes: [
    'heart_rate',
    'resting_heart_rate',
    'steps',
    'distance',
    'floors_climbed',
    'elevation_gain',
    'active_energy',
    'basal_energy',
    'active_minutes',
    'sedentary_minutes',
    'weight',
    'bmi',
    'body_fat',
    'sleep',
    'workout',
  ],
  // The Web API documents no limit on how far back a user's records go.
  historyDays: null,
  deprecation: {
    date: '2026-11-02',
    reason:
      'Google turned off the legacy Fitbit Web API and Fitbit OAuth on this date (Google Health API, "Fitbit Web API Migration Guide"); Fitbit data is served by the Google Health API, to which users must consent again.',
    replacement: 'google-health',
  },
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    return {
      authorizeUrl: `${s.authUrl}/oauth2/authorize`,
      tokenUrl: `${s.apiUrl}/oauth2/token`,
      revokeUrl: `${s.apiUrl}/oauth2/revoke`,
      // profile: the user's time zone, which Fitbit's local dates and times need.
      scopes: ['activity', 'heartrate', 'sleep', 'weight', 'profile'],
      pkce: true,
      clientAuth: 'basic',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
    };
  },
  streams: Object.keys(PAGES),
  fetchPage(call, stream, window, page, config): Promise<ProviderPage> {
    const read = PAGES[stream];
    if (!read) throw new Error(`Fitbit has no stream ${stream}`);
    return read(call, config, window, page);
  },
  parsePush: parseFitbitPush,
  pushChallenge: fitbitPushChallenge,
  pushResponseStatus: 204,
  afterConnect: (call, config) => subscribeCollections(call, config),
  beforeDisconnect: (call, config) => unsubscribeCollections(call, config),
};
