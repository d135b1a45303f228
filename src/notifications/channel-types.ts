import type { Config } from '../config.js';
import { Invalid } from '../lib/errors.js';
import { SECRET_PREFIX } from '../webhooks/signing.js';

/**
 * The channel types and their settings, one registry: which fields each type takes, which of them are secrets
 * (written, never served back), which are addresses the server connects to (the webhook address policy applies) and
 * how each is checked. A dotted name (`keys.p256dh`) is a field of a nested object, as the platform spells it.
 */
export const CHANNEL_TYPES = ['webhook', 'slack', 'discord', 'teams', 'ntfy', 'email', 'webpush'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** A setting's stored value: strings, and numbers where the platform gives one (a push subscription's expiry). */
export type SettingValue = string | number;

interface Field {
  secret: boolean;
  required: boolean;
  /** The server connects to this URL: checked by the webhook address policy on write, and again on connecting. */
  destination?: true;
  /** Checks a value (never null: null counts as absent) and gives what is stored; a 422 naming `name` otherwise. */
  check(value: unknown, name: string): SettingValue;
  description: string;
}

const string =
  (check: (value: string, name: string) => void): Field['check'] =>
  (value, name) => {
    if (typeof value !== 'string') throw new Invalid(`${name} must be a string`);
    check(value, name);
    return value;
  };
const httpUrl = string((value, name) => {
  if (!/^https?:\/\/[^\s]+$/.test(value)) throw new Invalid(`${name} must be an http(s) URL`);
});
const text = (max: number, pattern?: RegExp, hint?: string): Field['check'] =>
  string((value, name) => {
    if (value.length < 1 || value.length > max || (pattern && !pattern.test(value)))
      throw new Invalid(`${name} must be ${hint ?? `1 to ${max} characters`}`);
  });
const signingSecret = string((value, name) => {
  const key = value.startsWith(SECRET_PREFIX) ? Buffer.from(value.slice(SECRET_PREFIX.length), 'base64') : Buffer.alloc(0);
  if (key.length < 24 || key.length > 64) throw new Invalid(`${name} must be ${SECRET_PREFIX} followed by 24 to 64 bytes in base64`);
});
/** One mailbox, nothing a header could be split on (no list, no display name, no line break): RFC 5321's 254 at most. */
const mailbox = text(254, /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[A-Za-z0-9-]{2,}$/, 'one email address (name@example.com)');
/** base64url (the Push API's spelling, padding tolerated) of `bytes` bytes, whose first byte is `first` if given. */
const base64UrlBytes = (bytes: number, words: string, first?: number): Field['check'] =>
  string((value, name) => {
    const raw = /^[A-Za-z0-9_-]+={0,2}$/.test(value) ? Buffer.from(value, 'base64url') : Buffer.alloc(0);
    if (raw.length !== bytes || (first !== undefined && raw[0] !== first)) throw new Invalid(`${name} must be ${words}`);
  });
const epochMs: Field['check'] = (value, name) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new Invalid(`${name} must be null or a time in milliseconds since the epoch`);
  return value;
};

export const CHANNEL_SETTINGS: Record<ChannelType, Record<string, Field>> = {
  webhook: {
    url: {
      secret: false,
      required: true,
      destination: true,
      check: httpUrl,
      description: 'The receiver; messages are signed per Standard Webhooks.',
    },
    secret: { secret: true, required: true, check: signingSecret, description: 'whsec_… signing secret you generate and keep.' },
  },
  slack: {
    webhookUrl: {
      secret: true,
      required: true,
      destination: true,
      check: httpUrl,
      description: 'A Slack incoming-webhook URL (Block Kit messages).',
    },
  },
  discord: {
    webhookUrl: { secret: true, required: true, destination: true, check: httpUrl, description: 'A Discord channel webhook URL (embeds).' },
  },
  teams: {
    webhookUrl: {
      secret: true,
      required: true,
      destination: true,
      check: httpUrl,
      description: 'A Teams Workflows webhook URL (Adaptive Cards).',
    },
  },
  ntfy: {
    serverUrl: {
      secret: false,
      required: false,
      destination: true,
      check: httpUrl,
      description: 'The ntfy server (default https://ntfy.sh).',
    },
    topic: {
      secret: false,
      required: true,
      check: text(64, /^[A-Za-z0-9_-]+$/, '1 to 64 letters, digits, - or _'),
      description: 'The topic.',
    },
    token: { secret: true, required: false, check: text(256), description: 'An access token for a protected topic.' },
  },
  email: {
    to: { secret: false, required: true, check: mailbox, description: 'The recipient; the server sends through its SMTP_URL.' },
  },
  // A browser's PushSubscription as subscription.toJSON() gives it. The endpoint is a capability URL and `auth` the
  // shared secret of RFC 8291, so both are write-only; p256dh is the browser's public key (a frontend may match on it).
  webpush: {
    endpoint: { secret: true, required: true, destination: true, check: httpUrl, description: 'The push service URL of the subscription.' },
    'keys.p256dh': {
      secret: false,
      required: true,
      check: base64UrlBytes(65, 'an uncompressed P-256 public key: 65 bytes in base64url starting with 0x04', 0x04),
      description: 'The browser’s ECDH public key (RFC 8291 section 3.1).',
    },
    'keys.auth': {
      secret: true,
      required: true,
      check: base64UrlBytes(16, '16 bytes in base64url'),
      description: 'The subscription’s authentication secret (RFC 8291 section 3.2).',
    },
    expirationTime: {
      secret: false,
      required: false,
      check: epochMs,
      description: 'When the subscription expires, as the browser says (may be null).',
    },
  },
};

/** Why a type cannot be used on this install (it needs server settings that are not there), or null. */
export function channelTypeUnavailable(type: ChannelType, config: Pick<Config, 'notifications'>): string | null {
  if (type === 'email' && !config.notifications.smtp) return 'email (SMTP_URL, SMTP_FROM) is not configured in this install';
  if (type === 'webpush' && !config.notifications.vapid)
    return 'Web Push (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY, VAPID_SUBJECT) is not configured in this install';
  return null;
}

export interface SplitSettings {
  /** Flat: a nested field under its dotted name. */
  settings: Record<string, SettingValue>;
  secrets: Record<string, SettingValue>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The given settings under dotted names, refusing (422) any name the type does not have. */
function flattenGiven(type: ChannelType, given: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const names = Object.keys(CHANNEL_SETTINGS[type]);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(given)) {
    const path = `${prefix}${key}`;
    const children = names.filter((name) => name.startsWith(`${path}.`));
    if (names.includes(path)) out[path] = value;
    else if (children.length && isObject(value)) Object.assign(out, flattenGiven(type, value, `${path}.`));
    else if (children.length)
      throw new Invalid(`settings.${path} must be an object with ${children.map((name) => name.slice(path.length + 1)).join(', ')}`);
    else throw new Invalid(`settings.${path} is not a setting of ${type} channels (${names.join(', ')})`);
  }
  return out;
}

/** Stored settings (nested as the platform spells them) under dotted names. */
export function flatSettings(stored: unknown, prefix = ''): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  if (!isObject(stored)) return out;
  for (const [key, value] of Object.entries(stored)) {
    if (isObject(value)) Object.assign(out, flatSettings(value, `${prefix}${key}.`));
    else if (typeof value === 'string' || typeof value === 'number') out[`${prefix}${key}`] = value;
  }
  return out;
}

/** Dotted names back to nested objects: what the API serves and stores. */
export function nestSettings(flat: Record<string, SettingValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(flat)) {
    const parts = name.split('.');
    let node = out;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = value;
  }
  return out;
}

/** Checks a type's settings (422 naming `settings.<field>`) and splits what is served back from the secrets. */
export function checkSettings(type: ChannelType, raw: unknown, previousSecrets: Record<string, SettingValue> = {}): SplitSettings {
  if (!isObject(raw)) throw new Invalid('settings must be a JSON object');
  const given = flattenGiven(type, raw);
  const out: SplitSettings = { settings: {}, secrets: {} };
  for (const [name, field] of Object.entries(CHANNEL_SETTINGS[type])) {
    const value = given[name] ?? (field.secret ? previousSecrets[name] : undefined);
    if (value === undefined || value === null) {
      if (field.required) throw new Invalid(`settings.${name} is required for ${type} channels: ${field.description}`);
      continue;
    }
    (field.secret ? out.secrets : out.settings)[name] = field.check(value, `settings.${name}`);
  }
  return out;
}
