import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const KEY = /^vs_live_[A-Za-z0-9_-]{43}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LISTED_FIELDS = ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scope'];
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`API keys on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    /** Whether a key is accepted, judged by a read route any scope may call. */
    const statusOf = async (key: string) => (await t.api('GET', '/v1/providers', { key })).status;
    const create = (body: unknown, key?: string) => t.api('POST', '/v1/api-keys', { body, key });
    const listAll = async (key?: string) => (await t.api('GET', '/v1/api-keys?limit=500', { key })).body.data as any[];

    it('creates a key with 201, shows its 256-bit secret once with name, scope and prefix, and accepts it at once', async () => {
      const created = await create({ name: '  ingest service ', scope: 'write' });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'ingest service', scope: 'write', expiresAt: null });
      expect(created.body.key).toMatch(KEY);
      expect(created.body.key.startsWith(created.body.prefix)).toBe(true);
      expect(created.body.prefix.length).toBeLessThan(16);
      expect(created.body.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(created.body.createdAt).toMatch(ISO_UTC);
      expect(await statusOf(created.body.key)).toBe(200);
      expect((await t.api('POST', '/v1/users', { key: created.body.key, body: { externalId: 'by-new-key' } })).status).toBe(201);
      expect((await create({ name: 'other', scope: 'write' })).body.key).not.toBe(created.body.key);
    });

    it('lists keys as offset and cursor pages that never carry the secret or its hash', async () => {
      const other = await t.newWorkspace('Key listing');
      const secrets = [other.adminKey];
      for (const scope of ['read', 'write', 'admin'])
        secrets.push((await create({ name: `${scope} key`, scope }, other.adminKey)).body.key);

      const offsetPage = await t.api('GET', '/v1/api-keys?limit=3&offset=1', { key: other.adminKey });
      expect(offsetPage.status).toBe(200);
      expect(offsetPage.body).toMatchObject({ total: 4, limit: 3, offset: 1 });
      expect(offsetPage.body.data.map((k: any) => k.scope)).toEqual(['read', 'write', 'admin']);

      const first = await t.api('GET', '/v1/api-keys?limit=2', { key: other.adminKey });
      expect(first.body.data).toHaveLength(2);
      const second = await t.api('GET', `/v1/api-keys?limit=2&cursor=${encodeURIComponent(first.body.nextCursor)}`, {
        key: other.adminKey,
      });
      expect(second.body.data.map((k: any) => k.name)).toEqual(['write key', 'admin key']);
      expect(second.body.nextCursor).toBeNull();

      const text = JSON.stringify([offsetPage.body, first.body, second.body]);
      for (const secret of secrets) expect(text).not.toContain(secret.slice(8));
      expect(text).not.toMatch(/hash|secret|"key"/i);
      for (const item of offsetPage.body.data) expect(Object.keys(item).sort()).toEqual(LISTED_FIELDS);
    });

    it('answers 403 to a read key listing keys and to a write key creating one', async () => {
      const read = (await aKey(t, { scope: 'read' })).key;
      const write = (await aKey(t, { scope: 'write' })).key;
      const listed = await t.api('GET', '/v1/api-keys', { key: read });
      expect(listed.status).toBe(403);
      expect(listed.body).toEqual({ statusCode: 403, error: 'Forbidden', message: expect.any(String) });
      expect((await create({ name: 'escalate', scope: 'admin' }, write)).status).toBe(403);
      expect((await listAll()).map((k) => k.name)).not.toContain('escalate');
    });

    it('answers 422 for an unknown scope or a past expiresAt and 400 without a name, creating nothing', async () => {
      const badScope = await create({ name: 'root', scope: 'superuser' });
      expect(badScope.status).toBe(422);
      expect(badScope.body).toEqual({ statusCode: 422, error: 'Unprocessable Entity', message: expect.any(String) });
      const past = await create({ name: 'stale', scope: 'read', expiresAt: new Date(Date.now() - 60_000).toISOString() });
      expect(past.status).toBe(422);
      expect(past.body.message).toMatch(/expiresAt/);
      expect((await create({ scope: 'read' })).status).toBe(400);
      expect((await listAll()).map((k) => k.name)).not.toEqual(expect.arrayContaining(['root', 'stale']));
    });

    it('answers 401 to a key once its expiresAt has passed', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const created = await create({ name: 'short-lived', scope: 'read', expiresAt });
      expect(created.status).toBe(201);
      expect(created.body.expiresAt).toBe(expiresAt);
      expect(await statusOf(created.body.key)).toBe(200);
      await sleep(1600);
      const refused = await t.api('GET', '/v1/providers', { key: created.body.key });
      expect(refused.status).toBe(401);
      expect(refused.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.stringContaining('expired') });
    });

    it('deletes a key with 204, after which it gets 401, and answers 404 for an unknown id', async () => {
      const created = await create({ name: 'to delete', scope: 'write' });
      expect(await statusOf(created.body.key)).toBe(200);
      const deleted = await t.api('DELETE', `/v1/api-keys/${created.body.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeNull();
      expect(await statusOf(created.body.key)).toBe(401);
      expect((await listAll()).map((k) => k.id)).not.toContain(created.body.id);
      expect((await t.api('DELETE', `/v1/api-keys/${created.body.id}`)).status).toBe(404);
      const unknown = await t.api('DELETE', `/v1/api-keys/${UNKNOWN_ID}`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toContain(UNKNOWN_ID);
    });

    it("refuses with 409 to delete the workspace's last admin key, which keeps working", async () => {
      const other = await t.newWorkspace('Last admin');
      await create({ name: 'reader', scope: 'read' }, other.adminKey);
      const [admin] = (await listAll(other.adminKey)).filter((k) => k.scope === 'admin');
      const refused = await t.api('DELETE', `/v1/api-keys/${admin.id}`, { key: other.adminKey });
      expect(refused.status).toBe(409);
      expect(refused.body).toEqual({ statusCode: 409, error: 'Conflict', message: expect.stringContaining('last admin key') });
      expect((await t.api('GET', '/v1/api-keys', { key: other.adminKey })).status).toBe(200);

      const second = await create({ name: 'second admin', scope: 'admin' }, other.adminKey);
      expect((await t.api('DELETE', `/v1/api-keys/${admin.id}`, { key: second.body.key })).status).toBe(204);
      expect(await statusOf(other.adminKey)).toBe(401);
    });

    it('does not count an expired admin key as a remaining admin when deleting the last working one', async () => {
      const other = await t.newWorkspace('Expired admin');
      const [admin] = await listAll(other.adminKey);
      const expiring = await create(
        { name: 'temp admin', scope: 'admin', expiresAt: new Date(Date.now() + 1500).toISOString() },
        other.adminKey,
      );
      expect(expiring.status).toBe(201);
      await sleep(1600);
      expect(await statusOf(expiring.body.key)).toBe(401);
      expect((await t.api('DELETE', `/v1/api-keys/${admin.id}`, { key: other.adminKey })).status).toBe(409);
      expect(await statusOf(other.adminKey)).toBe(200);
    });

    it('does not count an admin key in a rotation grace period as a remaining admin', async () => {
      const other = await t.newWorkspace('Grace admin');
      const [admin] = await listAll(other.adminKey);
      const rotated = await t.api('POST', `/v1/api-keys/${admin.id}/rotate`, { key: other.adminKey, body: { gracePeriodSeconds: 60 } });
      expect(rotated.status).toBe(201);
      // The old key stops working in a minute; deleting the new one would leave the workspace without an admin.
      expect((await t.api('DELETE', `/v1/api-keys/${rotated.body.id}`, { key: rotated.body.key })).status).toBe(409);
      expect(await statusOf(rotated.body.key)).toBe(200);
    });

    it('never lets two concurrent deletes remove both admin keys of a workspace', async () => {
      // Several workspaces at once, so a check-then-delete race shows up in one run rather than one in many.
      const pairs = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const other = await t.newWorkspace(`Racing admins ${i}`);
          const second = await create({ name: 'second admin', scope: 'admin' }, other.adminKey);
          const [first] = await listAll(other.adminKey);
          return [
            { id: first.id, key: other.adminKey },
            { id: second.body.id, key: second.body.key },
          ];
        }),
      );
      // Each key deletes itself, so whichever request comes second is still authenticated.
      const statuses = await Promise.all(
        pairs.map((pair) => Promise.all(pair.map(({ id, key }) => t.api('DELETE', `/v1/api-keys/${id}`, { key })))),
      );
      for (const [i, pair] of statuses.entries()) expect(pair.map((r) => r.status).sort(), `workspace ${i}`).toEqual([204, 409]);
    });

    it('rotates a key with 201: the new secret keeps name and scope and works, the old one gets 401 at once', async () => {
      const old = await create({ name: 'rotating', scope: 'write' });
      const rotated = await t.api('POST', `/v1/api-keys/${old.body.id}/rotate`, { body: {} });
      expect(rotated.status).toBe(201);
      expect(rotated.body).toMatchObject({ name: 'rotating', scope: 'write' });
      expect(rotated.body.key).toMatch(KEY);
      expect(rotated.body.id).not.toBe(old.body.id);
      expect(await statusOf(rotated.body.key)).toBe(200);
      expect(await statusOf(old.body.key)).toBe(401);
      expect((await t.api('POST', `/v1/api-keys/${old.body.id}/rotate`, { body: {} })).status).toBe(404);
    });

    it('keeps the old key working through a rotation grace period and lists it with its revokedAt', async () => {
      const old = await create({ name: 'graceful', scope: 'read' });
      const before = Date.now();
      const rotated = await t.api('POST', `/v1/api-keys/${old.body.id}/rotate`, { body: { gracePeriodSeconds: 60 } });
      expect(rotated.status).toBe(201);
      expect(await statusOf(old.body.key)).toBe(200);
      expect(await statusOf(rotated.body.key)).toBe(200);
      const listed = (await listAll()).find((k) => k.id === old.body.id);
      expect(Date.parse(listed.revokedAt) - before).toBeGreaterThanOrEqual(59_000);
      expect(Date.parse(listed.revokedAt) - before).toBeLessThan(70_000);
    });

    it('answers 422 for a gracePeriodSeconds below 0 or above a week and leaves the key as it was', async () => {
      const old = await create({ name: 'not rotated', scope: 'read' });
      for (const gracePeriodSeconds of [-1, 7 * 24 * 3600 + 1]) {
        const response = await t.api('POST', `/v1/api-keys/${old.body.id}/rotate`, { body: { gracePeriodSeconds } });
        expect(response.status, String(gracePeriodSeconds)).toBe(422);
        expect(response.body.message).toMatch(/gracePeriodSeconds/);
      }
      expect((await listAll()).filter((k) => k.name === 'not rotated')).toHaveLength(1);
      expect(await statusOf(old.body.key)).toBe(200);
    });

    it("answers 404, never 403, to delete or rotate another workspace's key, and leaves it working", async () => {
      const other = await t.newWorkspace('Foreign keys');
      const theirs = await create({ name: 'theirs', scope: 'write' }, other.adminKey);
      const deleted = await t.api('DELETE', `/v1/api-keys/${theirs.body.id}`);
      expect(deleted.status).toBe(404);
      expect(deleted.body.error).toBe('Not Found');
      expect((await t.api('POST', `/v1/api-keys/${theirs.body.id}/rotate`, { body: {} })).status).toBe(404);
      expect((await listAll()).map((k) => k.id)).not.toContain(theirs.body.id);
      expect(await statusOf(theirs.body.key)).toBe(200);
    });

    it('shows lastUsedAt as null until the key is first used, then the time of that use', async () => {
      const created = await create({ name: 'unused', scope: 'read' });
      const listedBefore = (await listAll()).find((k) => k.id === created.body.id);
      expect(listedBefore.lastUsedAt).toBeNull();
      const usedAt = Date.now();
      expect(await statusOf(created.body.key)).toBe(200);
      const listedAfter = (await listAll()).find((k) => k.id === created.body.id);
      expect(listedAfter.lastUsedAt).toMatch(ISO_UTC);
      expect(Math.abs(Date.parse(listedAfter.lastUsedAt) - usedAt)).toBeLessThan(5_000);
    });

    it('answers 401 on every key route without a key', async () => {
      for (const [method, path] of [
        ['GET', '/v1/api-keys'],
        ['POST', '/v1/api-keys'],
        ['DELETE', `/v1/api-keys/${UNKNOWN_ID}`],
        ['POST', `/v1/api-keys/${UNKNOWN_ID}/rotate`],
      ]) {
        const response = await t.api(method!, path!, { key: null, body: method === 'POST' ? { name: 'x', scope: 'read' } : undefined });
        expect(response.status, `${method} ${path}`).toBe(401);
      }
    });
  });
}
