import { expect } from 'vitest';
import { createConnection } from '../../src/connections/connections.js';
import type { Connection } from '../../src/generated/prisma/client.js';
import { overRest, type ApiClient, type Target } from './target.js';

/** A connection made over REST: its id, and the id of the backfill job the connect started. */
export interface ConnectionMade {
  id: string;
  providerId: string;
  backfillJobId: string;
}

/**
 * Connects the user to a provider (the `demo` one, which needs no credentials, unless the test names another):
 * over REST by following a connect link without a return URL, so the flow answers JSON instead of redirecting
 * back to an app (a provider's fake server consents on the way); through the service with `ctx`, without tokens.
 * Either way the backfill starts, as after a real connect.
 */
export function aConnection(on: ApiClient, userId: string, providerId?: string): Promise<ConnectionMade>;
export function aConnection(on: Target, userId: string, providerId?: string): Promise<Connection>;
export async function aConnection(on: Target, userId: string, providerId = 'demo'): Promise<ConnectionMade | Connection> {
  if (!overRest(on)) return createConnection(on, userId, providerId, null);
  const link = await on.api('POST', `/v1/users/${userId}/connect-links`, { body: { providerId } });
  expect(link.status, JSON.stringify(link.body)).toBe(201);
  const flow = await fetch(link.body.url as string);
  const connected = (await flow.json()) as { status: string; connectionId: string };
  expect(connected.status, JSON.stringify(connected)).toBe('connected');
  return { id: connected.connectionId, providerId, backfillJobId: `sync:${connected.connectionId}:backfill` };
}
