import { randomBytes } from 'node:crypto';
import { createWorker } from '../../workflows/worker.js';
import { newId } from '../../src/lib/ids.js';
import { startTestServer, type TestServer } from './server.js';

import { temporalAddress } from './engines.js';

export { temporalAddress };

/**
 * An API server on Temporal and a real worker beside it, sharing one scratch PostgreSQL database as two processes
 * of one install would, on a task queue of their own.
 */
export async function startTemporalHarness(
  extraEnv: Record<string, string> = {},
): Promise<{ t: TestServer; env: Record<string, string>; stop(): Promise<void> }> {
  const env = {
    TEMPORAL_ADDRESS: temporalAddress ?? '',
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: `vitasync-test-${newId()}`,
    // The worker decrypts the provider tokens the API server stored: one key for both, as in production.
    VITASYNC_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
    ...extraEnv,
  };
  const t = await startTestServer('postgres', { env });
  const worker = await createWorker({ ...env, DATABASE_URL: t.server.config.databaseUrl!, LOG_LEVEL: 'silent' });
  const running = worker.worker.run();
  return {
    t,
    env,
    stop: async () => {
      worker.worker.shutdown();
      await running;
      await worker.close();
      await t.close();
    },
  };
}
