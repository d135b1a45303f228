import type { ServiceContext } from '../context.js';
import type { Connection } from '../generated/prisma/client.js';
import type { ConnectionHookContext, ProviderCall } from '../providers/provider.js';
import { accessTokenFor } from './access-token.js';
import { fetchProviderJson } from './provider-http.js';

/** A provider's authenticated HTTP client for one connection, with a token refreshed first when it is about to lapse. */
export async function providerCallFor(ctx: ServiceContext, connection: Connection): Promise<ProviderCall> {
  const accessToken = await accessTokenFor(ctx, connection);
  return {
    accessToken,
    externalUserId: connection.externalUserId,
    connectionId: connection.id,
    connectedAt: connection.createdAt,
    fetchJson: (url, init) => fetchProviderJson(url, accessToken, init),
  };
}

/** The push endpoint a provider is told to notify (Withings' Notify - Subscribe callbackurl). */
export function hookContext(ctx: Pick<ServiceContext, 'config'>, providerId: string): ConnectionHookContext {
  return { pushUrl: `${ctx.config.publicUrl}/v1/providers/${providerId}/push` };
}
