import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeySecret } from '../../src/auth/key-secret.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { createLocalRunner } from '../../src/jobs/local-runner.js';
import type { JobRunner } from '../../src/jobs/port.js';
import { newId } from '../../src/lib/ids.js';
import type { Activities } from '../../workflows/activities.js';
import { startChildServer, stopChildServer, type ChildHttpServer } from '../helpers/child-server.js';
import { waitForJob } from '../helpers/connect.js';
import { startEngineInstall } from '../helpers/engine-install.js';
import { createScratchDatabase, jobEngineCases, postgresUrl } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';

const workspaceOf = async (t: TestServer) => (await t.graphql('{ workspace { id } }')).body.data.workspace.id as string;

describe.each(jobEngineCases())('a workflow that sleeps, on the $name', ({ engine, database, available }) => {
  let t: TestServer;
  let stop: () => Promise<void>;
  let workspaceId: string;

  beforeAll(async () => {
    if (!available) return;
    // One slot on the local runner: a sleeping job that held it would keep every other job waiting.
    ({ t, stop } = await startEngineInstall({ engine, database }, { JOB_CONCURRENCY: '1' }));
    workspaceId = await workspaceOf(t);
  }, 120_000);
  afterAll(() => stop?.());

  it.skipIf(!available)(
    'wakes after its sleep and runs its activity once',
    async () => {
      const id = `probe:${newId()}`;
      const started = Date.now();
      await t.server.jobs.start('probe', { sleepMs: 2000 }, { id, workspaceId });
      const job = await waitForJob(t, id, { attempts: 600 });
      expect(job).toMatchObject({ status: 'completed', attempt: 1 });
      expect(Date.parse(job.result.ranAt) - started).toBeGreaterThanOrEqual(2000);
    },
    90_000,
  );

  it.skipIf(!available || engine === 'temporal')(
    'holds no job slot while it sleeps: with one slot, another job runs meanwhile',
    async () => {
      const sleeper = `probe:${newId()}`;
      await t.server.jobs.start('probe', { sleepMs: 4000 }, { id: sleeper, workspaceId });
      expect((await waitForJob(t, sleeper, { until: ['sleeping'] })).status).toBe('sleeping');
      const other = `probe:${newId()}`;
      await t.server.jobs.start('probe', {}, { id: other, workspaceId });
      expect((await waitForJob(t, other)).status).toBe('completed');
      expect((await t.api('GET', `/v1/jobs/${encodeURIComponent(sleeper)}`)).body.status).toBe('sleeping');
      expect(await waitForJob(t, sleeper, { attempts: 100 })).toMatchObject({ status: 'completed', attempt: 1 });
      const steps = await t.server.database.prisma.jobStep.findMany({ where: { jobId: sleeper }, orderBy: { seq: 'asc' } });
      expect(steps.map((step) => step.name)).toEqual(['sleep', 'probe']);
    },
    90_000,
  );
});

/**
 * The server is SIGKILLed while a workflow sleeps; started again on the same database, the workflow wakes once,
 * runs its activity once and completes once. The job is enqueued by a runner of the test process that runs
 * nothing itself (concurrency 0), as another process of the install would.
 */
describe.skipIf(!postgresUrl)('a sleep across a SIGKILL of the server', () => {
  let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
  let database: Database;
  let enqueue: JobRunner;
  const children: ChildHttpServer[] = [];
  const adminKey = generateKeySecret();

  beforeAll(async () => {
    scratch = await createScratchDatabase();
  });
  afterAll(async () => {
    for (const child of children) await stopChildServer(child, 'SIGKILL');
    await enqueue?.close();
    await database?.close();
    await scratch?.drop();
  });

  const start = async () => {
    const child = await startChildServer({ DATABASE_URL: scratch.url, VITASYNC_ADMIN_KEY: adminKey });
    children.push(child);
    return child;
  };
  const call = async (child: ChildHttpServer, path: string, init: RequestInit = {}) => {
    const response = await fetch(`http://127.0.0.1:${child.port}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
    });
    return response.json();
  };
  const probeRuns = (jobId: string) =>
    children.flatMap((child) => child.output().split('\n')).filter((line) => line.includes('"probe ran"') && line.includes(jobId));

  it('wakes once and completes once', async () => {
    const first = await start();
    const workspace = await call(first, '/graphql', { method: 'POST', body: JSON.stringify({ query: '{ workspace { id } }' }) });
    database = await openDatabase({ databaseUrl: scratch.url, dataDir: 'memory://' });
    enqueue = createLocalRunner({ db: database.prisma, activities: {} as Activities, concurrency: 0 });
    const id = `probe:${newId()}`;
    await enqueue.start('probe', { sleepMs: 5000, label: 'sigkill' }, { id, workspaceId: workspace.data.workspace.id });

    // The child's own timer picks the job up and parks it on its durable timer.
    let row = await database.prisma.job.findUnique({ where: { id } });
    for (let i = 0; i < 100 && row?.status !== 'sleeping'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      row = await database.prisma.job.findUnique({ where: { id } });
    }
    expect(row).toMatchObject({ status: 'sleeping', lockedBy: null });
    expect(row!.wakeAt!.getTime()).toBeGreaterThan(Date.now());
    await stopChildServer(first, 'SIGKILL');

    const second = await start();
    let job = await call(second, `/v1/jobs/${encodeURIComponent(id)}`);
    for (let i = 0; i < 200 && job.status !== 'completed' && job.status !== 'failed'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      job = await call(second, `/v1/jobs/${encodeURIComponent(id)}`);
    }
    expect(job).toMatchObject({ status: 'completed', attempt: 1, workflow: 'probe' });
    expect(Date.parse(job.result.ranAt)).toBeGreaterThanOrEqual(row!.wakeAt!.getTime());
    expect(probeRuns(id)).toHaveLength(1);
    expect(await database.prisma.jobStep.count({ where: { jobId: id, name: 'probe' } })).toBe(1);
  }, 120_000);
});
