import { postgresUrl, redisUrl } from './engines.js';
import { startTestServer, type TestServer } from './server.js';

/** A second instance of `first`'s install: its PostgreSQL database, its admin key, and Redis between the two. */
export function startAnotherInstance(first: TestServer, overrides: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
  return startTestServer('postgres', { redisUrl, databaseUrl: first.server.config.databaseUrl, adminKey: first.adminKey, ...overrides });
}

/** Where a change made through one instance must show on another: the instance it shows on, and the one it is made through. */
export interface InstancePair {
  name: string;
  skip: boolean;
  start(): Promise<{ watched: TestServer; changed: TestServer; close(): Promise<void> }>;
}

/** On PGlite one instance plays both parts; on PostgreSQL with Redis two instances of one install. */
export const INSTANCE_PAIRS: InstancePair[] = [
  {
    name: 'PGlite, one instance',
    skip: false,
    start: async () => {
      const only = await startTestServer('pglite');
      return { watched: only, changed: only, close: () => only.close() };
    },
  },
  {
    name: 'PostgreSQL and Redis, two instances',
    skip: !postgresUrl || !redisUrl,
    start: async () => {
      const watched = await startTestServer('postgres', { redisUrl });
      const changed = await startAnotherInstance(watched);
      return {
        watched,
        changed,
        close: async () => {
          await changed.close();
          await watched.close();
        },
      };
    },
  },
];
