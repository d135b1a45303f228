import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeySecret } from '../../src/auth/key-secret.js';
import { openDatabase } from '../../src/db/client.js';
import { consumerNames } from '../../src/domain-events/consumers.js';
import { startChildServer, stopChildServer, type ChildHttpServer } from '../helpers/child-server.js';
import { createScratchDatabase, ENGINES, engineAvailable, type Engine } from '../helpers/engines.js';

const RECORDER = ['test/helpers/recording-consumer.ts'];

const lines = (file: string): any[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
    : [];

async function waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each(ENGINES)('a server killed between a commit and its dispatch, on %s', (engine: Engine) => {
  describe.skipIf(!engineAvailable(engine))(`SIGKILL before dispatch on ${engine}`, () => {
    const folder = mkdtempSync(join(tmpdir(), 'vitasync-outbox-kill-'));
    const key = generateKeySecret();
    let scratch: Awaited<ReturnType<typeof createScratchDatabase>> | null = null;
    let running: ChildHttpServer | null = null;
    afterAll(async () => {
      if (running) await stopChildServer(running, 'SIGKILL');
      await scratch?.drop();
      rmSync(folder, { recursive: true, force: true });
    });

    const start = async (env: Record<string, string>, preload: string[] = []) => {
      scratch ??= engine === 'postgres' ? await createScratchDatabase() : null;
      running = await startChildServer(
        {
          HOST: '127.0.0.1',
          VITASYNC_ADMIN_KEY: key,
          ...(scratch ? { DATABASE_URL: scratch.url } : { VITASYNC_DATA_DIR: join(folder, 'data') }),
          ...env,
        },
        preload,
      );
      return running;
    };
    const stop = async (signal: 'SIGKILL' | 'SIGTERM') => {
      await stopChildServer(running!, signal);
      running = null;
    };
    const createUser = async (server: ChildHttpServer, externalId: string) => {
      const response = await fetch(`http://127.0.0.1:${server.port}/v1/users`, {
        method: 'POST',
        // No keep-alive: a pooled socket to a killed server would fail the next server's first request.
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ externalId }),
      });
      expect(response.status).toBe(201);
      return (await response.json()).id as string;
    };

    it('dispatches the committed event after the restart exactly once to each consumer', async () => {
      const recorded = join(folder, 'recorded.jsonl');
      // 1. The relay is off: the change commits, its event waits in the outbox, and the server dies.
      const first = await start({ DOMAIN_EVENT_RELAY: 'off' });
      const quiet = await createUser(first, 'committed-then-killed');
      await stop('SIGKILL');

      // 2. The relay is on, and the recording consumer hangs inside its transaction on the first event it
      // gets: the live consumer has its receipt, the recorder has none when the server is killed again.
      await start({ RECORDER_FILE: recorded, RECORDER_BLOCK: '1' }, RECORDER);
      await waitFor(() => lines(recorded).some((line) => line.blocked), 'the recorder to block mid-dispatch');
      await stop('SIGKILL');

      // 3. A normal restart: each consumer gets what it has no receipt for, once.
      const third = await start({ RECORDER_FILE: recorded }, RECORDER);
      const later = await createUser(third, 'after-restart');
      await waitFor(() => lines(recorded).filter((line) => line.type === 'user.created').length >= 2, 'both events recorded');
      await stop('SIGTERM');

      const database = await openDatabase({ databaseUrl: scratch?.url ?? null, dataDir: join(folder, 'data') });
      try {
        const events = await database.prisma.domainEvent.findMany({
          where: { type: 'user.created' },
          orderBy: { sequence: 'asc' },
          include: { receipts: true },
        });
        expect(events.map((event) => (event.payload as { id: string }).id)).toEqual([quiet, later]);
        const handled = lines(recorded).filter((line) => line.id);
        expect(handled.map((line) => line.id)).toEqual(events.map((event) => event.id));
        // Dispatched: a later start hands none of them over again.
        for (const event of events) {
          expect(event.receipts.map((receipt) => receipt.consumer).sort()).toEqual([...consumerNames(), 'test-recorder'].sort());
          expect(event.dispatchedAt).not.toBeNull();
        }
      } finally {
        await database.close();
      }
    }, 180_000);
  });
});
