import type { Config } from '../../config.js';
import { providerSettings } from '../settings.js';

/**
 * Garmin Connect Developer Program hosts (OAuth2 PKCE specification; Health API): consent at connect.garmin.com,
 * tokens at diauth.garmin.com, data and notifications' callback URLs at apis.garmin.com/wellness-api/rest.
 */
const DEFAULTS = { apiUrl: 'https://apis.garmin.com', authUrl: 'https://connect.garmin.com', tokenUrl: 'https://diauth.garmin.com' };

export const garminSettings = (config: Config) => providerSettings(config, 'garmin', DEFAULTS);

const REST_PATH = '/wellness-api/rest/';

/** Summary Backfill and the summary resources a ping's callbackURL names. */
export const restUrl = (config: Config, resource: string) => `${garminSettings(config).apiUrl}${REST_PATH}${resource}`;

/**
 * The user resources (user/id, user/permissions, user/registration) of the OAuth 2.0 programme live under
 * /partner-gateway/rest/ (Open Wearables' client calls them there against the live API); the OAuth 1.0a-era
 * specification placed them under /wellness-api/rest/.
 */
export const userUrl = (config: Config, resource: 'id' | 'permissions' | 'registration') =>
  `${garminSettings(config).apiUrl}/partner-gateway/rest/user/${resource}`;

/**
 * User Permissions answers a list of permissions (Health API specification, "User Permissions":
 * ["ACTIVITY_EXPORT", …]) or, on the partner gateway, an object { permissions: [...] }: both are read.
 */
export function permissionsOf(answer: unknown): string[] {
  const list = Array.isArray(answer) ? answer : (answer as { permissions?: unknown } | null)?.permissions;
  return Array.isArray(list) ? list.filter((p): p is string => typeof p === 'string') : [];
}

/**
 * A ping's callbackURL, accepted only on Garmin's API host and under its REST path: VitaSync calls it with the
 * user's token, so a URL anywhere else (a forged or misrouted notification) is never fetched.
 */
export function callbackOnApiHost(value: unknown, config: Config): string | null {
  if (typeof value !== 'string') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  const api = new URL(restUrl(config, ''));
  return url.origin === api.origin && url.pathname.startsWith(api.pathname) && !url.username && !url.password ? url.toString() : null;
}
