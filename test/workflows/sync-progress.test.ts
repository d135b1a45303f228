import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { demoProvider } from '../../src/providers/demo/index.js';
import { waitForJob } from '../helpers/connect.js';
import { jobEngineCases, redisUrl } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startTemporalHarness } from '../helpers/temporal.js';

const SYNC_PROGRESS = 'subscription { syncProgress { connectionId jobId stream counts { pages samples events } } }';

interface Progress {
  connectionId: string;
  jobId: string;
  stream: string;
  counts: { pages: number; samples: number; events: number };
}

// On Temporal the sync runs in the worker: its progress reaches the API server's subscribers through Redis.
describe.each(jobEngineCases({ databases: ['pglite'], temporalNeedsRedis: true }))(
  'syncProgress on the $name',
  ({ name, engine, available }) => {
    let t: TestServer;
    let stop: () => Promise<void>;
    let client: Client;

    beforeAll(async () => {
      if (!available) return;
      if (engine === 'temporal') {
        const harness = await startTemporalHarness({ SYNC_BACKFILL_DAYS: '3', REDIS_URL: redisUrl! });
        ({ t, stop } = harness);
      } else {
        t = await startTestServer('pglite', { env: { SYNC_BACKFILL_DAYS: '3' } });
        stop = () => t.close();
      }
      client = createClient({
        url: t.url.replace(/^http/, 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${t.adminKey}` },
        retryAttempts: 0,
      });
    }, 120_000);
    afterAll(async () => {
      await client?.dispose();
      await stop?.();
    });

    it.skipIf(!available)(
      'reports every page of every stream, ending on the counts the job reports',
      async () => {
        const received: Progress[] = [];
        const subscribed = new Promise<void>((resolve, reject) => {
          client.on('connected', () => setTimeout(resolve, 200));
          client.subscribe<{ syncProgress: Progress }>(
            { query: SYNC_PROGRESS },
            { next: (message) => received.push(message.data!.syncProgress), error: reject, complete: () => undefined },
          );
        });
        await subscribed;

        const user = await t.api('POST', '/v1/users', { body: { externalId: `progress-${name}` } });
        const link = await t.api('POST', `/v1/users/${user.body.id}/connect-links`, { body: { providerId: 'demo' } });
        const { connectionId } = await (await fetch(link.body.url)).json();
        const jobId = `sync:${connectionId}:backfill`;
        const job = await waitForJob(t, jobId, { attempts: 600 });
        expect(job.status).toBe('completed');
        await new Promise((resolve) => setTimeout(resolve, 300));

        const mine = received.filter((progress) => progress.jobId === jobId);
        expect(mine.length).toBeGreaterThan(0);
        for (const stream of demoProvider.streams) {
          const pages = mine.filter((progress) => progress.stream === stream).map((progress) => progress.counts);
          // One message per page, counting up, the last one what the workflow returned for the stream.
          expect(pages.map((counts) => counts.pages)).toEqual(pages.map((_, i) => i + 1));
          expect(pages.at(-1)).toEqual(job.result[stream]);
        }
        expect(mine.every((progress) => progress.connectionId === connectionId)).toBe(true);
      },
      120_000,
    );
  },
);
