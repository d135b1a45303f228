import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type Activities } from '../../workflows/activities.js';
import type { ServiceContext } from '../../src/context.js';
import { loadConfig } from '../../src/config.js';
import { aConnection, aUser } from '../factories/index.js';
import { openTestPlatform } from '../helpers/platform.js';

describe('sync activities in a Temporal activity context', () => {
  let ctx: ServiceContext;
  let close: () => Promise<void>;
  let activities: Activities;

  beforeAll(async () => {
    // Concurrency 0: the local runner claims nothing, so only this test drives the activities.
    ({ ctx, close } = await openTestPlatform({
      jobs: { leaseSeconds: 30, concurrency: 0, outboundConcurrency: 0 },
      sync: { ...loadConfig({}).sync, backfillDays: 2 },
    }));
    activities = createActivities(ctx);
  });
  afterAll(() => close?.());

  /** Runs one activity in a Temporal activity context, keeping its types. */
  function inActivityContext<A, R>(fn: (input: A) => Promise<R>, input: A): Promise<R> {
    return new MockActivityEnvironment().run<[A], R, (input: A) => Promise<R>>(fn, input);
  }

  /** A user's new demo connection, whose backfill nobody runs (concurrency 0): each test drives its own. */
  async function aDemoConnection(): Promise<string> {
    return (await aConnection(ctx, (await aUser(ctx)).id)).id;
  }

  it('walks a stream page by page to its end, and a repeat of a finished window adds nothing', async () => {
    const env = { run: inActivityContext };
    const connectionId = await aDemoConnection();
    const { streams } = await env.run(activities.beginSync, { connectionId, reason: 'backfill' as const, jobId: 'job-1' });
    expect(streams).toContain('heart_rate');
    let pages = 0;
    let samples = 0;
    for (;;) {
      const page = await env.run(activities.syncPage, { connectionId, stream: 'heart_rate', jobId: 'job-1' });
      pages += 1;
      samples += page.samples;
      if (page.done) break;
    }
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(samples).toBeGreaterThan(500);
    const stored = await ctx.db.healthSample.count({ where: { connectionId, metricType: 'heart_rate' } });
    expect(stored).toBe(samples);
    // The checkpoint moved to the end: the next page covers only the moments since, with nothing to repeat.
    const again = await env.run(activities.syncPage, { connectionId, stream: 'heart_rate', jobId: 'job-1' });
    expect(again.done).toBe(true);
    expect(await ctx.db.healthSample.count({ where: { connectionId, metricType: 'heart_rate' } })).toBe(stored + again.samples);
    expect(again.samples).toBeLessThanOrEqual(1);
  });

  it('records sync.started and sync.completed in the connection history', async () => {
    const env = { run: inActivityContext };
    const connectionId = await aDemoConnection();
    await env.run(activities.beginSync, { connectionId, reason: 'backfill' as const, jobId: 'job-1' });
    await env.run(activities.finishSync, { connectionId, jobId: 'job-1', counts: {}, error: null });
    const history = await ctx.db.syncEvent.findMany({ where: { connectionId }, orderBy: { id: 'asc' } });
    expect(history.map((event) => event.type)).toEqual(['sync.started', 'sync.completed']);
    expect((await ctx.db.connection.findUniqueOrThrow({ where: { id: connectionId } })).lastSyncStatus).toBe('completed');
  });
});
