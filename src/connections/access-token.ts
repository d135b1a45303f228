import type { ServiceContext } from '../context.js';
import type { Connection } from '../generated/prisma/client.js';
import { refreshTokens } from '../providers/oauth.js';
import { ProviderError } from '../providers/provider-error.js';
import { requireProvider } from '../providers/registry.js';
import { decryptToken, encryptToken } from './token-crypto.js';
import { markConnectionError } from './connection-status.js';

/** Tokens are refreshed this long before they expire, so a sync never starts with a token about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60_000;

// One refresh per connection at a time in this process; the row lock below covers other processes.
const inFlight = new Map<string, Promise<string>>();

async function refresh(ctx: ServiceContext, connectionId: string): Promise<string> {
  return ctx.db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Connection" WHERE id = ${connectionId} FOR UPDATE`;
      const current = await tx.connection.findUniqueOrThrow({ where: { id: connectionId } });
      // Another process may have refreshed while we waited for the lock.
      if (
        current.accessToken &&
        current.tokenExpiresAt &&
        current.tokenExpiresAt.getTime() - ctx.clock.now().getTime() > REFRESH_MARGIN_MS
      ) {
        return decryptToken(ctx.tokenKeys, current.accessToken);
      }
      const provider = requireProvider(current.providerId);
      if (!provider.oauth || !current.refreshToken) throw new ProviderError('the token expired and cannot be refreshed', 'unauthorized');
      const tokens = await refreshTokens(provider.oauth(ctx.config), decryptToken(ctx.tokenKeys, current.refreshToken), ctx.clock.now());
      await tx.connection.update({
        where: { id: connectionId },
        data: {
          accessToken: encryptToken(ctx.tokenKeys, tokens.accessToken),
          refreshToken: tokens.refreshToken ? encryptToken(ctx.tokenKeys, tokens.refreshToken) : current.refreshToken,
          tokenExpiresAt: tokens.expiresAt,
        },
      });
      return tokens.accessToken;
    },
    { timeout: 30_000 },
  );
}

/** A usable access token for the connection, refreshed first when it is about to expire. */
export async function accessTokenFor(ctx: ServiceContext, connection: Connection): Promise<string> {
  if (!connection.accessToken) return '';
  const expiresAt = connection.tokenExpiresAt?.getTime();
  if (expiresAt === undefined || expiresAt - ctx.clock.now().getTime() > REFRESH_MARGIN_MS) {
    return decryptToken(ctx.tokenKeys, connection.accessToken);
  }
  let pending = inFlight.get(connection.id);
  if (!pending) {
    pending = refresh(ctx, connection.id).finally(() => inFlight.delete(connection.id));
    inFlight.set(connection.id, pending);
  }
  try {
    return await pending;
  } catch (error) {
    if (error instanceof ProviderError && error.kind === 'unauthorized')
      await markConnectionError(ctx, connection, `token refresh failed: ${error.message}`);
    throw error;
  }
}
