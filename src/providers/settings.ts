import type { Config } from '../config.js';

/**
 * Per-provider settings from the environment: <ID>_CLIENT_ID, <ID>_CLIENT_SECRET, and base URLs <ID>_API_URL,
 * <ID>_AUTH_URL and, for providers whose tokens live on a third host (Garmin), <ID>_TOKEN_URL (defaults: the
 * provider's documented hosts; tests point them at local fake servers).
 */
export interface ProviderSettings {
  clientId: string | null;
  clientSecret: string | null;
  apiUrl: string;
  authUrl: string;
  /** The token endpoint's base URL; the auth host unless the provider names another. */
  tokenUrl: string;
}

export function providerSettings(
  config: Config,
  id: string,
  defaults: { apiUrl: string; authUrl: string; tokenUrl?: string },
): ProviderSettings {
  const prefix = id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  const env = config.env;
  const authUrl = (env[`${prefix}_AUTH_URL`] || defaults.authUrl).replace(/\/$/, '');
  return {
    clientId: env[`${prefix}_CLIENT_ID`] || null,
    clientSecret: env[`${prefix}_CLIENT_SECRET`] || null,
    apiUrl: (env[`${prefix}_API_URL`] || defaults.apiUrl).replace(/\/$/, ''),
    authUrl,
    tokenUrl: (env[`${prefix}_TOKEN_URL`] || defaults.tokenUrl || authUrl).replace(/\/$/, ''),
  };
}

/** An OAuth provider is configured in this install when both its client id and secret are set. */
export function hasClientCredentials(settings: ProviderSettings): boolean {
  return !!(settings.clientId && settings.clientSecret);
}
