import type { Config } from '../../config.js';
import { ProviderError } from '../provider-error.js';
import type { Provider, ProviderCall, ProviderPage, SyncWindow } from '../provider.js';
import { hasClientCredentials, providerSettings } from '../settings.js';
import { exerciseEvents, glucoseSamples, systemTimeOf, type DexcomEgv, type DexcomEvent, type DexcomRecord } from './mapping.js';

// Dexcom serves consent, tokens and data from one host per region (api.dexcom.eu and api.dexcom.jp outside the
// US, sandbox-api.dexcom.com for the sandbox): DEXCOM_API_URL and DEXCOM_AUTH_URL select it.
const DEFAULTS = { apiUrl: 'https://api.dexcom.com', authUrl: 'https://api.dexcom.com' };
const settings = (config: Config) => providerSettings(config, 'dexcom', DEFAULTS);

/** Dexcom answers at most 30 days per request, so a sync window is walked in slices this long. */
const MAX_SLICE_MS = 30 * 86_400_000;

/** Dexcom's startDate/endDate: UTC (its systemTime) as YYYY-MM-DDThh:mm:ss, without fraction or offset. */
const dexcomDate = (at: Date) => at.toISOString().slice(0, 19);

/**
 * The slice of the window a page covers: the page cursor is the start of the slice (our own; Dexcom has no
 * pagination within a request). A cursor outside the window restarts it: re-fetched rows are duplicates only.
 */
function sliceOf(window: SyncWindow, page: string | null): { from: Date; to: Date; next: string | null } {
  const cursor = page ? Date.parse(page) : NaN;
  const start = cursor >= window.from.getTime() && cursor < window.to.getTime() ? cursor : window.from.getTime();
  const end = Math.min(start + MAX_SLICE_MS, window.to.getTime());
  return { from: new Date(start), to: new Date(end), next: end < window.to.getTime() ? new Date(end).toISOString() : null };
}

/** The documented envelope { recordType, recordVersion, userId, records: [...] }, each record with an id and a time. */
function recordsOf<T extends DexcomRecord>(body: unknown, endpoint: string): T[] {
  const records = (body as { records?: unknown } | null)?.records;
  if (!Array.isArray(records)) throw new ProviderError(`Dexcom ${endpoint} answered without a records array`, 'invalid_response');
  records.forEach((record: Partial<DexcomRecord> | null, index) => {
    if (typeof record?.recordId !== 'string' || typeof record.systemTime !== 'string' || Number.isNaN(systemTimeOf(record.systemTime))) {
      throw new ProviderError(`Dexcom ${endpoint} record ${index} has no recordId or no readable systemTime`, 'invalid_response');
    }
  });
  return records as T[];
}

async function fetchRecords<T extends DexcomRecord>(
  call: ProviderCall,
  config: Config,
  endpoint: 'egvs' | 'events',
  from: Date,
  to: Date,
): Promise<T[]> {
  const url = new URL(`${settings(config).apiUrl}/v3/users/self/${endpoint}`);
  url.searchParams.set('startDate', dexcomDate(from));
  url.searchParams.set('endDate', dexcomDate(to));
  return recordsOf<T>(await call.fetchJson(url.toString()), endpoint);
}

export const dexcomProvider: Provider = {
  id: 'dexcom',
  name: 'Dexcom',
  description: 'Dexcom CGM (G6, G7, ONE): estimated glucose values every five minutes and exercise entries (API v3).',
  authKind: 'oauth2',
  dataTypes: ['blood_glucose', 'workout'],
  // Dexcom limits each request to 30 days (walked in slices), not how far back a user's records go.
  historyDays: null,
  isConfigured: (config) => hasClientCredentials(settings(config)),
  oauth: (config) => {
    const s = settings(config);
    // No revocation endpoint is documented: users withdraw access in their Dexcom account.
    return {
      authorizeUrl: `${s.authUrl}/v2/oauth2/login`,
      tokenUrl: `${s.apiUrl}/v2/oauth2/token`,
      scopes: ['offline_access'],
      pkce: false,
      clientAuth: 'body',
      clientId: s.clientId ?? '',
      clientSecret: s.clientSecret ?? '',
    };
  },
  streams: ['egvs', 'events'],
  async fetchPage(call, stream, window, page, config): Promise<ProviderPage> {
    if (stream !== 'egvs' && stream !== 'events') throw new Error(`Dexcom has no stream ${stream}`);
    const slice = sliceOf(window, page);
    // Dexcom counts in whole seconds: a slice within one second still asks for that whole second (so a sync soon
    // after the last one is not skipped); the overlap only brings duplicates. Longer slices stay within 30 days.
    const to = dexcomDate(slice.from) >= dexcomDate(slice.to) ? new Date((Math.floor(slice.from.getTime() / 1000) + 1) * 1000) : slice.to;
    if (stream === 'egvs') {
      const records = await fetchRecords<DexcomEgv>(call, config, 'egvs', slice.from, to);
      return { samples: glucoseSamples(records), events: [], nextPage: slice.next };
    }
    const records = await fetchRecords<DexcomEvent>(call, config, 'events', slice.from, to);
    return { samples: [], ...exerciseEvents(records), nextPage: slice.next };
  },
};
