import type { Config } from '../../config.js';
import { log } from '../../lib/logger.js';
import type { ConnectionHookContext, ProviderCall } from '../provider.js';
import { dataCall } from './api.js';
import { NOTIFY_SECRET_ENV } from './push.js';

/**
 * Withings' Data Update Notifications are per user and category: after a connect, Notify - Subscribe registers our
 * callback URL for each category (appli) we read, and a disconnect revokes them (Notify - Revoke). Withings checks
 * the callback URL with a HEAD request before it accepts a subscription.
 * https://developer.withings.com/developer-guide/v3/data-api/keep-user-data-up-to-date/ ("Payload and Categories")
 * and …/data-api/notifications/notification-content ("Notification categories": each appli and its meastypes).
 */
const APPLIS = [
  1, // weight and body composition (Measure - Getmeas)
  2, // temperature: meastypes 12, 71, 73 (Getmeas); "Notification categories" lists it as appli 2, not 4
  4, // blood pressure, heart rate, SpO2 (Getmeas)
  16, // activity (Measure v2 - Getactivity)
  44, // sleep (Sleep v2 - Getsummary)
  46, // user actions: unlink and delete end the connection (push.ts)
];

/** The callback URL Withings calls: our push endpoint, with the shared secret push.ts checks when one is set. */
function callbackUrl(config: Config, context: ConnectionHookContext): string {
  const url = new URL(context.pushUrl);
  const secret = config.env[NOTIFY_SECRET_ENV];
  if (secret) url.searchParams.set('secret', secret);
  return url.toString();
}

/** Calls one Notify action for every category; a category that fails is logged and does not stop the others. */
async function forEachAppli(
  call: ProviderCall,
  config: Config,
  context: ConnectionHookContext,
  action: 'subscribe' | 'revoke',
): Promise<void> {
  const callbackurl = callbackUrl(config, context);
  const failures: string[] = [];
  for (const appli of APPLIS) {
    const form = { action, callbackurl, appli: String(appli), ...(action === 'subscribe' ? { comment: 'VitaSync' } : {}) };
    await dataCall(call, config, '/notify', form).catch((error: Error) => failures.push(`appli ${appli}: ${error.message}`));
  }
  if (failures.length) log.warn(`Withings notify ${action} failed`, { connectionId: call.connectionId, failures });
}

export const subscribeNotifications = (call: ProviderCall, config: Config, context: ConnectionHookContext) =>
  forEachAppli(call, config, context, 'subscribe');

export const revokeNotifications = (call: ProviderCall, config: Config, context: ConnectionHookContext) =>
  forEachAppli(call, config, context, 'revoke');
