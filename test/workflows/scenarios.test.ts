import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ouraEnv, startFakeOura, type FakeOura } from '../fakes/oura.js';
import { APP_RETURN, connectUser, eventually, setRedirectUris, waitForJob } from '../helpers/connect.js';
import { startEngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';

/**
 * The workflow scenarios, one table run on every job engine with the same inputs and the same assertions on
 * what lands in the database and what the provider (Oura's fake server) sees: backfill on connect, a manual sync
 * through a 429 with Retry-After, a provider outage retried with backoff (job status "retrying" with the last
 * error, in one shape on both engines), and a scheduled sync fired by the engine's own schedule. The API
 * server and (on Temporal) the worker share one token-encryption key, as every process of one install must.
 */
/** Long enough for a real Temporal server and its retries; the local runner finishes far sooner. */
const POLLING = { attempts: 900 };

// A story: one connection followed from its backfill through a 429, an outage and a scheduled sync (the fake Oura
// server keeps its state between the steps), so the steps do not shuffle.
for (const { name, engine, database, available } of jobEngineCases()) {
  describe(`sync workflows on the ${name}`, { shuffle: false }, () => {
    let oura: FakeOura;
    let t: TestServer;
    let stop: () => Promise<void>;
    /** Fires a schedule now, as the engine would when it is due. */
    let fireSchedule: (scheduleId: string) => Promise<void>;
    let userId: string;
    let connectionId: string;

    const count = (metricType: string) => t.server.database.prisma.healthSample.count({ where: { connectionId, metricType } });
    const history = async () =>
      (await t.server.database.prisma.syncEvent.findMany({ where: { connectionId }, orderBy: { id: 'asc' } })).map((event) => event.type);

    beforeAll(async () => {
      if (!available) return;
      oura = await startFakeOura();
      const env = {
        ...ouraEnv(oura),
        SYNC_BACKFILL_DAYS: '3',
      };
      ({ t, fireSchedule, stop } = await startEngineInstall({ engine, database }, env));
      await setRedirectUris(t, [APP_RETURN]);
      userId = (await t.api('POST', '/v1/users', { body: { externalId: `scenarios-${name}` } })).body.id;
    }, 120_000);
    afterAll(async () => {
      await stop?.();
      await oura?.close();
    });

    it.skipIf(!available)(
      'backfills on connect',
      async () => {
        const back = await connectUser(t, userId, 'oura');
        connectionId = back.searchParams.get('connectionId')!;
        const job = await waitForJob(t, `sync:${connectionId}:backfill`, POLLING);
        expect(job).toMatchObject({ status: 'completed', workflow: 'sync', lastError: null });
        // Three days of 10-minute heart rate from the fake, every row once.
        expect(await count('heart_rate')).toBeGreaterThanOrEqual(3 * 144);
        const reported = Object.values(job.result as Record<string, { samples: number }>).reduce((sum, stream) => sum + stream.samples, 0);
        expect(reported).toBe(await t.server.database.prisma.healthSample.count({ where: { connectionId } }));
        expect(await history()).toEqual(['sync.started', 'sync.completed']);
        const connections = await t.api('GET', `/v1/users/${userId}/connections`);
        expect(connections.body.data[0]).toMatchObject({ id: connectionId, status: 'active', lastSyncStatus: 'completed' });
      },
      120_000,
    );

    it.skipIf(!available)(
      'syncs on request through a 429, waiting its Retry-After, without duplicates',
      async () => {
        const before = await count('steps');
        oura.rateLimitNext(1, 1);
        const started = Date.now();
        const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
        expect(sync.status).toBe(202);
        expect((await waitForJob(t, sync.body.id, POLLING)).status).toBe('completed');
        expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
        expect(await count('steps')).toBe(before);
        expect(await history()).toEqual(['sync.started', 'sync.completed', 'sync.started', 'sync.completed']);
      },
      120_000,
    );

    it.skipIf(!available)(
      'retries a provider outage with backoff, showing "retrying" and the last error, then completes',
      async () => {
        oura.failNext(2);
        const sync = await t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);
        const retrying = await waitForJob(t, sync.body.id, { ...POLLING, until: ['retrying', 'completed', 'failed'] });
        expect(retrying).toMatchObject({ status: 'retrying', lastError: expect.stringContaining('503') });
        expect(retrying.attempt).toBeGreaterThanOrEqual(1);
        const done = await waitForJob(t, sync.body.id, POLLING);
        expect(done.status).toBe('completed');
        // The local runner retries the whole sync (recording the failed attempt as sync.failed); Temporal retries
        // the failed activity inside it. Either way the history ends on the completed sync.
        expect((await history()).at(-1)).toBe('sync.completed');
        const heartRates = await t.server.database.prisma.healthSample.groupBy({
          by: ['recordedAt'],
          where: { connectionId, metricType: 'heart_rate' },
          _count: true,
        });
        // Every heart-rate sample the provider served, stored once despite the retried page.
        expect(heartRates.length).toBeGreaterThan(0);
        expect(heartRates.every((group) => group._count === 1)).toBe(true);
      },
      180_000,
    );

    it.skipIf(!available)(
      'runs a scheduled sync when the engine fires the connection’s schedule',
      async () => {
        await fireSchedule(`sync:${connectionId}:periodic`);
        const scheduled = async () =>
          t.server.database.prisma.syncEvent.findMany({
            where: { connectionId, type: 'sync.completed', jobId: { startsWith: `sync:${connectionId}:periodic` } },
          });
        const completed = await eventually(scheduled, (events) => events.length > 0);
        expect(completed).toHaveLength(1);
        expect((await history()).filter((type) => type === 'sync.completed')).toHaveLength(4);
      },
      120_000,
    );
  });
}
