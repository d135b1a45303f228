import { createHash, randomBytes } from 'node:crypto';
import { ProviderError } from './provider-error.js';
import type { OAuthSettings, TokenSet } from './provider.js';

/** The OAuth 2 authorization-code flow with PKCE (RFC 6749, RFC 7636), as the providers' docs describe it. */
export function newPkceVerifier(): string {
  return randomBytes(32).toString('base64url');
}

export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function authorizeUrl(
  settings: OAuthSettings,
  options: { redirectUri: string; state: string; codeVerifier: string | null },
): string {
  const url = new URL(settings.authorizeUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', options.redirectUri);
  // Garmin has no scope parameter: the user picks permissions on its consent page.
  if (settings.scopes.length) url.searchParams.set('scope', settings.scopes.join(settings.scopeSeparator ?? ' '));
  url.searchParams.set('state', options.state);
  for (const [name, value] of Object.entries(settings.extraAuthorizeParams ?? {})) url.searchParams.set(name, value);
  if (options.codeVerifier) {
    url.searchParams.set('code_challenge', pkceChallenge(options.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return url.toString();
}

export interface TokenResponse {
  access_token?: unknown;
  refresh_token?: unknown;
  expires_in?: unknown;
  scope?: unknown;
  user_id?: unknown;
  error?: unknown;
  error_description?: unknown;
  message?: unknown;
}

/**
 * POSTs a token request (RFC 6749 §4.1.3, §6) with the client's credentials where the provider wants them, and
 * answers the JSON once it carries an access_token. Providers with their own token habits build on it.
 */
export async function postTokenForm(
  settings: OAuthSettings,
  form: Record<string, string>,
): Promise<TokenResponse & { access_token: string }> {
  const body = new URLSearchParams(form);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (settings.clientAuth === 'basic') {
    headers.authorization = `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64')}`;
  } else {
    body.set('client_id', settings.clientId);
    body.set('client_secret', settings.clientSecret);
  }
  const response = await fetch(settings.tokenUrl, {
    method: 'POST',
    headers,
    body,
    redirect: 'error',
    signal: AbortSignal.timeout(15_000),
  }).catch((error: Error) => {
    throw new ProviderError(`token endpoint unreachable: ${error.message}`, 'unavailable');
  });
  const json = (await response.json().catch(() => ({}))) as TokenResponse;
  if (response.status === 400 || response.status === 401) {
    throw new ProviderError(`token endpoint refused: ${String(json.error ?? json.message ?? response.status)}`, 'unauthorized');
  }
  if (!response.ok) throw new ProviderError(`token endpoint answered ${response.status}`, 'unavailable');
  if (typeof json.access_token !== 'string') throw new ProviderError('token response has no access_token', 'invalid_response');
  return json as TokenResponse & { access_token: string };
}

/** The RFC 6749 reading of a token answer; a refresh that returns no new refresh token keeps the old one. */
export function standardTokenSet(
  json: TokenResponse & { access_token: string },
  settings: OAuthSettings,
  form: Record<string, string>,
  now: Date,
): TokenSet {
  const expiresIn = Number(json.expires_in);
  return {
    accessToken: json.access_token,
    refreshToken: typeof json.refresh_token === 'string' ? json.refresh_token : (form.refresh_token ?? null),
    expiresAt: Number.isFinite(expiresIn) && expiresIn > 0 ? new Date(now.getTime() + expiresIn * 1000) : null,
    scopes: typeof json.scope === 'string' ? json.scope.split(/[ ,]+/).filter(Boolean) : settings.scopes,
    externalUserId: json.user_id != null ? String(json.user_id) : null,
  };
}

async function tokenRequest(settings: OAuthSettings, form: Record<string, string>, now: Date): Promise<TokenSet> {
  if (settings.tokenRequest) return settings.tokenRequest(form, settings, now);
  return standardTokenSet(await postTokenForm(settings, form), settings, form, now);
}

export function exchangeCode(
  settings: OAuthSettings,
  code: string,
  redirectUri: string,
  codeVerifier: string | null,
  now: Date,
): Promise<TokenSet> {
  return tokenRequest(
    settings,
    { grant_type: 'authorization_code', code, redirect_uri: redirectUri, ...(codeVerifier ? { code_verifier: codeVerifier } : {}) },
    now,
  );
}

export function refreshTokens(settings: OAuthSettings, refreshToken: string, now: Date): Promise<TokenSet> {
  return tokenRequest(settings, { grant_type: 'refresh_token', refresh_token: refreshToken }, now);
}

/** Revocation (RFC 7009) where the provider offers it; a failure does not stop a disconnect. */
export async function revokeToken(settings: OAuthSettings, token: string, account: { externalUserId: string | null }): Promise<boolean> {
  if (settings.revoke) return settings.revoke(token, settings, account).catch(() => false);
  if (!settings.revokeUrl) return false;
  const response = await fetch(settings.revokeUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${settings.clientId}:${settings.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ token }),
    signal: AbortSignal.timeout(10_000),
  }).catch(() => null);
  return !!response?.ok;
}
