import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeySecret } from '../../src/auth/key-secret.js';
import type { Db } from '../../src/db/client.js';
import { openDatabase } from '../../src/db/client.js';
import { aUser, pushSamples, samples } from '../factories/index.js';
import { startChildServer, startChildWorker, stopChildServer, type ChildServer } from '../helpers/child-server.js';
import { eventually, waitForJob } from '../helpers/connect.js';
import { postgresUrl } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { temporalAddress, temporalEnv } from '../helpers/temporal.js';

/** 3,000 heart-rate samples a minute apart, each value telling its position (so order and completeness show). */
const HEART = samples({ from: '2025-03-01T00:00:00.000Z', every: '1min', for: '50h', value: (i) => 40 + (i % 150) });
// One row a query while the first process runs: the export takes seconds, long enough to be killed in the middle.
const SLOW = { EXPORT_PAGE_ROWS: '1' };

/** The file holds every sample once, in time order, and nothing else. */
function expectComplete(ndjson: string): void {
  const lines = ndjson
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
  expect(lines.map((line) => [line.type, Date.parse(line.start), line.value])).toEqual(
    HEART.map((sample) => ['heart_rate', Date.parse(sample.recordedAt), sample.value]),
  );
}

/** One file recorded under the export's name (none left by the killed attempt) and export.completed once. */
async function expectOneFileAndEvent(db: Db, exportId: string): Promise<void> {
  expect(await db.storedFile.count({ where: { name: { startsWith: `vitasync-export-${exportId}` } } })).toBe(1);
  const events = await db.domainEvent.findMany({ where: { type: 'export.completed' } });
  expect(events.filter((event) => (event.payload as { id: string }).id === exportId)).toHaveLength(1);
}

describe('a data export whose server is killed with SIGKILL mid-export (local runner)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vitasync-export-kill-'));
  const key = generateKeySecret();
  const env = { VITASYNC_DATA_DIR: dataDir, HOST: '127.0.0.1', VITASYNC_ADMIN_KEY: key, JOB_LEASE_SECONDS: '2', RATE_LIMIT_MAX: '1000000' };
  let port = 0;
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json', connection: 'close' };
  const api = async (method: string, path: string, body?: unknown) =>
    (await fetch(`http://127.0.0.1:${port}/v1${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined })).json();
  const exportOf = async (userId: string, id: string) =>
    ((await api('GET', `/users/${userId}/exports`)).data as { id: string; status: string; attempts: number; error: string | null }[]).find(
      (row) => row.id === id,
    )!;
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('is retried by the restarted server to one complete, correct file', async () => {
    const first = await startChildServer({ ...env, ...SLOW });
    port = first.port;
    let userId: string;
    let exportId: string;
    try {
      userId = (await api('POST', '/users', { externalId: 'exported' })).id;
      expect((await api('POST', `/users/${userId}/health`, { samples: HEART })).inserted).toBe(HEART.length);
      exportId = (await api('POST', `/users/${userId}/exports`, { format: 'ndjson', types: ['samples'] })).id;
      // Kill it mid-way: once the job is writing (running), long before its 3,000 one-row pages are done.
      const running = await eventually(
        async () => (await api('GET', `/users/${userId}/exports`)).data[0],
        (row) => row.status === 'running',
      );
      expect(running.attempts).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await stopChildServer(first, 'SIGKILL');
    }

    const second = await startChildServer(env);
    port = second.port;
    try {
      const done = await eventually(
        async () => (await api('GET', `/users/${userId!}/exports`)).data[0],
        (row) => row.status === 'completed' || row.status === 'failed',
        120_000,
      );
      expect(done).toMatchObject({ status: 'completed', attempts: 2, rowCounts: { samples: HEART.length } });
      expectComplete(await (await fetch(done.file.downloadUrl.replace(/^http:\/\/localhost:\d+/, `http://127.0.0.1:${port}`))).text());
    } finally {
      await stopChildServer(second);
    }
    const database = await openDatabase({ databaseUrl: null, dataDir });
    try {
      await expectOneFileAndEvent(database.prisma, exportId!);
    } finally {
      await database.close();
    }
  }, 300_000);

  it('fails with export.failed, instead of running for ever, when every attempt is killed', async () => {
    let userId = '';
    let created: { id: string; jobId: string } | undefined;
    // Five attempts (the export profile's), each killed while it writes.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const server = await startChildServer({ ...env, ...SLOW });
      port = server.port;
      try {
        if (!created) {
          userId = (await api('POST', '/users', { externalId: 'killed-every-time' })).id;
          await api('POST', `/users/${userId}/health`, { samples: HEART });
          created = await api('POST', `/users/${userId}/exports`, { format: 'csv', types: ['samples'] });
        }
        await eventually(
          async () => exportOf(userId, created!.id),
          (row) => row.status === 'running' && row.attempts === attempt,
          60_000,
        );
      } finally {
        await stopChildServer(server, 'SIGKILL');
      }
    }

    const last = await startChildServer(env);
    port = last.port;
    try {
      const failed = await eventually(
        async () => exportOf(userId, created!.id),
        (row) => row.status !== 'running',
        60_000,
      );
      expect(failed).toMatchObject({ status: 'failed', attempts: 5, file: null });
      expect(failed.error).toMatch(/attempt 5 of 5 never ended/);
      expect(await api('GET', `/jobs/${encodeURIComponent(created!.jobId)}`)).toMatchObject({ status: 'failed', attempt: 5 });
    } finally {
      await stopChildServer(last);
    }
    const database = await openDatabase({ databaseUrl: null, dataDir });
    try {
      const db = database.prisma;
      expect(await db.storedFile.count({ where: { name: { startsWith: `vitasync-export-${created!.id}` } } })).toBe(0);
      const events = await db.domainEvent.findMany({ where: { type: { in: ['export.completed', 'export.failed'] } } });
      expect(events.filter((event) => (event.payload as { id: string }).id === created!.id).map((event) => event.type)).toEqual([
        'export.failed',
      ]);
    } finally {
      await database.close();
    }
  }, 300_000);
});

describe.skipIf(!temporalAddress || !postgresUrl)('a data export whose Temporal worker is killed with SIGKILL mid-export', () => {
  let t: TestServer;
  let env: Record<string, string>;
  const workers: ChildServer[] = [];

  beforeAll(async () => {
    env = {
      ...temporalEnv('vitasync-export-kill'),
    };
    t = await startTestServer('postgres', { env });
  }, 60_000);
  afterAll(async () => {
    for (const worker of workers) await stopChildServer(worker, 'SIGKILL');
    await t?.close();
  });

  const startWorker = async (extra: Record<string, string> = {}) => {
    const worker = await startChildWorker({
      ...env,
      ...extra,
      DATABASE_URL: t.server.config.databaseUrl!,
      // The API server's files folder: the worker writes the file the server then serves.
      VITASYNC_FILES_DIR: t.server.config.files.dir,
    });
    workers.push(worker);
    return worker;
  };

  it('is taken over by a new worker and ends with one complete, correct file', async () => {
    const first = await startWorker(SLOW);
    const userId = (await aUser(t)).id;
    await pushSamples(t, userId, HEART);
    const created = await t.api('POST', `/v1/users/${userId}/exports`, { body: { format: 'ndjson', types: ['samples'] } });
    expect(created.status).toBe(202);
    const db = t.server.database.prisma;
    await eventually(
      () => db.dataExport.findUniqueOrThrow({ where: { id: created.body.id } }),
      (row) => row.status === 'running',
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    await stopChildServer(first, 'SIGKILL');

    await startWorker();
    const job = await waitForJob(t, created.body.jobId, { attempts: 900 });
    expect(job.status).toBe('completed');
    const row = (await t.api('GET', `/v1/users/${userId}/exports`)).body.data[0];
    expect(row).toMatchObject({ status: 'completed', attempts: 2, rowCounts: { samples: HEART.length } });
    expectComplete(await (await fetch(row.file.downloadUrl)).text());
    await expectOneFileAndEvent(db, created.body.id);
  }, 180_000);
});
