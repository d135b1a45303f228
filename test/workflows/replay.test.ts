import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, Connection } from '@temporalio/client';
import { waitForJob } from '../helpers/connect.js';
import { postgresUrl } from '../helpers/engines.js';
import type { TestServer } from '../helpers/server.js';
import { startTemporalHarness, temporalAddress } from '../helpers/temporal.js';
import { aConnection, aUser } from '../factories/index.js';

/**
 * Determinism guard: histories of released workflow versions are kept as fixtures and replayed against the current
 * bundle, so a change that would break running workflows fails CI (use patched() for such changes).
 * RECORD_HISTORIES=1 with a Temporal server also writes the fresh history as the current version's fixture:
 * sync-v1.json is the sync before PROGRESS_IN_SYNC_PAGE, sync-v2.json after it.
 */
const CURRENT_VERSION_FIXTURE = 'sync-v2.json';
const root = new URL('../..', import.meta.url).pathname;
const FIXTURES = join(root, 'test/fixtures/histories');

function runReplayTool(args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', 'workflows/replay.ts', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: process.env,
  });
}

describe('recorded workflow histories', () => {
  it('replay against the current workflow bundle without non-determinism', () => {
    const files = readdirSync(FIXTURES)
      .filter((file) => file.endsWith('.json'))
      .map((file) => join(FIXTURES, file));
    expect(files.length).toBeGreaterThan(0);
    const output = runReplayTool(files);
    expect(output).not.toMatch(/NON-DETERMINISTIC/);
    expect(output.match(/^replayed /gm)).toHaveLength(files.length);
  }, 120_000);
});

describe.skipIf(!temporalAddress || !postgresUrl)('a history recorded now on Temporal', () => {
  let t: TestServer;
  let env: Record<string, string>;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ t, env, stop } = await startTemporalHarness({ SYNC_BACKFILL_DAYS: '1' }));
  }, 120_000);
  afterAll(() => stop?.());

  it('replays, and its periodic sync lives as a Temporal Schedule that disconnect deletes', async () => {
    const user = await aUser(t);
    const { id: connectionId, backfillJobId: jobId } = await aConnection(t, user.id);
    expect((await waitForJob(t, jobId)).status).toBe('completed');

    const file =
      process.env.RECORD_HISTORIES === '1'
        ? join(FIXTURES, CURRENT_VERSION_FIXTURE)
        : join(mkdtempSync(join(tmpdir(), 'history-')), 'sync.json');
    runReplayTool(['--record', jobId, file]);
    expect(runReplayTool([file])).toMatch(/^replayed /m);

    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    try {
      const schedule = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }).schedule.getHandle(`sync:${connectionId}:periodic`);
      expect((await schedule.describe()).action.type).toBe('startWorkflow');
      expect((await t.api('DELETE', `/v1/users/${user.id}/connections/${connectionId}`)).status).toBe(204);
      await expect(schedule.describe()).rejects.toThrow();
    } finally {
      await connection.close();
    }
  }, 120_000);
});
