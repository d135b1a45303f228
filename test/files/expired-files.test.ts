import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expiredFilesScheduleId, HOUSEKEEPING_CALENDAR, SYSTEM_WORKSPACE_ID } from '../../src/jobs/housekeeping.js';
import { openStorage } from '../../src/files/storage.js';
import { newId } from '../../src/lib/ids.js';
import { aUser, pushSamples, samples } from '../factories/index.js';
import { milliseconds } from '../factories/time.js';
import { eventually, waitForJob } from '../helpers/connect.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`expired export and report files on ${engine}`, () => {
    let t: TestServer;
    let userId: string;
    // The server's clock, moved forward by the test to pass the files' expiry (exports 7 days, reports 90).
    let shift = 0;

    beforeAll(async () => {
      t = await startTestServer(engine, { clock: { now: () => new Date(Date.now() + shift) } });
      userId = (await aUser(t)).id;
      await pushSamples(t, userId, samples({ from: '2025-06-10T00:00:00.000Z', every: '1h', for: '24h', value: 60 }));
    });
    afterAll(() => t?.close());

    async function completed(path: 'exports' | 'reports', body: Record<string, unknown>) {
      const created = await t.api('POST', `/v1/users/${userId}/${path}`, { body });
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      expect((await waitForJob(t, created.body.jobId)).status).toBe('completed');
      const list = await t.api('GET', `/v1/users/${userId}/${path}?limit=100`);
      return list.body.data.find((item: { id: string }) => item.id === created.body.id);
    }

    async function purge() {
      const id = `housekeeping:purge-files:${newId()}`;
      await t.server.jobs.start('purgeExpiredFiles', {}, { id, workspaceId: SYSTEM_WORKSPACE_ID });
      return eventually(
        () => t.server.jobs.status(id),
        (state) => state?.status === 'completed' || state?.status === 'failed',
      );
    }

    it('keeps a daily schedule for the purge from the first start', async () => {
      const schedule = await t.server.jobs.describeSchedule(expiredFilesScheduleId(t.server.config));
      expect(schedule).toMatchObject({ calendar: HOUSEKEEPING_CALENDAR, timezone: 'UTC', paused: false });
    });

    it('removes the files of exports and reports past their expiry, everywhere they were offered, and keeps younger ones', async () => {
      const old = await completed('exports', { format: 'csv' });
      const report = await completed('reports', { period: 'custom', from: '2025-06-10', to: '2025-06-10', formats: ['json', 'html'] });
      expect(report.files).toHaveLength(2);
      expect((await fetch(old.file.downloadUrl)).status).toBe(200);
      const fileIds = [old.file.id, ...report.files.map(({ file }: { file: { id: string } }) => file.id)];
      const stored = await t.server.database.prisma.storedFile.findMany({ where: { id: { in: fileIds } } });
      const storage = openStorage(t.server.config.files);
      for (const file of stored) expect(await storage.head(file.storageKey)).not.toBeNull();

      // A write whose process stopped: its partial file stays behind until the purge, a day later or more.
      const stalled = new Readable({ read() {} });
      stalled.push(Buffer.from('half an export'));
      const writing = storage.put(`${SYSTEM_WORKSPACE_ID}/${newId()}`, stalled, 'text/csv').catch((error: Error) => error);
      const partials = () => readdir(join(t.server.config.files.dir, '.partial')).then((names) => names.length);
      await eventually(partials, (count) => count === 1);

      shift = milliseconds('91d');
      const young = await completed('exports', { format: 'ndjson' });
      const job = await purge();
      expect(job).toMatchObject({ status: 'completed', result: { exports: 1, reports: 1, files: 3, abandoned: 1 } });
      expect(await partials()).toBe(0);
      stalled.destroy(new Error('process gone'));
      expect(await writing).toBeInstanceOf(Error);

      // The records stay, with their counts and expiry; their files are gone from the lists, from GET /v1/files and
      // from storage.
      const exports = (await t.api('GET', `/v1/users/${userId}/exports?limit=100`)).body.data;
      const oldNow = exports.find((item: { id: string }) => item.id === old.id);
      expect(oldNow).toMatchObject({ status: 'completed', file: null, rowCounts: old.rowCounts, expiresAt: old.expiresAt });
      expect((await t.api('GET', `/v1/files/${old.file.id}`)).status).toBe(404);
      for (const { file } of report.files) expect((await t.api('GET', `/v1/files/${file.id}`)).status).toBe(404);
      for (const file of stored) expect(await storage.head(file.storageKey)).toBeNull();
      await storage.close();
      const reports = (await t.api('GET', `/v1/users/${userId}/reports?limit=100`)).body.data;
      expect(reports.find((item: { id: string }) => item.id === report.id)).toMatchObject({ status: 'completed', files: [], file: null });

      // The export made after the clock moved is within its 7 days: kept, and a second purge finds nothing.
      const youngNow = exports.find((item: { id: string }) => item.id === young.id);
      expect(youngNow.file).toMatchObject({ id: young.file.id, sha256: young.file.sha256 });
      expect((await fetch(youngNow.file.downloadUrl)).status).toBe(200);
      expect(await purge()).toMatchObject({ status: 'completed', result: { exports: 0, reports: 0, files: 0, abandoned: 0 } });
    }, 120_000);
  });
}
