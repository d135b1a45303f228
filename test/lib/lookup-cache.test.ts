import { afterEach, describe, expect, it } from 'vitest';
import { createLookupCache, type LookupCache } from '../../src/lib/lookup-cache.js';
import { redisUrl } from '../helpers/engines.js';

const STORES = [
  { name: 'in-process', redisUrl: null, skip: false },
  { name: 'through Redis', redisUrl, skip: !redisUrl },
];

for (const store of STORES) {
  describe.skipIf(store.skip)(`the lookup cache (${store.name})`, () => {
    const caches: LookupCache[] = [];
    const open = (ttlSeconds = 30) => {
      const cache = createLookupCache({ ttlSeconds, redisUrl: store.redisUrl });
      caches.push(cache);
      return cache;
    };
    afterEach(async () => {
      await Promise.all(caches.splice(0).map((cache) => cache.close()));
    });

    it('serves a filled entry without filling again', async () => {
      const cache = open();
      await cache.invalidate();
      let fills = 0;
      const fill = async () => ({ n: ++fills });
      expect(await (await cache.snapshot()).read('k', fill)).toEqual({ n: 1 });
      expect(await (await cache.snapshot()).read('k', fill)).toEqual({ n: 1 });
      expect(fills).toBe(1);
    });

    it('does not remember a miss', async () => {
      const cache = open();
      let fills = 0;
      const fill = async () => (++fills === 1 ? null : { n: fills });
      expect(await (await cache.snapshot()).read('k', fill)).toBeNull();
      expect(await (await cache.snapshot()).read('k', fill)).toEqual({ n: 2 });
    });

    it('refills after an invalidation on another instance', async () => {
      const [one, other] = [open(), open()];
      await one.invalidate();
      let value = 'before';
      const fill = async () => ({ value });
      expect(await (await other.snapshot()).read('k', fill)).toEqual({ value: 'before' });
      value = 'after';
      await one.invalidate();
      // In-process, instances share nothing: only the instance that invalidated is told (Redis tells every one).
      const expected = store.redisUrl ? 'after' : 'before';
      expect(await (await other.snapshot()).read('k', fill)).toEqual({ value: expected });
      expect(await (await one.snapshot()).read('k', fill)).toEqual({ value: 'after' });
    });

    it('never serves a fill that started before an invalidation', async () => {
      const cache = open();
      let release!: () => void;
      const slow = new Promise<void>((resolve) => (release = resolve));
      const stale = (await cache.snapshot()).read('k', async () => {
        await slow;
        return { value: 'stale' };
      });
      // The change commits and invalidates while the fill is still reading.
      await cache.invalidate();
      release();
      expect(await stale).toEqual({ value: 'stale' });
      expect(await (await cache.snapshot()).read('k', async () => ({ value: 'fresh' }))).toEqual({ value: 'fresh' });
    });

    it('drops an entry after its TTL', async () => {
      const cache = open(1);
      let fills = 0;
      const fill = async () => ({ n: ++fills });
      await (await cache.snapshot()).read('k', fill);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect(await (await cache.snapshot()).read('k', fill)).toEqual({ n: 2 });
    });

    it('reads the database every time when its TTL is 0', async () => {
      const cache = open(0);
      let fills = 0;
      const fill = async () => ({ n: ++fills });
      await (await cache.snapshot()).read('k', fill);
      expect(await (await cache.snapshot()).read('k', fill)).toEqual({ n: 2 });
    });
  });
}
