import { createHash, randomBytes } from 'node:crypto';
import type { ServiceContext } from '../context.js';
import { AppError, BadRequest, Invalid } from '../lib/errors.js';
import { signToken, verifyToken } from '../lib/signing.js';
import { authorizeUrl, exchangeCode, newPkceVerifier } from '../providers/oauth.js';
import { requireProvider } from '../providers/registry.js';
import type { Provider } from '../providers/provider.js';
import { getUser } from '../users/users.js';
import { createConnection } from './connections.js';
import type { Platform } from '../jobs/platform.js';

/**
 * The connect flow, as Terra's and Junction's link flows work: the app's backend asks for a short-lived connect
 * link (authenticated), sends the user's browser to it, VitaSync redirects to the provider with a signed,
 * single-use state (+ PKCE S256), takes the callback, stores the connection and sends the browser back to the
 * app's redirect URI with `status`, `connectionId` or `error`.
 */
export const LINK_TTL_SECONDS = 15 * 60;
const STATE_TTL_MS = 15 * 60_000;

interface LinkClaims {
  w: string;
  u: string;
  p: string;
  r: string | null;
  exp: number;
}

export type FlowOutcome = { redirect: string } | { status: number; body: Record<string, unknown> };

function assertConfigured(ctx: Pick<ServiceContext, 'config'>, provider: Provider): void {
  if (!provider.isConfigured(ctx.config)) {
    const prefix = provider.id.toUpperCase().replace(/[^A-Z0-9]/g, '_');
    const settings = [`${prefix}_CLIENT_ID`, `${prefix}_CLIENT_SECRET`, ...(provider.requiredSettings ?? [])];
    throw new Invalid(
      `provider "${provider.id}" is not configured in this install: set ${settings.slice(0, -1).join(', ')} and ${settings.at(-1)}`,
    );
  }
}

function assertAllowedRedirect(allowed: string[], redirectUri: string): void {
  let url: URL;
  try {
    url = new URL(redirectUri);
  } catch {
    throw new Invalid(`redirectUri "${redirectUri}" is not a URL`);
  }
  const ok = allowed.some((entry) => {
    const allowedUrl = new URL(entry);
    return allowedUrl.origin === url.origin && allowedUrl.pathname === url.pathname;
  });
  if (!ok) throw new Invalid(`redirectUri "${redirectUri}" is not in the workspace's redirectUris (setRedirectUris)`);
}

export async function createConnectLink(
  ctx: ServiceContext,
  userId: string,
  providerId: string,
  redirectUri: string | null,
): Promise<{ url: string; expiresAt: Date }> {
  const user = await getUser(ctx, userId);
  const provider = requireProvider(providerId);
  assertConfigured(ctx, provider);
  if (redirectUri) {
    const workspace = await ctx.db.workspace.findUniqueOrThrow({ where: { id: ctx.workspaceId } });
    assertAllowedRedirect(workspace.redirectUris, redirectUri);
  }
  const expiresAt = new Date(ctx.clock.now().getTime() + LINK_TTL_SECONDS * 1000);
  const claims: LinkClaims = { w: ctx.workspaceId, u: user.id, p: provider.id, r: redirectUri, exp: expiresAt.getTime() };
  const link = signToken('connect-link', claims);
  return { url: `${ctx.config.publicUrl}/v1/oauth/${provider.id}/authorize?link=${encodeURIComponent(link)}`, expiresAt };
}

function outcome(redirectUri: string | null, result: Record<string, string>, status: number): FlowOutcome {
  if (!redirectUri) return { status, body: result };
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(result)) url.searchParams.set(name, value);
  return { redirect: url.toString() };
}

function callbackUrl(platform: Platform, providerId: string): string {
  return `${platform.config.publicUrl}/v1/oauth/${providerId}/callback`;
}

const hashState = (state: string) => createHash('sha256').update(state).digest('hex');

/** GET /v1/oauth/:providerId/authorize?link=… */
export async function beginAuthorization(platform: Platform, providerId: string, link: string | null): Promise<FlowOutcome> {
  const provider = requireProvider(providerId);
  const claims = link ? (verifyToken('connect-link', link) as LinkClaims | null) : null;
  if (!claims || claims.p !== provider.id) throw new BadRequest('link is missing or invalid: ask the app for a new connect link');
  if (claims.exp < platform.clock.now().getTime()) throw new BadRequest('link has expired: ask the app for a new connect link');
  assertConfigured(platform, provider);
  const ctx: ServiceContext = { ...platform, workspaceId: claims.w };
  if (!provider.oauth) {
    try {
      const connection = await createConnection(ctx, claims.u, provider.id, null);
      return outcome(claims.r, { status: 'connected', connectionId: connection.id, providerId: provider.id }, 201);
    } catch (error) {
      if (error instanceof AppError)
        return outcome(claims.r, { status: 'error', error: error.code.toLowerCase(), message: error.message }, error.status);
      throw error;
    }
  }
  const settings = provider.oauth(platform.config);
  const state = randomBytes(32).toString('base64url');
  const codeVerifier = settings.pkce ? newPkceVerifier() : null;
  await platform.db.oAuthState.create({
    data: {
      id: hashState(state),
      workspaceId: claims.w,
      userId: claims.u,
      providerId: provider.id,
      redirectUri: claims.r,
      codeVerifier,
      expiresAt: new Date(platform.clock.now().getTime() + STATE_TTL_MS),
    },
  });
  return { redirect: authorizeUrl(settings, { redirectUri: callbackUrl(platform, provider.id), state, codeVerifier }) };
}

/** GET /v1/oauth/:providerId/callback?code=…&state=… (or ?error=… when the user declined). */
export async function completeAuthorization(platform: Platform, providerId: string, query: URLSearchParams): Promise<FlowOutcome> {
  const provider = requireProvider(providerId);
  const state = query.get('state');
  if (!state) throw new BadRequest('state is missing');
  const now = platform.clock.now();
  // Single use: only the first callback with this state gets the row.
  const claimed = await platform.db.oAuthState.updateMany({
    where: { id: hashState(state), providerId: provider.id, usedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) throw new BadRequest('state is invalid, expired or already used: start the connection again');
  const pending = await platform.db.oAuthState.findUniqueOrThrow({ where: { id: hashState(state) } });
  const denied = query.get('error');
  if (denied) return outcome(pending.redirectUri, { status: 'error', error: denied }, 400);
  const code = query.get('code');
  if (!code || !provider.oauth) return outcome(pending.redirectUri, { status: 'error', error: 'invalid_request' }, 400);
  const ctx: ServiceContext = { ...platform, workspaceId: pending.workspaceId };
  try {
    const tokens = await exchangeCode(provider.oauth(platform.config), code, callbackUrl(platform, provider.id), pending.codeVerifier, now);
    const connection = await createConnection(ctx, pending.userId, provider.id, tokens);
    return outcome(pending.redirectUri, { status: 'connected', connectionId: connection.id, providerId: provider.id }, 201);
  } catch (error) {
    if (error instanceof AppError)
      return outcome(pending.redirectUri, { status: 'error', error: error.code.toLowerCase(), message: error.message }, error.status);
    return outcome(pending.redirectUri, { status: 'error', error: 'provider_error', message: (error as Error).message }, 502);
  }
}
