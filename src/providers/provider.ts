import type { Config } from '../config.js';

/** How a user links a provider: OAuth 2 consent at the provider, or nothing at all (demo, file imports). */
export const AUTH_KINDS = ['oauth2', 'oauth1', 'none'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** The one provider interface. Later issues add OAuth endpoints and data fetchers to it. */
export interface Provider {
  id: string;
  name: string;
  description: string;
  authKind: AuthKind;
  /** Metric and event types this provider can deliver. */
  dataTypes: readonly string[];
  /** True when this install has what the provider needs (e.g. OAuth client credentials). */
  isConfigured(config: Config): boolean;
}
