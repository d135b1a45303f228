import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import { exportFileName, createExportActivities } from '../../src/exports/export-activities.js';
import { localStorage } from '../../src/files/local-storage.js';
import { saveGeneratedFile } from '../../src/files/stored-files.js';
import type { FileStorage } from '../../src/files/storage.js';
import { newId } from '../../src/lib/ids.js';
import { aUser, pushSamples, samples } from '../factories/index.js';
import { openTestPlatform } from '../helpers/platform.js';
import { RETRY_PROFILES } from '../../workflows/retry.js';

describe('the dataExport activities', () => {
  let ctx: ServiceContext;
  let storage: FileStorage;
  let dir: string;
  let close: () => Promise<void>;
  let userId: string;

  beforeAll(async () => {
    const platform = await openTestPlatform();
    dir = await mkdtemp(join(tmpdir(), 'vitasync-export-activities-'));
    storage = localStorage(dir);
    ctx = { ...platform.ctx, storage };
    close = platform.close;
    userId = (await aUser(ctx)).id;
    await pushSamples(ctx, userId, samples({ for: '1h' }));
  });
  afterAll(async () => {
    await close?.();
    await rm(dir, { recursive: true, force: true });
  });

  /** An export row as POST records it, without starting its job (the test calls the activities itself). */
  async function anExport(fields: { attempts?: number; status?: string } = {}) {
    const id = newId();
    return ctx.db.dataExport.create({
      data: {
        id,
        workspaceId: ctx.workspaceId,
        userId,
        format: 'ndjson',
        kinds: ['samples'],
        metricTypes: [],
        timezone: 'UTC',
        jobId: `export:${id}`,
        ...fields,
      },
    });
  }
  const announced = async (type: string, exportId: string) =>
    (await ctx.db.domainEvent.findMany({ where: { type } })).filter((event) => (event.payload as { id: string }).id === exportId).length;

  it('fails an export only on its last attempt, announcing export.failed once', async () => {
    const { failExport } = createExportActivities(ctx);
    const early = await anExport({ attempts: 1, status: 'running' });
    expect(await failExport({ exportId: early.id, error: 'disk full' })).toEqual({ failed: false });
    expect((await ctx.db.dataExport.findUniqueOrThrow({ where: { id: early.id } })).status).toBe('running');

    const last = await anExport({ attempts: RETRY_PROFILES.export.maximumAttempts, status: 'running' });
    expect(await failExport({ exportId: last.id, error: 'disk full' })).toEqual({ failed: true });
    expect(await failExport({ exportId: last.id, error: 'disk full' })).toEqual({ failed: false });
    expect(await ctx.db.dataExport.findUniqueOrThrow({ where: { id: last.id } })).toMatchObject({ status: 'failed', error: 'disk full' });
    expect(await announced('export.failed', last.id)).toBe(1);
    expect(await announced('export.failed', early.id)).toBe(0);
  });

  it('removes the file an earlier attempt stored but never recorded, and does nothing once completed', async () => {
    const { writeExport } = createExportActivities(ctx);
    const row = await anExport();
    // What an attempt killed between storing its file and completing the export leaves behind.
    const orphan = await saveGeneratedFile(ctx, storage, {
      userId,
      name: exportFileName(row),
      contentType: 'application/x-ndjson',
      body: (async function* () {
        yield new TextEncoder().encode('{"kind":"samples"}\n');
      })(),
    });
    const first = await writeExport({ exportId: row.id });
    expect(first).toMatchObject({ status: 'completed', rows: 12 });
    const files = await ctx.db.storedFile.findMany({ where: { name: exportFileName(row) } });
    expect(files.map((file) => file.id)).toEqual([first.fileId]);
    expect(await storage.head(orphan.storageKey)).toBeNull();

    const again = await writeExport({ exportId: row.id });
    expect(again).toEqual(first);
    expect(await ctx.db.dataExport.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ attempts: 1, fileId: first.fileId });
    expect(await announced('export.completed', row.id)).toBe(1);
  });
});
