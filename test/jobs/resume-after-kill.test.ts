import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateKeySecret } from '../../src/auth/key-secret.js';
import { openDatabase } from '../../src/db/client.js';
import { startChildServer, stopChildServer } from '../helpers/child-server.js';
import { demoConnectionData } from '../helpers/demo-expected.js';

describe('a backfill killed with SIGKILL', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vitasync-kill-'));
  const key = generateKeySecret();
  const env = {
    VITASYNC_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    VITASYNC_ADMIN_KEY: key,
    SYNC_BACKFILL_DAYS: '40',
    JOB_LEASE_SECONDS: '2',
    JOB_CONCURRENCY: '1',
    RATE_LIMIT_MAX: '1000000',
  };
  // Each server binds a free port of its own (PORT=0); requests go to whichever is up.
  let port = 0;
  // No keep-alive: a pooled socket to the killed process would fail the first request to its successor.
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', connection: 'close' };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
    return response.status === 204 ? null : response.json();
  };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('resumes after a restart and ends with exactly the data a clean run gives', async () => {
    const first = await startChildServer(env);
    port = first.port;
    let connectionId: string;
    try {
      const user = await api('POST', '/users', { externalId: 'killed' });
      const link = await api('POST', `/users/${user.id}/connect-links`, { providerId: 'demo' });
      const connected = await (
        await fetch(link.url.replace(/^http:\/\/localhost:\d+/, `http://127.0.0.1:${port}`), { headers: { connection: 'close' } })
      ).json();
      connectionId = connected.connectionId;
      // Kill it mid-way: once the job has checkpointed some pages but is far from done.
      let job;
      for (let i = 0; i < 600; i++) {
        job = await api('GET', `/jobs/${encodeURIComponent(`sync:${connectionId}:backfill`)}`);
        if ((job.progress?.pages ?? 0) >= 8) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(job.status).toBe('running');
    } finally {
      await stopChildServer(first, 'SIGKILL');
    }

    const second = await startChildServer(env);
    port = second.port;
    try {
      let job;
      for (let i = 0; i < 2400; i++) {
        job = await api('GET', `/jobs/${encodeURIComponent(`sync:${connectionId!}:backfill`)}`);
        if (job.status === 'completed' || job.status === 'failed') break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(job.status).toBe('completed');
      expect(job.attempt).toBe(2);
    } finally {
      await stopChildServer(second);
    }

    // The embedded database has one owner at a time: read it once the server is down.
    const database = await openDatabase({ databaseUrl: null, dataDir });
    try {
      const data = await demoConnectionData(database.prisma, connectionId!);
      expect(data.stored).toEqual(data.expected);
      const history = await database.prisma.syncEvent.findMany({ where: { connectionId: connectionId! }, orderBy: { id: 'asc' } });
      // The successor replays the killed run's journal (JobStep): beginSync and the finished pages are not done
      // again, so the history has one start; the page in flight at the kill resumes from its checkpoint.
      expect(history.map((event) => event.type)).toEqual(['sync.started', 'sync.completed']);
    } finally {
      await database.close();
    }
  }, 300_000);
});
