import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { NotFound } from '../lib/errors.js';
import { assertStorageKey, type ByteRange, type FileStorage } from './storage.js';

/** Partial writes go here first: a rename into place is atomic, so a reader never sees half a file. */
const PARTIAL_DIR = '.partial';

/** Files in a folder (by default `<data dir>/files`; VITASYNC_FILES_DIR). */
export function localStorage(root: string): FileStorage {
  const pathOf = (key: string) => {
    assertStorageKey(key);
    return join(root, key);
  };
  return {
    kind: 'local',
    async put(key, body) {
      const target = pathOf(key);
      const partial = join(root, PARTIAL_DIR, randomUUID());
      await mkdir(dirname(partial), { recursive: true });
      try {
        await pipeline(body, createWriteStream(partial, { flags: 'wx' }));
        await mkdir(dirname(target), { recursive: true });
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
    },
    async get(key, range?: ByteRange) {
      const path = pathOf(key);
      if (!(await this.head(key))) throw new NotFound(`file content ${key} not found in storage`);
      return createReadStream(path, range ? { start: range.start, end: range.end } : {});
    },
    async head(key) {
      try {
        return { size: (await stat(pathOf(key))).size };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true });
    },
    async sweepAbandoned(before) {
      const folder = join(root, PARTIAL_DIR);
      const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [];
        throw error;
      });
      let swept = 0;
      for (const name of names) {
        const path = join(folder, name);
        // A live write moves its file's mtime with every chunk; one that stopped moving long ago has no writer.
        const modified = await stat(path).then(
          (info) => info.mtime,
          () => null,
        );
        if (modified === null || modified >= before) continue;
        await rm(path, { force: true });
        swept += 1;
      }
      return swept;
    },
    async close() {},
  };
}
