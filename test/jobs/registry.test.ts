import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids.js';
import { createActivities } from '../../workflows/activities.js';
import { WORKFLOW_NAMES, WORKFLOWS } from '../../workflows/registry.js';
import { RETRY_PROFILES, retryDelaysMs } from '../../workflows/retry.js';
import { waitForJob } from '../helpers/connect.js';
import { startEngineInstall } from '../helpers/engine-install.js';
import { jobEngineCases } from '../helpers/engines.js';
import { openTestPlatform } from '../helpers/platform.js';
import type { TestServer } from '../helpers/server.js';

const DAY_MS = 86_400_000;

describe('the workflow registry', () => {
  it('binds every activity a workflow declares', async () => {
    const platform = await openTestPlatform();
    try {
      const activities = createActivities(platform.ctx);
      for (const name of WORKFLOW_NAMES) {
        for (const activity of WORKFLOWS[name].activities) expect(typeof activities[activity], `${name}.${activity}`).toBe('function');
      }
    } finally {
      await platform.close();
    }
  });

  it('keeps a webhook delivery on the Standard Webhooks schedule (ten attempts over about three days), and a sync for its old 2 s → 5 min backoff', () => {
    const schedule = RETRY_PROFILES.delivery.scheduleMs;
    expect(schedule.map((ms) => ms / 1000)).toEqual([0, 5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400]);
    const total = schedule.reduce((sum, delay) => sum + delay, 0);
    expect(total).toBeGreaterThan(3 * DAY_MS);
    expect(total).toBeLessThan(3.5 * DAY_MS);
    expect(retryDelaysMs(RETRY_PROFILES.sync, 5)).toEqual([2000, 4000, 8000, 16000]);
    expect(Math.max(...retryDelaysMs(RETRY_PROFILES.sync))).toBe(300_000);
  });
});

describe.each(jobEngineCases())('registered workflows on the $name', ({ engine, database, available }) => {
  let t: TestServer;
  let stop: () => Promise<void>;
  let workspaceId: string;
  /** The attempt Temporal recorded for the probe's activity (its history keeps only the last attempt). */
  let activityAttempts: (jobId: string) => Promise<number>;

  beforeAll(async () => {
    if (!available) return;
    const install = await startEngineInstall({ engine, database });
    ({ t, stop } = install);
    const temporal = install.temporal;
    activityAttempts = temporal
      ? async (jobId) => {
          const history = await temporal.client.workflow.getHandle(jobId).fetchHistory();
          return (
            history.events?.find((event) => event.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes?.attempt ?? 0
          );
        }
      : async (jobId) => (await t.server.database.prisma.job.findUniqueOrThrow({ where: { id: jobId } })).attempt;
    workspaceId = (await t.graphql('{ workspace { id } }')).body.data.workspace.id;
  }, 120_000);
  afterAll(() => stop?.());

  const startProbe = async (input: Parameters<typeof t.server.jobs.start<'probe'>>[1]) => {
    const id = `probe:${newId()}`;
    expect(await t.server.jobs.start('probe', input, { id, workspaceId })).toEqual({ id, started: true });
    return id;
  };

  it.skipIf(!available)(
    'serves a registered workflow through GET /v1/jobs/:jobId with its name',
    async () => {
      const id = await startProbe({ label: 'registry' });
      const job = await waitForJob(t, id, { attempts: 600 });
      expect(job).toMatchObject({ status: 'completed', workflow: 'probe', attempt: 1 });
      expect(Date.parse(job.result.ranAt)).toBeGreaterThan(Date.now() - 60_000);
    },
    90_000,
  );

  it.skipIf(!available)(
    'fails a non-retryable ApplicationFailure at once, with its message',
    async () => {
      const id = await startProbe({ failure: 'non-retryable' });
      const job = await waitForJob(t, id, { attempts: 600 });
      expect(job).toMatchObject({ status: 'failed', lastError: `probe ${id} refused` });
      expect(await activityAttempts(id)).toBe(1);
    },
    90_000,
  );

  it.skipIf(!available)(
    'retries a plain error as its retry profile says (probe: 3 attempts), then fails',
    async () => {
      const id = await startProbe({ failure: 'retryable' });
      const job = await waitForJob(t, id, { attempts: 600 });
      expect(job).toMatchObject({ status: 'failed', lastError: `probe ${id} failed` });
      expect(await activityAttempts(id)).toBe(RETRY_PROFILES.probe.maximumAttempts);
    },
    90_000,
  );
});
