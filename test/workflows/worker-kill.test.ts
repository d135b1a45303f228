import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChildWorker, stopChildServer, type ChildServer } from '../helpers/child-server.js';
import { waitForJob } from '../helpers/connect.js';
import { demoConnectionData } from '../helpers/demo-expected.js';
import { postgresUrl } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { temporalAddress, temporalEnv } from '../helpers/temporal.js';
import { aConnection, aUser } from '../factories/index.js';

/**
 * A Temporal worker SIGKILLed in the middle of a backfill: a new worker takes the workflow over (the killed
 * activity is retried once its heartbeat times out) and the connection ends with exactly the data a clean run
 * gives, each sync event once. The worker is a child process (`npm run worker`), the API server runs here, and
 * both share one PostgreSQL database.
 */
describe.skipIf(!temporalAddress || !postgresUrl)('a Temporal worker killed with SIGKILL mid-sync', () => {
  let t: TestServer;
  let env: Record<string, string>;
  const workers: ChildServer[] = [];

  beforeAll(async () => {
    env = {
      ...temporalEnv('vitasync-kill'),
      SYNC_BACKFILL_DAYS: '30',
    };
    t = await startTestServer('postgres', { env });
  }, 60_000);
  afterAll(async () => {
    for (const worker of workers) await stopChildServer(worker, 'SIGKILL');
    await t?.close();
  });

  const startWorker = async () => {
    const worker = await startChildWorker({ ...env, DATABASE_URL: t.server.config.databaseUrl! });
    workers.push(worker);
    return worker;
  };

  it('is replaced by a new worker; the workflow completes with nothing lost and nothing written twice', async () => {
    const first = await startWorker();
    const user = await aUser(t);
    const { id: connectionId, backfillJobId: jobId } = await aConnection(t, user.id);

    // Kill it mid-way: once some pages have landed, while the workflow is still running.
    const db = t.server.database.prisma;
    let landed = 0;
    for (let i = 0; i < 600 && landed < 500; i++) {
      landed = await db.healthSample.count({ where: { connectionId } });
      if (landed < 500) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    await stopChildServer(first, 'SIGKILL');
    const atKill = (await t.api('GET', `/v1/jobs/${encodeURIComponent(jobId)}`)).body;
    expect(atKill.status).toMatch(/running|retrying/);
    expect(landed).toBeGreaterThan(0);

    await startWorker();
    const job = await waitForJob(t, jobId, { attempts: 900 });
    expect(job.status).toBe('completed');

    const data = await demoConnectionData(db, connectionId);
    expect(data.stored).toEqual(data.expected);
    expect(data.stored.samples.length).toBeGreaterThan(landed);
    const history = await db.syncEvent.findMany({ where: { connectionId }, orderBy: { id: 'asc' } });
    expect(history.map((event) => event.type)).toEqual(['sync.started', 'sync.completed']);
  }, 180_000);
});
