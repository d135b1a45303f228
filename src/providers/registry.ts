import type { Config } from '../config.js';
import { NotFound } from '../lib/errors.js';
import { demoProvider } from './demo/index.js';
import { dexcomProvider } from './dexcom/index.js';
import { fitbitProvider } from './fitbit/index.js';
import { garminProvider } from './garmin/index.js';
import { ouraProvider } from './oura/index.js';
import { polarProvider } from './polar/index.js';
import { stravaProvider } from './strava/index.js';
import { whoopProvider } from './whoop/index.js';
import { withingsProvider } from './withings/index.js';
import type { AuthKind, Provider } from './provider.js';

/** Every provider VitaSync knows, sorted by id. A new provider is one folder plus one line here. */
export const PROVIDERS: readonly Provider[] = [
  demoProvider,
  dexcomProvider,
  fitbitProvider,
  garminProvider,
  ouraProvider,
  polarProvider,
  stravaProvider,
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
}

export function listProviders(config: Config): ProviderInfo[] {
  return PROVIDERS.map((provider) => ({
    id: provider.id,
    name: provider.name,
    description: provider.description,
    authKind: provider.authKind,
    dataTypes: [...provider.dataTypes],
    configured: provider.isConfigured(config),
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
