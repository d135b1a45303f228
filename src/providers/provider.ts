import type { Config } from '../config.js';
import type { EventInput } from '../events/event-input.js';
import type { SourceRemovals } from '../events/remove-source-data.js';
import type { SampleInput } from '../health/sample-input.js';

/** How a user links a provider: OAuth 2 consent at the provider, or nothing at all (demo, file imports). */
export const AUTH_KINDS = ['oauth2', 'oauth1', 'none'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** OAuth 2 endpoints and habits of a provider (src/providers/oauth.ts speaks the protocol). */
export interface OAuthSettings {
  authorizeUrl: string;
  tokenUrl: string;
  revokeUrl?: string;
  scopes: string[];
  /** Separator of the scope parameter (most use a space; some a comma). */
  scopeSeparator?: string;
  pkce: boolean;
  /** How client credentials go to the token endpoint. */
  clientAuth: 'basic' | 'body';
  clientId: string;
  clientSecret: string;
  /** Extra query parameters of the authorize URL the provider documents (e.g. approval_prompt). */
  extraAuthorizeParams?: Record<string, string>;
  /** For token endpoints that depart from RFC 6749 (e.g. Withings' action=requesttoken and wrapped body). */
  tokenRequest?(form: Record<string, string>, settings: OAuthSettings, now: Date): Promise<TokenSet>;
  /** For revocation that is not RFC 7009 (e.g. a GET with the token in the query). */
  revoke?(token: string, settings: OAuthSettings, account: { externalUserId: string | null }): Promise<boolean>;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: Date | null;
  scopes: string[];
  /** The provider's id for the user, when the token response tells it. */
  externalUserId: string | null;
}

/** A window of time a sync asks a provider about. */
export interface SyncWindow {
  from: Date;
  to: Date;
}

/** One page of a provider's data, already mapped to our metric and event types. */
export interface ProviderPage {
  samples: SampleInput[];
  events: EventInput[];
  /** Where the next page of the same window starts; null when the window is done. */
  nextPage: string | null;
  /**
   * Records the provider sent that could not be mapped (a value of a type its documentation does not allow), each
   * as a reason: the sync counts them beside ingestion's own rejections, so nothing is dropped in silence.
   */
  rejected?: string[];
  /**
   * What the provider says is gone or replaced, by its own ids (Strava's activity delete and update events): the
   * sync deletes these events and samples of the connection's source before it stores the page's data.
   */
  removals?: SourceRemovals;
}

/** What a provider's data calls get: an authenticated HTTP client bound to one connection. */
export interface ProviderCall {
  accessToken: string;
  externalUserId: string | null;
  /** Stable per connection, for providers (demo) that derive data from it. */
  connectionId: string;
  /** When the user connected: push-first providers (Garmin) deliver what comes after it by themselves. */
  connectedAt: Date;
  fetchJson(url: string, init?: RequestInit): Promise<unknown>;
}

/** Data a notification carried (`payload`) or named (`url`), kept for the sync it starts (ProviderNotice). */
export interface NoticeContent {
  /** The provider's name for the kind of data, e.g. Garmin's summary type "dailies". */
  stream: string;
  url?: string;
  payload?: unknown;
}

/**
 * A provider's push notification, reduced to what VitaSync acts on: whose data changed (and, for push-first
 * providers, the data itself or where to fetch it); that the user withdrew consent at the provider; or which
 * permissions the user now grants.
 */
export type PushNotice =
  | { externalUserId: string; kind?: 'data'; content?: NoticeContent }
  | { externalUserId: string; kind: 'revoked' }
  | { externalUserId: string; kind: 'permissions'; permissions: string[] };

/** What the connect and disconnect hooks know besides the connection's call. */
export interface ConnectionHookContext {
  /** This install's push endpoint for the provider (POST /v1/providers/:providerId/push). */
  pushUrl: string;
}

/** A push request as it arrived (raw body, for signature checks). */
export interface PushRequest {
  method: string;
  headers: Headers;
  query: URLSearchParams;
  body: string;
}

export interface ProviderDeprecation {
  /** The day (YYYY-MM-DD) the provider's API stops or stopped serving data. */
  date: string;
  reason: string;
  /** The provider to connect instead, if there is one. */
  replacement: string | null;
}

/** The one provider interface. A new provider is one folder implementing it plus a line in registry.ts. */
export interface Provider {
  id: string;
  name: string;
  description: string;
  authKind: AuthKind;
  /** Metric and event types this provider can deliver. */
  dataTypes: readonly string[];
  /**
   * How many days before the connect the provider serves history, per its documentation; null when it documents
   * no limit (SYNC_BACKFILL_DAYS alone bounds the backfill then). GET /v1/providers states the smaller of the two.
   */
  historyDays: number | null;
  /** Set when the provider's API is being retired: the date it stops (or stopped) serving and what to use instead. */
  deprecation?: ProviderDeprecation;
  /** True when this install has what the provider needs (e.g. OAuth client credentials). */
  isConfigured(config: Config): boolean;
  /** Settings besides the OAuth client's id and secret that isConfigured needs (Suunto's API subscription key). */
  requiredSettings?: readonly string[];
  /** OAuth settings in this install (endpoints may point at a fake server in tests). */
  oauth?(config: Config): OAuthSettings;
  /** The data streams a sync walks, each with its own checkpoint. */
  streams: readonly string[];
  /** Reads one page of a stream for a window; throw ProviderError for what the sync must know about. */
  fetchPage(call: ProviderCall, stream: string, window: SyncWindow, page: string | null, config: Config): Promise<ProviderPage>;
  /**
   * Push notifications (POST /v1/providers/:providerId/push): check the provider's signature (throw
   * ProviderError 'unauthorized' when it does not verify) and name the users with new data, revoked consent or
   * changed permissions. A GET to the same path is the provider's subscription check: answer it with
   * `pushChallenge` (null → 404).
   */
  parsePush?(request: PushRequest, config: Config): PushNotice[];
  pushChallenge?(request: PushRequest, config: Config): { status: number; body: string; contentType?: string } | null;
  /**
   * A check the provider POSTs to the push URL before it sends notifications (Google Health's {"type":
   * "verification"}): answered as returned instead of being parsed as a notification; null for a notification.
   */
  pushHandshake?(request: PushRequest, config: Config): { status: number; body: string; contentType?: string } | null;
  /** What the provider's docs ask a push endpoint to answer (default 200 with { syncs }). */
  pushResponseStatus?: 200 | 204;
  /** Maps what a notification carried or named (a PushNotice's content) when the sync that follows reads it. */
  readNotice?(call: ProviderCall, content: NoticeContent, config: Config): Promise<Pick<ProviderPage, 'samples' | 'events' | 'removals'>>;
  /** Runs once a connection is stored, before its backfill (e.g. Withings' Notify - Subscribe); failures are logged. */
  afterConnect?(call: ProviderCall, config: Config, context: ConnectionHookContext): Promise<void>;
  /** Runs when the app disconnects, while the token still works (e.g. Withings' Notify - Revoke); failures are logged. */
  beforeDisconnect?(call: ProviderCall, config: Config, context: ConnectionHookContext): Promise<void>;
  /**
   * App-level upkeep that no single connection owns (Oura: renew the app's webhook subscriptions before they lapse).
   * Runs at start-up and then daily while the provider has active connections; idempotent; failures are logged.
   */
  upkeep?(config: Config, context: ConnectionHookContext): Promise<void>;
}
