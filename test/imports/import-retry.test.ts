import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import { localStorage } from '../../src/files/local-storage.js';
import type { FileStorage } from '../../src/files/storage.js';
import { saveGeneratedFile } from '../../src/files/stored-files.js';
import { healthSummary } from '../../src/health/summary.js';
import { createImportActivities } from '../../src/imports/import-activities.js';
import { importJobId, importView } from '../../src/imports/imports.js';
import { newId } from '../../src/lib/ids.js';
import { aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { appleHealthExport } from '../helpers/import-files.js';
import { openEnginePlatform } from '../helpers/platform.js';

/**
 * The import activity run again after it died mid-file (a storage read cut off, as a killed worker's would be): it
 * resumes after the last batch it stored, and ends with the same counts and samples as a run that never failed.
 */
for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`an import retried mid-file on ${engine}`, () => {
    let platform: Awaited<ReturnType<typeof openEnginePlatform>>;
    let dir: string;
    let storage: FileStorage;
    beforeAll(async () => {
      platform = await openEnginePlatform(engine);
      dir = await mkdtemp(join(tmpdir(), 'vitasync-import-retry-'));
      storage = localStorage(dir);
    });
    afterAll(async () => {
      await platform?.close();
      await rm(dir, { recursive: true, force: true });
    });

    async function queued(ctx: ServiceContext, xml: Buffer) {
      const userId = (await aUser(ctx)).id;
      const file = await saveGeneratedFile({ ...ctx, storage }, storage, {
        userId,
        name: 'export.xml',
        contentType: 'application/xml',
        body: Readable.from([xml]),
      });
      const id = newId();
      await ctx.db.dataImport.create({
        data: {
          id,
          workspaceId: ctx.workspaceId,
          userId,
          fileId: file.id,
          format: 'apple_health',
          jobId: importJobId(id),
          status: 'queued',
        },
      });
      return { userId, id };
    }

    it('resumes after the last stored batch and counts nothing twice', async () => {
      const { ctx } = platform;
      const { body } = appleHealthExport({ start: Date.UTC(2025, 5, 1), days: 8, heartRateMinutes: 1 });
      const xml = Buffer.from([...body].join(''));

      const clean = await queued(ctx, xml);
      expect(await createImportActivities({ ...ctx, storage }).runImport({ importId: clean.id })).toMatchObject({ status: 'completed' });

      // The first whole read of the file breaks at 60 % of it; the second is whole.
      const resumedAt: number[] = [];
      let reads = 0;
      const flaky: FileStorage = {
        ...storage,
        get: async (key, range) => {
          const stream = await storage.get(key, range);
          if (range) return stream;
          reads += 1;
          if (reads === 1) {
            const cut = Math.floor(xml.length * 0.6);
            return Readable.from(
              (async function* () {
                yield xml.subarray(0, cut);
                throw new Error('connection reset by peer');
              })(),
            );
          }
          resumedAt.push((await ctx.db.dataImport.findUniqueOrThrow({ where: { id: retried.id } })).position);
          return stream;
        },
      };
      const retried = await queued(ctx, xml);
      expect(await createImportActivities({ ...ctx, storage: flaky }).runImport({ importId: retried.id })).toMatchObject({
        status: 'completed',
      });
      expect(reads).toBe(2);
      // The second read started after what the first had stored.
      expect(resumedAt[0]).toBeGreaterThan(0);

      const view = (id: string) => ctx.db.dataImport.findUniqueOrThrow({ where: { id } }).then(importView);
      const [a, b] = [await view(clean.id), await view(retried.id)];
      const counts = (v: typeof a) => ({
        recordsRead: v.recordsRead,
        samplesStored: v.samplesStored,
        eventsStored: v.eventsStored,
        duplicates: v.duplicates,
        skipped: v.skipped,
        rejections: v.rejections,
      });
      expect(counts(b)).toEqual(counts(a));
      expect(b.duplicates).toBe(0);
      const summary = async (userId: string) => (await healthSummary(ctx, userId)).map((m) => [m.metricType, m.count]);
      expect(await summary(retried.userId)).toEqual(await summary(clean.userId));
    }, 120_000);
  });
}
