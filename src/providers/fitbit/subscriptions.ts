import type { Config } from '../../config.js';
import { log } from '../../lib/logger.js';
import type { ProviderCall } from '../provider.js';
import { providerSettings } from '../settings.js';

/**
 * Fitbit's subscriptions are per user and collection (Web API reference, Subscription → Create Subscription and
 * Delete Subscription): POST or DELETE /1/user/-/[collection-path]/apiSubscriptions/[subscription-id].json with
 * the user's token, optionally naming the subscriber (X-Fitbit-Subscriber-Id, as defined on dev.fitbit.com; the
 * default subscriber otherwise). Without one, Fitbit notifies nothing. A subscription for all collections would
 * need the nutrition and settings scopes, which VitaSync does not ask, so each collection it reads is subscribed
 * on its own, and userRevokedAccess (no scope needed) so that a revocation ends the connection. Create answers 201,
 * or 200 when the same subscription exists; 409 when the collection is subscribed under another id.
 */
export const FITBIT_COLLECTIONS = ['activities', 'body', 'sleep', 'userRevokedAccess'] as const;
export const SUBSCRIBER_ID_ENV = 'FITBIT_SUBSCRIBER_ID';

/** Ours, unique per connection and collection, within Fitbit's 50 characters (a ULID, a dash, the collection). */
export const subscriptionId = (connectionId: string, collection: string) => `${connectionId}-${collection}`;

async function forEachCollection(call: ProviderCall, config: Config, method: 'POST' | 'DELETE'): Promise<void> {
  const apiUrl = providerSettings(config, 'fitbit', { apiUrl: 'https://api.fitbit.com', authUrl: '' }).apiUrl;
  const subscriber = config.env[SUBSCRIBER_ID_ENV];
  const failures: string[] = [];
  for (const collection of FITBIT_COLLECTIONS) {
    const url = `${apiUrl}/1/user/-/${collection}/apiSubscriptions/${subscriptionId(call.connectionId, collection)}.json`;
    const headers: Record<string, string> = subscriber ? { 'x-fitbit-subscriber-id': subscriber } : {};
    await call.fetchJson(url, { method, headers }).catch((error: Error) => failures.push(`${collection}: ${error.message}`));
  }
  if (failures.length)
    log.warn(`Fitbit subscription ${method === 'POST' ? 'create' : 'delete'} failed`, { connectionId: call.connectionId, failures });
}

export const subscribeCollections = (call: ProviderCall, config: Config) => forEachCollection(call, config, 'POST');
export const unsubscribeCollections = (call: ProviderCall, config: Config) => forEachCollection(call, config, 'DELETE');
