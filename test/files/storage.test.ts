import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type S3Config } from '../../src/config.js';
import { newId } from '../../src/lib/ids.js';
import { openStorage, type FileStorage } from '../../src/files/storage.js';
import { NotFound } from '../../src/lib/errors.js';
import { eventually } from '../helpers/connect.js';
import { scratchFiles, storageAvailable, STORAGES } from '../helpers/storages.js';

/** A stream of `bytes` that fails after sending them, as an upload whose client goes away does. */
function failingAfter(bytes: Buffer): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (sent) return this.destroy(new Error('client went away'));
      sent = true;
      this.push(bytes);
    },
  });
}

/** Incomplete multipart uploads of a key, as the bucket lists them. */
async function openUploads(s3: S3Config, key: string): Promise<number> {
  const client = new S3Client({
    region: s3.region,
    endpoint: s3.endpoint ?? undefined,
    forcePathStyle: true,
    credentials: s3.credentials ?? undefined,
  });
  try {
    const page = await client.send(new ListMultipartUploadsCommand({ Bucket: s3.bucket, Prefix: s3.prefix + key }));
    return page.Uploads?.length ?? 0;
  } finally {
    client.destroy();
  }
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const kind of STORAGES) {
  describe.skipIf(!storageAvailable(kind))(`the storage port on ${kind} storage`, () => {
    let storage: FileStorage;
    let dir: string;
    let s3: S3Config | null;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const scratch = await scratchFiles(kind);
      drop = scratch.drop;
      dir = scratch.files.dir;
      s3 = scratch.files.s3;
      storage = openStorage({ ...loadConfig({}).files, ...scratch.files });
      expect(storage.kind).toBe(kind);
    });
    afterAll(async () => {
      await storage?.close();
      await drop?.();
    });
    const key = () => `ws/${newId()}`;

    it('gives back what was put, whole and by byte range, and its size', async () => {
      // Over two S3 multipart parts of 8 MiB, so the multipart path is the one tested.
      const bytes = randomBytes(kind === 's3' ? 17 * 1024 * 1024 + 5 : 300_000);
      const at = key();
      await storage.put(at, Readable.from([bytes.subarray(0, 1000), bytes.subarray(1000)]), 'application/octet-stream');
      expect(await storage.head(at)).toEqual({ size: bytes.length });
      expect(sha256(await buffer(await storage.get(at)))).toBe(sha256(bytes));
      const range = await buffer(await storage.get(at, { start: 10, end: 19 }));
      expect(range).toEqual(bytes.subarray(10, 20));
      const tail = await buffer(await storage.get(at, { start: bytes.length - 3, end: bytes.length - 1 }));
      expect(tail).toEqual(bytes.subarray(bytes.length - 3));
    }, 60_000);

    it('stores an empty file', async () => {
      const at = key();
      await storage.put(at, Readable.from([]), 'text/plain');
      expect(await storage.head(at)).toEqual({ size: 0 });
      expect((await buffer(await storage.get(at))).length).toBe(0);
    });

    it('deletes an object, and deleting it again is no error', async () => {
      const at = key();
      await storage.put(at, Readable.from([Buffer.from('bye')]), 'text/plain');
      await storage.delete(at);
      expect(await storage.head(at)).toBeNull();
      await storage.delete(at);
    });

    it('answers NotFound for the content of a key that holds nothing', async () => {
      await expect(storage.get(key())).rejects.toBeInstanceOf(NotFound);
      expect(await storage.head(key())).toBeNull();
    });

    it('leaves nothing behind when the stream fails, small or multipart', async () => {
      for (const size of [1000, 9 * 1024 * 1024]) {
        const at = key();
        await expect(storage.put(at, failingAfter(randomBytes(size)), 'application/octet-stream')).rejects.toThrow();
        expect(await storage.head(at), `${size} bytes`).toBeNull();
      }
      if (kind === 'local') expect(await readdir(`${dir}/.partial`)).toEqual([]);
    }, 60_000);

    it('sweeps what an unfinished write left once it is older than asked, and nothing younger', async () => {
      // A write that sent more than one S3 part and then stopped moving, as when its process is killed.
      const stalled = new Readable({ read() {} });
      stalled.push(randomBytes(kind === 's3' ? 9 * 1024 * 1024 : 1000));
      const at = key();
      const writing = storage.put(at, stalled, 'application/octet-stream').catch((error: Error) => error);
      const leftovers = async () => (kind === 'local' ? (await readdir(`${dir}/.partial`)).length : await openUploads(s3!, at));
      await eventually(leftovers, (count) => count === 1);

      // moto lists every upload as initiated on 2010-11-10 (a fixed date in its ListMultipartUploads answer), so the
      // age of an upload is only checked against the folder; AWS S3 reports the upload's real start.
      if (kind === 'local') {
        expect(await storage.sweepAbandoned(new Date(Date.now() - 3_600_000))).toBe(0);
        expect(await leftovers()).toBe(1);
      }
      expect(await storage.sweepAbandoned(new Date(Date.now() + 1000))).toBe(1);
      expect(await leftovers()).toBe(0);
      expect(await storage.head(at)).toBeNull();
      stalled.destroy(new Error('process gone'));
      expect(await writing).toBeInstanceOf(Error);
    }, 60_000);

    it('refuses a key that could leave its folder or prefix', async () => {
      await expect(storage.put('../escape', Readable.from([]), 'text/plain')).rejects.toThrow(/invalid storage key/);
      await expect(storage.head('/etc/passwd')).rejects.toThrow(/invalid storage key/);
    });
  });
}
