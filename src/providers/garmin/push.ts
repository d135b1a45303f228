import type { Config } from '../../config.js';
import { BadRequest } from '../../lib/errors.js';
import { sameSecret } from '../../lib/signing.js';
import { ProviderError } from '../provider-error.js';
import type { PushNotice, PushRequest } from '../provider.js';
import { callbackOnApiHost, garminSettings } from './api.js';
import { checkSummaries, summaryType } from './summaries.js';

/**
 * Garmin's notifications (Health API §4 "Ping Service" and §5 "Push Service"; Start Guide: deregistration and user
 * permission change endpoints): a JSON object whose keys are summary types, each holding entries that name a
 * userId and either a callbackURL to pull the new data from (ping) or the summary itself (push). The
 * "deregistrations" list names users who removed our access, "userPermissionsChange" the permissions a user now
 * grants. Garmin signs nothing: the endpoint URL configured in Garmin's Endpoint Configuration tool carries
 * ?secret=GARMIN_PUSH_SECRET, and the garmin-client-id header Garmin sends must, when present, be our consumer key.
 */
export const PUSH_SECRET_ENV = 'GARMIN_PUSH_SECRET';

function verify(request: PushRequest, config: Config): void {
  const secret = config.env[PUSH_SECRET_ENV];
  if (!secret) throw new ProviderError(`${PUSH_SECRET_ENV} is not set, so no Garmin notification can be trusted`, 'unauthorized');
  if (!sameSecret(request.query.get('secret') ?? '', secret))
    throw new ProviderError(`the endpoint URL's secret does not match ${PUSH_SECRET_ENV}`, 'unauthorized');
  const clientId = request.headers.get('garmin-client-id');
  const ours = garminSettings(config).clientId;
  if (clientId && ours && clientId !== ours) throw new ProviderError('garmin-client-id names another consumer key', 'unauthorized');
}

type Entry = Record<string, unknown> & { userId: string };

// Garmin's own examples end a list with an empty object; only entries naming a user mean anything.
const namesUser = (entry: unknown): entry is Entry =>
  typeof entry === 'object' && entry !== null && typeof (entry as Entry).userId === 'string' && (entry as Entry).userId !== '';

function summaryNotices(key: string, entries: Entry[], config: Config): PushNotice[] {
  const type = summaryType(key);
  if (!type) return [];
  const pings = entries.filter((entry) => 'callbackURL' in entry);
  const notices: PushNotice[] = pings.map((entry) => {
    const url = callbackOnApiHost(entry.callbackURL, config);
    if (!url) throw new BadRequest(`a ${key} ping's callbackURL must be a URL of Garmin's API (GARMIN_API_URL)`);
    return { externalUserId: entry.userId, content: { stream: key, url } };
  });
  const pushed = entries.filter((entry) => !('callbackURL' in entry));
  const checked = checkSummaries(pushed, type);
  if ('problem' in checked) throw new BadRequest(`the Garmin push holds ${checked.problem}`);
  const byUser = new Map<string, Entry[]>();
  for (const row of checked.rows as Entry[]) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row]);
  for (const [userId, rows] of byUser) notices.push({ externalUserId: userId, content: { stream: key, payload: rows } });
  return notices;
}

function listNotices(key: string, list: unknown, config: Config): PushNotice[] {
  if (!Array.isArray(list)) throw new BadRequest(`a Garmin notification's "${key}" must be a list`);
  const entries = list.filter(namesUser);
  if (key === 'deregistrations') return entries.map((entry) => ({ externalUserId: entry.userId, kind: 'revoked' as const }));
  if (key === 'userPermissionsChange') {
    return entries.map((entry) => ({
      externalUserId: entry.userId,
      kind: 'permissions' as const,
      permissions: Array.isArray(entry.permissions) ? entry.permissions.filter((p): p is string => typeof p === 'string') : [],
    }));
  }
  return summaryNotices(key, entries, config);
}

export function parseGarminPush(request: PushRequest, config: Config): PushNotice[] {
  verify(request, config);
  let body: unknown;
  try {
    body = JSON.parse(request.body);
  } catch {
    throw new BadRequest('a Garmin notification body must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new BadRequest('a Garmin notification body must be a JSON object');
  return Object.entries(body).flatMap(([key, list]) => listNotices(key, list, config));
}
