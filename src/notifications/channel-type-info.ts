import type { Config } from '../config.js';
import { CHANNEL_SETTINGS, CHANNEL_TYPES, channelTypeUnavailable, type ChannelType } from './channel-types.js';

/** What a frontend needs to offer a channel type: whether this install can send it, its settings, its keys. */
export interface ChannelTypeInfo {
  type: ChannelType;
  available: boolean;
  unavailableReason: string | null;
  settings: { name: string; required: boolean; writeOnly: boolean; description: string }[];
  /** webpush: the VAPID public key, base64url, for pushManager.subscribe({ applicationServerKey }); null otherwise. */
  applicationServerKey: string | null;
}

/** The registry as the API serves it, ordered by type name. */
export function channelTypeInfos(config: Pick<Config, 'notifications'>): ChannelTypeInfo[] {
  return [...CHANNEL_TYPES].sort().map((type) => {
    const reason = channelTypeUnavailable(type, config);
    return {
      type,
      available: reason === null,
      unavailableReason: reason,
      settings: Object.entries(CHANNEL_SETTINGS[type]).map(([name, field]) => ({
        name,
        required: field.required,
        writeOnly: field.secret,
        description: field.description,
      })),
      applicationServerKey: type === 'webpush' ? (config.notifications.vapid?.publicKey ?? null) : null,
    };
  });
}
