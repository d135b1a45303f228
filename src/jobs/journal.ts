import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/client.js';
import type { Prisma } from '../generated/prisma/client.js';
import { newId } from '../lib/ids.js';

type ActivityFunction = (input: never) => Promise<unknown>;

/**
 * The local runner's replay journal (the JobStep table), the local counterpart of a Temporal history. Each
 * activity answer and each sleep's wake-up time is stored in the order the orchestration asks for them; a run that
 * resumes replays the stored answers, so what finished before a sleep or a restart is not done again.
 *
 * A sleep that has not ended parks the orchestration: `sleep` calls `park(wakeAt)` and returns a promise that never
 * settles, so no code of the orchestration runs on (no exception passes through its try/catch); the runner
 * stores the wake-up time, releases the job slot and drops the parked run. At wakeAt the job runs again from the
 * start and replays up to the sleep, which has ended by then.
 */
export async function openJournal<T extends Record<string, ActivityFunction>>(
  db: Db,
  jobId: string,
  activities: T,
  park: (wakeAt: Date) => void,
): Promise<{ activities: T; sleep(ms: number): Promise<void> }> {
  const steps = await db.jobStep.findMany({ where: { jobId }, orderBy: { seq: 'asc' } });
  let seq = 0;

  /** The stored step at the next position, checked against what the orchestration asks now. */
  function replayed(name: string) {
    const step = steps[seq];
    if (step && step.name !== name) {
      // The orchestration changed under a running job: replaying on would hand it answers to other questions.
      throw ApplicationFailure.create({
        message: `job ${jobId} is not deterministic: step ${seq} was ${step.name}, now ${name}`,
        nonRetryable: true,
      });
    }
    return { step, position: seq++ };
  }

  const journaled = Object.fromEntries(
    Object.entries(activities).map(([name, activity]) => [
      name,
      async (input: never) => {
        const { step, position } = replayed(name);
        if (step) return step.result ?? undefined;
        const result = await activity(input);
        await db.jobStep.create({
          data: { id: newId(), jobId, seq: position, name, result: (result ?? null) as Prisma.InputJsonValue },
        });
        return result;
      },
    ]),
  ) as T;

  async function sleep(ms: number): Promise<void> {
    const { step, position } = replayed('sleep');
    let wakeAt = step?.wakeAt ?? null;
    if (!wakeAt) {
      wakeAt = new Date(Date.now() + ms);
      await db.jobStep.create({ data: { id: newId(), jobId, seq: position, name: 'sleep', wakeAt } });
    }
    if (wakeAt.getTime() <= Date.now()) return;
    park(wakeAt);
    return new Promise<void>(() => undefined);
  }

  return { activities: journaled, sleep };
}

/** Forgets a job's journal: a failed run is retried from the start (its activities resume from their checkpoints). */
export async function clearJournal(db: Pick<Db, 'jobStep'>, jobId: string): Promise<void> {
  await db.jobStep.deleteMany({ where: { jobId } });
}
