import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServerAdapter } from '@whatwg-node/server';
import { schema } from '../../schema/index.js';
import type { Config } from '../config.js';
import { startProviderUpkeep } from '../connections/provider-upkeep.js';
import { loadTokenKeys } from '../connections/token-keys.js';
import { openDatabase, type Database } from '../db/client.js';
import type { JobRunner } from '../jobs/port.js';
import { startJobEngine } from '../jobs/engine.js';
import { ensureHousekeepingSchedules } from '../jobs/housekeeping.js';
import { migrate } from '../db/migrate.js';
import { buildConsumers } from '../domain-events/consumers.js';
import { startRelay, type Relay } from '../domain-events/relay.js';
import { startDeliverySweep } from '../webhooks/delivery-sweep.js';
import { openStorage } from '../files/storage.js';
import { createLiveBus } from '../live/bus.js';
import { log } from '../lib/logger.js';
import { systemClock, type Clock } from '../lib/time.js';
import { bootstrap } from '../workspaces/bootstrap.js';
import { createApp, type App } from './app.js';
import { guardRequestBody } from './body-deadline.js';
import { memoryRateLimiter, redisRateLimiter } from './rate-limit.js';
import { createLookupCache } from '../lib/lookup-cache.js';
import { attachWebSocket } from './websocket.js';

export interface RunningServer {
  url: string;
  port: number;
  config: Config;
  database: Database;
  app: App;
  /** The domain event relay of this instance; null when DOMAIN_EVENT_RELAY=off. */
  relay: Relay | null;
  /** The job engine of this server (tests and the bench start workflows through it). */
  jobs: JobRunner;
  /** The admin key this start created, if it created one (first start without VITASYNC_ADMIN_KEY). */
  generatedAdminKey: string | null;
  close(): Promise<void>;
}

/**
 * Opens the database (or takes the one given, which it then owns and closes), applies migrations, makes the first
 * workspace, and serves HTTP + WebSocket on one port.
 */
export async function startServer(config: Config, clock: Clock = systemClock, opened?: Database): Promise<RunningServer> {
  const database = opened ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir }));
  await migrate(database);
  const live = createLiveBus(config.redisUrl);
  const lookups = createLookupCache({ ttlSeconds: config.lookupCacheTtlSeconds, redisUrl: config.redisUrl });
  const { generatedAdminKey } = await bootstrap(
    { db: database.prisma, sql: database, clock },
    { adminKey: config.adminKey, secret: config.secret },
  );
  const rateLimiter = config.redisUrl ? redisRateLimiter(config.redisUrl, config.rateLimit) : memoryRateLimiter(config.rateLimit);
  const tokenKeys = loadTokenKeys(config);
  const storage = openStorage(config.files);
  const jobs = await startJobEngine({ database, config, clock, tokenKeys, storage });
  await ensureHousekeepingSchedules(jobs, config);
  const relay = config.domainEvents.relay
    ? await startRelay({
        database,
        consumers: buildConsumers({ live: live.bus, config, jobs }),
      })
    : null;
  const deps = { schema, database, config, clock, live: live.bus, jobs, tokenKeys, rateLimiter, storage, lookups };
  const app = createApp(deps);
  const adapter = createServerAdapter<{ req: IncomingMessage }>((request, serverContext) =>
    app.fetch(request, serverContext.req.socket.remoteAddress ?? 'unknown'),
  );
  // Headers must arrive within min(REQUEST_TIMEOUT_MS, 20 s) (Node's headersTimeout); bodies have deadlines of their
  // own (body-deadline.ts): Node's requestTimeout is off, as it would cut long uploads.
  const server: Server = createServer(
    {
      requestTimeout: 0,
      headersTimeout: Math.min(config.requestTimeoutMs, 20_000),
      connectionsCheckingInterval: Math.min(config.requestTimeoutMs / 2, 5_000),
    },
    (req, res) => {
      guardRequestBody(req, res, { requestTimeoutMs: config.requestTimeoutMs, uploadProgress: config.files.uploadProgress });
      void adapter.requestListener(req, res);
    },
  );
  const closeWebSocket = attachWebSocket(server, app, deps);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // Without PUBLIC_URL, OAuth redirect URIs name the port actually bound (PORT=0 picks a free one).
  if (!config.env.PUBLIC_URL) config.publicUrl = `http://localhost:${port}`;
  log.info('vitasync listening', { port, database: database.kind, redis: !!config.redisUrl });
  // After listening: an upkeep may have the provider call back this server (Oura checks a new subscription's URL).
  const upkeep = startProviderUpkeep(database.prisma, config);
  // Webhook deliveries that lost their workflow (a crash between commit and start) are started again.
  const stopSweep = config.domainEvents.relay ? startDeliverySweep(database.prisma, jobs) : () => undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    config,
    database,
    app,
    relay,
    jobs,
    generatedAdminKey,
    close: async () => {
      await closeWebSocket();
      stopSweep();
      await upkeep.close();
      await jobs.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await relay?.close();
      await rateLimiter.close();
      await lookups.close();
      await storage.close();
      await live.close();
      await database.close();
    },
  };
}
