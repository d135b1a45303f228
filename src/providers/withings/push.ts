import type { Config } from '../../config.js';
import { sameSecret } from '../../lib/signing.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';

/**
 * Withings data update notifications (https://developer.withings.com/developer-guide/v3/data-api/keep-user-data-up-to-date/
 * and its "Payload and Categories" page): a POST whose form body carries userid, appli, startdate and enddate
 * (or, for appli 46, an action: unlink when the user unlinks our app, delete when the account is deleted).
 * Withings signs nothing, so two checks stand in for a signature: the callback URL registered with Notify -
 * Subscribe carries ?secret=WITHINGS_NOTIFY_SECRET when that is set, and only a userid that belongs to an active
 * connection starts a sync (src/connections/push.ts ignores the others). Without the secret anyone could forge an
 * unlink, so it then only starts a sync, which finds the token refused and marks the connection.
 */
export const NOTIFY_SECRET_ENV = 'WITHINGS_NOTIFY_SECRET';

/** A field of a url-encoded or multipart form body ("form-data parameters" in Withings' words). */
function formField(request: PushRequest, name: 'userid' | 'action'): string | null {
  const type = request.headers.get('content-type') ?? '';
  if (type.startsWith('multipart/form-data')) {
    return new RegExp(`name="${name}"\\r?\\n\\r?\\n([^\\r\\n]*)`).exec(request.body)?.[1] ?? null;
  }
  return new URLSearchParams(request.body).get(name);
}

const ENDS_CONNECTION = new Set(['unlink', 'delete']);

export function parseWithingsPush(request: PushRequest, config: Config): PushNotice[] {
  const secret = config.env[NOTIFY_SECRET_ENV];
  if (secret && !sameSecret(request.query.get('secret') ?? '', secret)) {
    throw new ProviderError(`the callback URL's secret does not match ${NOTIFY_SECRET_ENV}`, 'unauthorized');
  }
  const userId = formField(request, 'userid')?.trim();
  if (!userId || !/^\d+$/.test(userId)) return [];
  const revoked = secret && ENDS_CONNECTION.has(formField(request, 'action')?.trim() ?? '');
  return [revoked ? { externalUserId: userId, kind: 'revoked' } : { externalUserId: userId }];
}

/**
 * Notify - Subscribe first checks the callback URL with a HEAD request that must answer 2xx; a HEAD routed to the
 * subscription check gets that answer (a GET has nothing to check and stays 404).
 */
export function withingsPushChallenge(request: PushRequest): { status: number; body: string } | null {
  return request.method === 'HEAD' ? { status: 200, body: '' } : null;
}
