import type { Config } from '../config.js';

/**
 * Per-provider settings from the environment: <ID>_CLIENT_ID, <ID>_CLIENT_SECRET, and base URLs <ID>_API_URL and
 * <ID>_AUTH_URL (defaults: the provider's documented hosts; tests point them at local fake servers).
 */
export interface ProviderSettings {
  clientId: string | null;
  clientSecret: string | null;
  apiUrl: string;
  authUrl: string;
}

export function providerSettings(config: Config, id: string, defaults: { apiUrl: string; authUrl: string }): ProviderSettings {
  const prefix = id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const env = config.env;
  return {
    clientId: env[`${prefix}_CLIENT_ID`] || null,
    clientSecret: env[`${prefix}_CLIENT_SECRET`] || null,
    apiUrl: (env[`${prefix}_API_URL`] || defaults.apiUrl).replace(/\/$/, ''),
    authUrl: (env[`${prefix}_AUTH_URL`] || defaults.authUrl).replace(/\/$/, ''),
  };
}

/** An OAuth provider is configured in this install when both its client id and secret are set. */
export function hasClientCredentials(settings: ProviderSettings): boolean {
  return !!(settings.clientId && settings.clientSecret);
}
