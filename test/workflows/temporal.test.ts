import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForJob } from '../helpers/connect.js';
import { postgresUrl } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';
import { startTemporalHarness, temporalAddress } from '../helpers/temporal.js';
import { aConnection, aUser } from '../factories/index.js';

/** Workflows on a real Temporal server take longer than the in-process runner: up to a minute. */
const TEMPORAL_POLLING = { attempts: 600 };

// The worker and the API server share one PostgreSQL database, as two processes of one install would.
describe.skipIf(!temporalAddress || !postgresUrl)('syncs on a real Temporal server through a real worker', () => {
  let t: TestServer;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ t, stop } = await startTemporalHarness({ SYNC_BACKFILL_DAYS: '2' }));
  }, 120_000);
  afterAll(() => stop?.());

  it('runs the backfill and a manual sync as workflows, with job status read from Temporal', async () => {
    const user = await aUser(t);
    const connection = await aConnection(t, user.id);
    const backfill = await waitForJob(t, connection.backfillJobId, TEMPORAL_POLLING);
    expect(backfill).toMatchObject({ status: 'completed', workflow: 'sync' });
    expect(backfill.result.heart_rate.samples).toBeGreaterThan(400);

    const summary = await t.api('GET', `/v1/users/${user.id}/health/summary`);
    const heartRate = summary.body.data.find((m: any) => m.metricType === 'heart_rate');
    expect(heartRate.count).toBe(backfill.result.heart_rate.samples);

    const manual = await t.api('POST', `/v1/users/${user.id}/connections/${connection.id}/sync`);
    expect(manual.status).toBe(202);
    expect((await waitForJob(t, manual.body.id, TEMPORAL_POLLING)).status).toBe('completed');
    const again = await t.api('GET', `/v1/users/${user.id}/health/summary`);
    expect(again.body.data.find((m: any) => m.metricType === 'heart_rate').count - heartRate.count).toBeLessThanOrEqual(1);
  }, 120_000);

  it('answers 404 for a job of another workspace', async () => {
    const other = await t.newWorkspace();
    const user = await aUser(t);
    const { backfillJobId: jobId } = await aConnection(t, user.id);
    await waitForJob(t, jobId, TEMPORAL_POLLING);
    expect((await t.api('GET', `/v1/jobs/${encodeURIComponent(jobId)}`, { key: other.adminKey })).status).toBe(404);
  }, 120_000);
});
