import { resolve } from 'node:path';

/** Every setting VitaSync reads from the environment, validated once at start-up. README lists them. */
/** INSIGHTS_LLM_URL (base URL; POST {url}/chat/completions), INSIGHTS_LLM_MODEL, INSIGHTS_LLM_API_KEY, INSIGHTS_LLM_TIMEOUT_MS. */
export interface InsightsLlmConfig {
  url: string;
  model: string;
  apiKey: string | null;
  timeoutMs: number;
}

export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded PGlite database (used when databaseUrl is unset). */
  dataDir: string;
  /** postgres://… to run on PostgreSQL instead of the embedded database. */
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Seconds an API key or user read stays cached at most (src/lib/lookup-cache.ts); 0: no cache. */
  lookupCacheTtlSeconds: number;
  /** Admin key to install on first start instead of a generated one (automation). */
  adminKey: string | null;
  /** Signs pagination cursors; instances sharing a database must share it. Generated and stored when unset. */
  secret: string | null;
  production: boolean;
  rateLimit: { max: number; windowSeconds: number };
  maxBodyBytes: number;
  /** Operations (subscriptions mostly) one API key may have open at once over WebSockets, per instance. */
  maxSubscriptionsPerKey: number;
  /** How long a client may take to send a whole request (headers and body): slow-loris protection. */
  requestTimeoutMs: number;
  /** Provider push notifications may carry data (Garmin sends up to 10 MB a push): a limit of their own. */
  maxPushBodyBytes: number;
  /** What one workspace may hold (API6): 0 means no limit. */
  quotas: Quotas;
  /** Browser origins allowed to call the API (CORS). */
  corsOrigins: string[];
  /** Base URL browsers and providers reach this server at (OAuth redirect URIs, connect links). */
  publicUrl: string;
  encryption: { key: string | null; keyId: string; oldKeys: string | null };
  sync: { backfillDays: number; intervalMinutes: number };
  jobs: { leaseSeconds: number; concurrency: number; outboundConcurrency: number };
  /**
   * The transactional outbox: `relay` false (DOMAIN_EVENT_RELAY=off) keeps this instance from dispatching
   * (another instance, or a later start, does); dispatched events are purged after `retentionDays`.
   */
  domainEvents: { relay: boolean; retentionDays: number };
  /** Webhook deliveries: who may be called and how long an attempt may take. */
  webhooks: WebhooksConfig;
  /** The install-wide settings of the email and Web Push notification channels (null: that type is unavailable). */
  notifications: NotificationsConfig;
  /** Temporal as the job engine when `address` is set (TEMPORAL_ADDRESS); the local runner otherwise. */
  temporal: TemporalConfig;
  /** File storage (a folder, or S3-compatible object storage), uploads and signed downloads. */
  files: FilesConfig;
  /**
   * Data exports: a completed export's file is offered for `retentionDays` (EXPORT_RETENTION_DAYS, default 7); rows are
   * read `pageRows` at a time (EXPORT_PAGE_ROWS, default 5000), the most an export holds in memory.
   */
  exports: { retentionDays: number; pageRows: number };
  /** Optional rewording of insight sentences by an OpenAI-compatible endpoint (null: off, the default). */
  insightsLlm: InsightsLlmConfig | null;
  /** The raw environment, for per-provider settings (<PROVIDER>_CLIENT_ID…; src/providers/settings.ts). */
  env: Env;
}

export type Env = Record<string, string | undefined>;

export interface Quotas {
  /** End users per workspace (QUOTA_USERS). */
  users: number;
  /** Active API keys per workspace (QUOTA_API_KEYS); rotation replaces a key and is never refused. */
  apiKeys: number;
}

export interface TemporalConfig {
  address: string | null;
  namespace: string;
  taskQueue: string;
  /** TLS to the Temporal frontend (a cluster behind TLS, Temporal Cloud); null for plain gRPC (the dev server). */
  tls: { certPath: string | null; keyPath: string | null; caPath: string | null; serverName: string | null } | null;
  /** Temporal Cloud API key (sent as a bearer token; implies TLS). */
  apiKey: string | null;
}

export interface FilesConfig {
  /** The folder files are kept in when no S3 bucket is set (VITASYNC_FILES_DIR; default <data dir>/files). */
  dir: string;
  /** S3-compatible object storage instead of the folder when S3_BUCKET is set. */
  s3: S3Config | null;
  /** The largest upload taken (MAX_UPLOAD_BYTES, default 2 GiB); larger ones answer 413 and leave nothing. */
  maxUploadBytes: number;
  /** How long a signed download URL works (DOWNLOAD_URL_TTL_SECONDS, default 900). */
  downloadUrlTtlSeconds: number;
  /**
   * An upload's body has no overall deadline (2 GB take minutes); instead it must bring at least
   * `minBytesPerInterval` bytes every `progressIntervalMs`, so a stalled or trickling upload is cut.
   */
  uploadProgress: { intervalMs: number; minBytesPerInterval: number };
}

export interface WebhooksConfig {
  /** http:// endpoints accepted (WEBHOOK_ALLOW_HTTP; default: everywhere but production). */
  allowHttp: boolean;
  /**
   * Addresses (CIDR) exempt from the private-address refusal (WEBHOOK_ALLOWED_NETWORKS), e.g. 127.0.0.1/32 for a
   * receiver on the same machine in development. Empty in production unless set on purpose.
   */
  allowedNetworks: string[];
  /**
   * Refuse every address outside allowedNetworks, public ones too (WEBHOOK_DENY_PUBLIC): a closed network, the test
   * suite and the fuzzer, where no delivery may leave the machine. Names other than localhost are then refused
   * without a DNS lookup.
   */
  denyPublic: boolean;
  /** One attempt's deadline, connection to last byte (WEBHOOK_TIMEOUT_MS, 15 s). */
  timeoutMs: number;
  /**
   * Multiplies every wait of the retry schedule (WEBHOOK_RETRY_SCALE, 1): tests and demos run the whole Standard
   * Webhooks schedule in seconds with 0.001. Leave it at 1 in production.
   */
  retryScale: number;
}

function webhooksConfig(env: Env, production: boolean): WebhooksConfig {
  const networks = (optional(env, 'WEBHOOK_ALLOWED_NETWORKS') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  for (const network of networks)
    if (!/^[0-9a-f.:]+\/\d{1,3}$/i.test(network))
      throw new Error(`WEBHOOK_ALLOWED_NETWORKS takes CIDR ranges such as 127.0.0.1/32, got "${network}"`);
  return {
    allowHttp: trueFalse(env, 'WEBHOOK_ALLOW_HTTP', !production),
    denyPublic: trueFalse(env, 'WEBHOOK_DENY_PUBLIC', false),
    allowedNetworks: networks,
    timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 15_000, 1),
    retryScale: retryScale(env),
  };
}

export interface NotificationsConfig {
  /**
   * The SMTP server every email channel sends through (SMTP_URL, SMTP_FROM). One per install: an API caller names only
   * the recipient, never a host, so no caller can point the server at an address of its choosing.
   */
  smtp: { url: string; from: string } | null;
  /** The VAPID key pair and contact (RFC 8292) Web Push messages are signed with (VAPID_PUBLIC_KEY…). */
  vapid: { publicKey: string; privateKey: string; subject: string } | null;
}

/** base64url of exactly `bytes` bytes (how web-push prints VAPID keys). */
function base64UrlOf(env: Env, name: string, bytes: number): string {
  const value = env[name]!;
  if (!/^[A-Za-z0-9_-]+$/.test(value) || Buffer.from(value, 'base64url').length !== bytes)
    throw new Error(`${name} must be ${bytes} bytes in base64url (npx web-push generate-vapid-keys prints a pair)`);
  return value;
}

function notificationsConfig(env: Env): NotificationsConfig {
  const smtpUrl = optional(env, 'SMTP_URL');
  const from = optional(env, 'SMTP_FROM');
  if (smtpUrl && !/^smtps?:\/\/[^/]+/.test(smtpUrl)) throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
  if (Boolean(smtpUrl) !== Boolean(from)) throw new Error('SMTP_URL and SMTP_FROM (the sender address) go together');
  const vapidNames = ['VAPID_PUBLIC_KEY', 'VAPID_PRIVATE_KEY', 'VAPID_SUBJECT'];
  const vapidSet = vapidNames.filter((name) => optional(env, name) !== null);
  if (vapidSet.length && vapidSet.length < 3) throw new Error(`${vapidNames.join(', ')} go together`);
  const subject = optional(env, 'VAPID_SUBJECT');
  if (subject && !/^(mailto:\S+@\S+|https:\/\/\S+)$/.test(subject))
    throw new Error('VAPID_SUBJECT must be a mailto: or https: URL (RFC 8292 section 2.1: how a push service reaches you)');
  return {
    smtp: smtpUrl && from ? { url: smtpUrl, from } : null,
    vapid: subject
      ? { publicKey: base64UrlOf(env, 'VAPID_PUBLIC_KEY', 65), privateKey: base64UrlOf(env, 'VAPID_PRIVATE_KEY', 32), subject }
      : null,
  };
}

function trueFalse(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === null) return fallback;
  if (raw !== 'true' && raw !== 'false') throw new Error(`${name} must be true or false, got "${raw}"`);
  return raw === 'true';
}

function retryScale(env: Env): number {
  const raw = optional(env, 'WEBHOOK_RETRY_SCALE');
  const value = raw === null ? 1 : Number(raw);
  if (!(value > 0 && value <= 1)) throw new Error(`WEBHOOK_RETRY_SCALE must be a number in (0, 1], got "${raw}"`);
  return value;
}

export interface S3Config {
  bucket: string;
  /** null: AWS's own endpoint for the region. */
  endpoint: string | null;
  region: string;
  /** null: the SDK's default credential chain (instance role, AWS_* variables…). */
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
  /** Bucket in the path instead of the host name (MinIO, moto, most self-hosted servers). */
  forcePathStyle: boolean;
  /** Prepended to every object key, so one bucket can hold several installs. */
  prefix: string;
}

function s3Config(env: Env): S3Config | null {
  const bucket = optional(env, 'S3_BUCKET');
  const others = ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE', 'S3_PREFIX'];
  if (!bucket) {
    const stray = others.filter((name) => optional(env, name) !== null);
    if (stray.length) throw new Error(`${stray.join(', ')} set without S3_BUCKET: set S3_BUCKET to store files in S3`);
    return null;
  }
  const endpoint = optional(env, 'S3_ENDPOINT');
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) throw new Error(`S3_ENDPOINT must be an http:// or https:// URL, got "${endpoint}"`);
  const accessKeyId = optional(env, 'S3_ACCESS_KEY_ID');
  const secretAccessKey = optional(env, 'S3_SECRET_ACCESS_KEY');
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey))
    throw new Error('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or leave both unset for the default credential chain)');
  const pathStyle = optional(env, 'S3_FORCE_PATH_STYLE');
  if (pathStyle !== null && pathStyle !== 'true' && pathStyle !== 'false')
    throw new Error(`S3_FORCE_PATH_STYLE must be true or false, got "${pathStyle}"`);
  const prefix = optional(env, 'S3_PREFIX') ?? '';
  if (prefix.startsWith('/')) throw new Error(`S3_PREFIX must not start with "/", got "${prefix}"`);
  return {
    bucket,
    endpoint,
    region: optional(env, 'S3_REGION') ?? 'us-east-1',
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null,
    forcePathStyle: pathStyle === 'true',
    prefix,
  };
}

function filesConfig(env: Env, dataDir: string): FilesConfig {
  return {
    dir: resolve(optional(env, 'VITASYNC_FILES_DIR') ?? resolve(dataDir, 'files')),
    s3: s3Config(env),
    maxUploadBytes: integer(env, 'MAX_UPLOAD_BYTES', 2 * 1024 ** 3, 1),
    downloadUrlTtlSeconds: integer(env, 'DOWNLOAD_URL_TTL_SECONDS', 900, 1),
    uploadProgress: {
      intervalMs: integer(env, 'UPLOAD_PROGRESS_INTERVAL_SECONDS', 30, 1) * 1000,
      minBytesPerInterval: integer(env, 'UPLOAD_MIN_BYTES_PER_INTERVAL', 64 * 1024, 1),
    },
  };
}

function temporalConfig(env: Env): TemporalConfig {
  const certPath = optional(env, 'TEMPORAL_TLS_CERT');
  const keyPath = optional(env, 'TEMPORAL_TLS_KEY');
  if (Boolean(certPath) !== Boolean(keyPath))
    throw new Error('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (mTLS client certificate and key files) go together');
  const caPath = optional(env, 'TEMPORAL_TLS_CA');
  const serverName = optional(env, 'TEMPORAL_TLS_SERVER_NAME');
  const apiKey = optional(env, 'TEMPORAL_API_KEY');
  const tlsFlag = optional(env, 'TEMPORAL_TLS');
  if (tlsFlag !== null && tlsFlag !== 'true' && tlsFlag !== 'false')
    throw new Error(`TEMPORAL_TLS must be true or false, got "${tlsFlag}"`);
  const tls = tlsFlag === 'true' || certPath || caPath || serverName || (apiKey && tlsFlag !== 'false');
  return {
    address: optional(env, 'TEMPORAL_ADDRESS'),
    namespace: env.TEMPORAL_NAMESPACE || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE || 'vitasync',
    tls: tls ? { certPath, keyPath, caPath, serverName } : null,
    apiKey,
  };
}

function insightsLlmConfig(env: Env): InsightsLlmConfig | null {
  const url = optional(env, 'INSIGHTS_LLM_URL');
  const model = optional(env, 'INSIGHTS_LLM_MODEL');
  if (!url && !model) return null;
  if (!url || !model)
    throw new Error('INSIGHTS_LLM_URL and INSIGHTS_LLM_MODEL go together (or leave both unset: insights stay deterministic)');
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) throw new Error(`INSIGHTS_LLM_URL must be an http(s) URL, got "${url}"`);
  return {
    url: url.replace(/\/$/, ''),
    model,
    apiKey: optional(env, 'INSIGHTS_LLM_API_KEY'),
    timeoutMs: integer(env, 'INSIGHTS_LLM_TIMEOUT_MS', 5000, 100),
  };
}

function integer(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min}, got "${raw}"`);
  return value;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const raw = optional(env, name);
  if (raw === null) return fallback;
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be on or off, got "${raw}"`);
  return raw === 'on';
}

function optional(env: Env, name: string): string | null {
  const value = env[name];
  return value === undefined || value === '' ? null : value;
}

export function loadConfig(env: Env = process.env): Config {
  const databaseUrl = optional(env, 'DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  const adminKey = optional(env, 'VITASYNC_ADMIN_KEY');
  if (adminKey && !/^vs_live_[A-Za-z0-9_-]{32,}$/.test(adminKey)) {
    throw new Error('VITASYNC_ADMIN_KEY must look like vs_live_<at least 32 URL-safe characters>');
  }
  const dataDir = resolve(env.VITASYNC_DATA_DIR || '.vitasync');
  return {
    port: integer(env, 'PORT', 3000, 0),
    host: env.HOST || '0.0.0.0',
    dataDir,
    databaseUrl,
    redisUrl: optional(env, 'REDIS_URL'),
    lookupCacheTtlSeconds: integer(env, 'LOOKUP_CACHE_TTL_SECONDS', 30, 0),
    adminKey,
    secret: optional(env, 'VITASYNC_SECRET'),
    production: env.NODE_ENV === 'production',
    rateLimit: {
      max: integer(env, 'RATE_LIMIT_MAX', 600, 1),
      windowSeconds: integer(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1),
    },
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1_048_576, 1024),
    maxPushBodyBytes: integer(env, 'MAX_PUSH_BODY_BYTES', 16 * 1_048_576, 1024),
    maxSubscriptionsPerKey: integer(env, 'MAX_SUBSCRIPTIONS_PER_KEY', 50, 1),
    quotas: { users: integer(env, 'QUOTA_USERS', 0, 0), apiKeys: integer(env, 'QUOTA_API_KEYS', 100, 0) },
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 1000),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    publicUrl: (env.PUBLIC_URL || `http://localhost:${integer(env, 'PORT', 3000, 0)}`).replace(/\/$/, ''),
    encryption: {
      key: optional(env, 'VITASYNC_ENCRYPTION_KEY'),
      keyId: env.VITASYNC_ENCRYPTION_KEY_ID || 'k1',
      oldKeys: optional(env, 'VITASYNC_ENCRYPTION_KEYS_OLD'),
    },
    sync: {
      backfillDays: integer(env, 'SYNC_BACKFILL_DAYS', 90, 1),
      intervalMinutes: integer(env, 'SYNC_INTERVAL_MINUTES', 60, 1),
    },
    jobs: {
      leaseSeconds: integer(env, 'JOB_LEASE_SECONDS', 30, 1),
      concurrency: integer(env, 'JOB_CONCURRENCY', 2, 1),
      outboundConcurrency: integer(env, 'OUTBOUND_CONCURRENCY', 32, 1),
    },
    domainEvents: { relay: onOff(env, 'DOMAIN_EVENT_RELAY', true), retentionDays: integer(env, 'DOMAIN_EVENT_RETENTION_DAYS', 30, 1) },
    temporal: temporalConfig(env),
    files: filesConfig(env, dataDir),
    exports: { retentionDays: integer(env, 'EXPORT_RETENTION_DAYS', 7, 1), pageRows: integer(env, 'EXPORT_PAGE_ROWS', 5000, 1) },
    webhooks: webhooksConfig(env, env.NODE_ENV === 'production'),
    notifications: notificationsConfig(env),
    insightsLlm: insightsLlmConfig(env),
    env,
  };
}
