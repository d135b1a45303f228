import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeySecret } from '../../src/auth/key-secret.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase } from '../../src/db/client.js';
import { startServer, type RunningServer } from '../../src/server/start.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { systemClock, type Clock } from '../../src/lib/time.js';
import { createScratchDatabase, type Engine } from './engines.js';
import { migratedPglite } from './pglite-snapshot.js';

export interface TestServer {
  url: string;
  adminKey: string;
  server: RunningServer;
  /** A REST call as a client makes it. `key: null` sends no Authorization header. */
  api(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<ApiResponse>;
  graphql(query: string, variables?: Record<string, unknown>, key?: string | null): Promise<ApiResponse>;
  /** A second tenant with its own admin key. */
  newWorkspace(name?: string): Promise<{ workspaceId: string; adminKey: string }>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

async function call(url: string, init: RequestInit): Promise<ApiResponse> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Non-JSON bodies (HTML pages) stay text.
  }
  return { status: response.status, headers: response.headers, body };
}

export async function startTestServer(
  engine: Engine = 'pglite',
  overrides: Partial<Config> & { env?: Record<string, string>; clock?: Clock } = {},
): Promise<TestServer> {
  // A given databaseUrl shares another test server's database (two instances of one install).
  const scratch = engine === 'postgres' && !overrides.databaseUrl ? await createScratchDatabase() : null;
  const adminKey = overrides.adminKey ?? generateKeySecret();
  const { env, clock, ...rest } = overrides;
  // Files go to a folder of this server's own (unless the test names its storage), removed at close.
  const filesDir = await mkdtemp(join(tmpdir(), 'vitasync-files-'));
  // Webhooks may reach receivers on this machine and nothing else: no test delivery leaves it (a test of the
  // address refusals passes its own WEBHOOK_* values).
  const loaded = loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', WEBHOOK_DENY_PUBLIC: 'true', ...env });
  const config: Config = {
    ...loaded,
    files: { ...loaded.files, dir: filesDir },
    port: 0,
    host: '127.0.0.1',
    dataDir: 'memory://',
    databaseUrl: scratch?.url ?? overrides.databaseUrl ?? null,
    adminKey,
    rateLimit: { max: 100_000, windowSeconds: 60 },
    ...rest,
  };
  // An in-memory PGlite starts as a copy of the migrated one (helpers/pglite-snapshot.ts) rather than from initdb.
  const database =
    config.databaseUrl === null && config.dataDir === 'memory://'
      ? await openDatabase({ databaseUrl: null, dataDir: 'memory://', from: await migratedPglite() })
      : undefined;
  const server = await startServer(config, clock, database);
  const authHeader = (key: string | null | undefined): Record<string, string> =>
    key === null ? {} : { authorization: `Bearer ${key ?? adminKey}` };

  const test: TestServer = {
    url: server.url,
    adminKey,
    server,
    api: (method, path, options = {}) =>
      call(server.url + path, {
        method,
        headers: {
          ...authHeader(options.key),
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      }),
    graphql: (query, variables, key) =>
      call(`${server.url}/graphql`, {
        method: 'POST',
        headers: { ...authHeader(key), 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      }),
    newWorkspace: async (name = 'Other workspace') => {
      const created = await createWorkspace({ db: server.database.prisma, sql: server.database, clock: systemClock }, name);
      return { workspaceId: created.workspace.id, adminKey: created.adminKey.key };
    },
    close: async () => {
      await server.close();
      await scratch?.drop();
      await rm(filesDir, { recursive: true, force: true });
    },
  };
  return test;
}
