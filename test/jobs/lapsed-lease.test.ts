import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/client.js';
import { createLocalRunner } from '../../src/jobs/local-runner.js';
import type { ServiceContext } from '../../src/context.js';
import { newId } from '../../src/lib/ids.js';
import type { Activities } from '../../workflows/activities.js';
import { eventually } from '../helpers/connect.js';
import { engineAvailable, ENGINES } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

/** A probe activity held open until the test lets it end (or fail), answering with the runner's name. */
function heldProbe(runnerName: string) {
  let entered!: () => void;
  let finish!: (failure?: Error) => void;
  const probe = {
    runs: 0,
    entered: new Promise<void>((resolve) => (entered = resolve)),
    end: (failure?: Error) => finish(failure),
    activities: {
      probe: async () => {
        probe.runs += 1;
        entered();
        await new Promise<void>((resolve, reject) => (finish = (failure) => (failure ? reject(failure) : resolve())));
        return { ranAt: runnerName };
      },
    } as unknown as Activities,
  };
  return probe;
}

/**
 * A run's heartbeats can stall (a blocked event loop, a slow database) until its lease lapses while it still runs.
 * The runner running it must not take it again; another process may (the first one could have died), and then the
 * first run's late end must not overwrite what the job became.
 */
describe.each(ENGINES)('a job whose lease lapses while it runs, on %s', (engine) => {
  let database: Database;
  let ctx: ServiceContext;
  let close: () => Promise<void>;
  const lapse = (jobId: string) =>
    database.prisma.$executeRaw`UPDATE "Job" SET "lockedUntil" = now() - interval '1 second' WHERE id = ${jobId}`;
  const job = (jobId: string) => database.prisma.job.findUniqueOrThrow({ where: { id: jobId } });
  const aRunner = (held: ReturnType<typeof heldProbe>) =>
    createLocalRunner({ db: database.prisma, activities: held.activities, pollMs: 50 });
  /** A probe job that `held`'s runner is running, whose lease has lapsed as if its heartbeats had stalled. */
  async function aLapsedRun(held: ReturnType<typeof heldProbe>) {
    const runner = aRunner(held);
    const id = `probe:${newId()}`;
    await runner.start('probe', {}, { id, workspaceId: ctx.workspaceId });
    await held.entered;
    await lapse(id);
    return { runner, id };
  }

  beforeEach(async () => {
    if (!engineAvailable(engine)) return;
    // The platform's own runner runs nothing: the runners of each test are the only ones.
    const jobs = { ...loadConfig({}).jobs, concurrency: 0, outboundConcurrency: 0 };
    ({ database, ctx, close } = await openEnginePlatform(engine, { jobs }));
  });
  afterEach(() => close?.());

  it.skipIf(!engineAvailable(engine))('is not run a second time by the runner running it', async () => {
    const held = heldProbe('first');
    const { runner, id } = await aLapsedRun(held);
    runner.kick();
    await new Promise((resolve) => setTimeout(resolve, 500));
    held.end();
    const done = await eventually(
      () => job(id),
      (row) => row.status === 'completed',
    );
    await runner.close();
    expect(held.runs).toBe(1);
    expect(done).toMatchObject({ attempt: 1, result: { ranAt: 'first' } });
  });

  it.skipIf(!engineAvailable(engine))(
    'is taken by another process, and the first run failing late leaves the job as the second run ended it',
    async () => {
      const first = heldProbe('first');
      const second = heldProbe('second');
      const { runner: firstRunner, id } = await aLapsedRun(first);
      const secondRunner = aRunner(second);
      await second.entered;
      second.end();
      await eventually(
        () => job(id),
        (row) => row.status === 'completed',
      );
      await secondRunner.close();
      // The first run ends now, with a retryable failure: it must neither reschedule the job nor clear its journal.
      first.end(new Error('the first run failed after losing its lease'));
      await firstRunner.close();
      expect(await job(id)).toMatchObject({ status: 'completed', attempt: 2, result: { ranAt: 'second' }, lastError: null });
      const steps = await database.prisma.jobStep.findMany({ where: { jobId: id } });
      expect(steps.map((step) => step.name)).toEqual(['probe']);
    },
  );
});
