import type { Config } from '../config.js';
import { NotFound } from '../lib/errors.js';
import { demoProvider } from './demo/index.js';
import { dexcomProvider } from './dexcom/index.js';
import { fitbitProvider } from './fitbit/index.js';
import { garminProvider } from './garmin/index.js';
import { googleHealthProvider } from './google-health/index.js';
import { ouraProvider } from './oura/index.js';
import { polarProvider } from './polar/index.js';
import { stravaProvider } from './strava/index.js';
import { suuntoProvider } from './suunto/index.js';
import { ultrahumanProvider } from './ultrahuman/index.js';
import { wahooProvider } from './wahoo/index.js';
import { whoopProvider } from './whoop/index.js';
import { withingsProvider } from './withings/index.js';
import type { AuthKind, Provider, ProviderDeprecation } from './provider.js';

/** Every provider VitaSync knows, sorted by id. A new provider is one folder plus one line here. */
export const PROVIDERS: readonly Provider[] = [
  demoProvider,
  dexcomProvider,
  fitbitProvider,
  garminProvider,
  googleHealthProvider,
  ouraProvider,
  polarProvider,
  stravaProvider,
  suuntoProvider,
  ultrahumanProvider,
  wahooProvider,
  whoopProvider,
  withingsProvider,
].sort((a, b) => a.id.localeCompare(b.id));

export interface ProviderInfo {
  id: string;
  name: string;
  description: string;
  authKind: AuthKind;
  dataTypes: string[];
  configured: boolean;
  /** Days of history a new connection's backfill fetches: the provider's limit or SYNC_BACKFILL_DAYS, the smaller. */
  backfillDays: number;
  /** Whether the provider notifies VitaSync of new data (POST /v1/providers/:providerId/push). */
  push: boolean;
  deprecation: ProviderDeprecation | null;
}

/** Days of history a backfill asks a provider for in this install. */
export function backfillDaysOf(provider: Provider, config: Config): number {
  return Math.min(config.sync.backfillDays, provider.historyDays ?? Number.POSITIVE_INFINITY);
}

export function listProviders(config: Config): ProviderInfo[] {
  return PROVIDERS.map((provider) => ({
    id: provider.id,
    name: provider.name,
    description: provider.description,
    authKind: provider.authKind,
    dataTypes: [...provider.dataTypes],
    configured: provider.isConfigured(config),
    backfillDays: backfillDaysOf(provider, config),
    push: Boolean(provider.parsePush),
    deprecation: provider.deprecation ?? null,
  }));
}

const BY_ID = new Map(PROVIDERS.map((provider) => [provider.id, provider]));

export function getProvider(id: string): Provider | undefined {
  return BY_ID.get(id);
}

export function requireProvider(id: string): Provider {
  const provider = BY_ID.get(id);
  if (!provider) throw new NotFound(`provider "${id}" not found; GET /v1/providers lists them`);
  return provider;
}
