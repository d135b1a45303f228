import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { newId } from '../../src/lib/ids.js';
import { openStorage, type FileStorage } from '../../src/files/storage.js';
import { NotFound } from '../../src/lib/errors.js';
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

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const kind of STORAGES) {
  describe.skipIf(!storageAvailable(kind))(`the storage port on ${kind} storage`, () => {
    let storage: FileStorage;
    let dir: string;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const scratch = await scratchFiles(kind);
      drop = scratch.drop;
      dir = scratch.files.dir;
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

    it('refuses a key that could leave its folder or prefix', async () => {
      await expect(storage.put('../escape', Readable.from([]), 'text/plain')).rejects.toThrow(/invalid storage key/);
      await expect(storage.head('/etc/passwd')).rejects.toThrow(/invalid storage key/);
    });
  });
}
