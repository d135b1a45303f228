import { Invalid } from '../lib/errors.js';
import { SECRET_PREFIX } from '../webhooks/signing.js';

/**
 * The channel types and their settings, one registry: which fields each type takes, which of them are secrets
 * (written, never served back) and how each is checked. Email (SMTP) and Web Push are not here yet.
 */
export const CHANNEL_TYPES = ['webhook', 'slack', 'discord', 'teams', 'ntfy'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

interface Field {
  secret: boolean;
  required: boolean;
  check(value: string, name: string): void;
  description: string;
}

const httpUrl: Field['check'] = (value, name) => {
  if (!/^https?:\/\/[^\s]+$/.test(value)) throw new Invalid(`${name} must be an http(s) URL`);
};
const text =
  (max: number, pattern?: RegExp, hint?: string): Field['check'] =>
  (value, name) => {
    if (value.length < 1 || value.length > max || (pattern && !pattern.test(value)))
      throw new Invalid(`${name} must be ${hint ?? `1 to ${max} characters`}`);
  };
const signingSecret: Field['check'] = (value, name) => {
  const key = value.startsWith(SECRET_PREFIX) ? Buffer.from(value.slice(SECRET_PREFIX.length), 'base64') : Buffer.alloc(0);
  if (key.length < 24 || key.length > 64) throw new Invalid(`${name} must be ${SECRET_PREFIX} followed by 24 to 64 bytes in base64`);
};

export const CHANNEL_SETTINGS: Record<ChannelType, Record<string, Field>> = {
  webhook: {
    url: { secret: false, required: true, check: httpUrl, description: 'The receiver; messages are signed per Standard Webhooks.' },
    secret: { secret: true, required: true, check: signingSecret, description: 'whsec_… signing secret you generate and keep.' },
  },
  slack: {
    webhookUrl: { secret: true, required: true, check: httpUrl, description: 'A Slack incoming-webhook URL (Block Kit messages).' },
  },
  discord: {
    webhookUrl: { secret: true, required: true, check: httpUrl, description: 'A Discord channel webhook URL (embeds).' },
  },
  teams: {
    webhookUrl: { secret: true, required: true, check: httpUrl, description: 'A Teams Workflows webhook URL (Adaptive Cards).' },
  },
  ntfy: {
    serverUrl: { secret: false, required: false, check: httpUrl, description: 'The ntfy server (default https://ntfy.sh).' },
    topic: {
      secret: false,
      required: true,
      check: text(64, /^[A-Za-z0-9_-]+$/, '1 to 64 letters, digits, - or _'),
      description: 'The topic.',
    },
    token: { secret: true, required: false, check: text(256), description: 'An access token for a protected topic.' },
  },
};

export interface SplitSettings {
  settings: Record<string, string>;
  secrets: Record<string, string>;
}

/** Checks a type's settings (422 naming `settings.<field>`) and splits what is served back from the secrets. */
export function checkSettings(type: ChannelType, raw: unknown, previousSecrets: Record<string, string> = {}): SplitSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Invalid('settings must be a JSON object');
  const given = raw as Record<string, unknown>;
  const fields = CHANNEL_SETTINGS[type];
  const unknown = Object.keys(given).filter((key) => !(key in fields));
  if (unknown.length) throw new Invalid(`settings.${unknown[0]} is not a setting of ${type} channels (${Object.keys(fields).join(', ')})`);
  const out: SplitSettings = { settings: {}, secrets: {} };
  for (const [name, field] of Object.entries(fields)) {
    const value = given[name] ?? (field.secret ? previousSecrets[name] : undefined);
    if (value === undefined || value === null) {
      if (field.required) throw new Invalid(`settings.${name} is required for ${type} channels: ${field.description}`);
      continue;
    }
    if (typeof value !== 'string') throw new Invalid(`settings.${name} must be a string`);
    field.check(value, `settings.${name}`);
    (field.secret ? out.secrets : out.settings)[name] = value;
  }
  return out;
}
