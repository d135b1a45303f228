import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, aSample, asKey, aUser, pushSamples } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`users on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('creates a user with 201 and finds the same user with 200 on a repeated externalId', async () => {
      const created = await t.api('POST', '/v1/users', {
        body: { externalId: 'alice', email: 'alice@example.com', timezone: 'Asia/Kathmandu', metadata: { plan: 'pro' } },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        externalId: 'alice',
        email: 'alice@example.com',
        timezone: 'Asia/Kathmandu',
        metadata: { plan: 'pro' },
      });
      expect(created.body.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
      expect(created.body.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

      const found = await t.api('POST', '/v1/users', { body: { externalId: 'alice', timezone: 'UTC' } });
      expect(found.status).toBe(200);
      expect(found.body.id).toBe(created.body.id);
      expect(found.body.timezone).toBe('Asia/Kathmandu');
    });

    it('defaults the timezone to UTC and metadata to an empty object', async () => {
      const created = await t.api('POST', '/v1/users', { body: { externalId: 'bare' } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ timezone: 'UTC', metadata: {}, email: null });
    });

    it('answers 422 for a timezone that is not an IANA zone and creates nothing', async () => {
      const response = await t.api('POST', '/v1/users', { body: { externalId: 'mars', timezone: 'Mars/Base' } });
      expect(response.status).toBe(422);
      expect(response.body).toEqual({ statusCode: 422, error: 'Unprocessable Entity', message: expect.stringContaining('Mars/Base') });
      const list = await t.api('GET', '/v1/users?limit=500');
      expect(list.body.data.map((u: any) => u.externalId)).not.toContain('mars');
    });

    it('answers 400 when externalId is missing or has the wrong type of body', async () => {
      expect((await t.api('POST', '/v1/users', { body: { email: 'x@example.com' } })).status).toBe(400);
      expect((await t.api('POST', '/v1/users', { body: [1, 2] })).status).toBe(400);
    });

    it('answers 422 for an invalid email or non-object metadata', async () => {
      expect((await t.api('POST', '/v1/users', { body: { externalId: 'e1', email: 'not-an-email' } })).status).toBe(422);
      expect((await t.api('POST', '/v1/users', { body: { externalId: 'e2', metadata: [1] } })).status).toBe(422);
    });

    it('gets a user by id and answers 404 for an unknown id', async () => {
      const user = await aUser(t);
      const got = await t.api('GET', `/v1/users/${user.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(user);
      const missing = await t.api('GET', '/v1/users/01ARZ3NDEKTSV4RRFFQ69G5FAV');
      expect(missing.status).toBe(404);
      expect(missing.body.message).toContain('01ARZ3NDEKTSV4RRFFQ69G5FAV');
    });

    it('updates only the given fields and moves updatedAt', async () => {
      const user = await aUser(t, { email: 'carol@example.com' });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const patched = await t.api('PATCH', `/v1/users/${user.id}`, {
        body: { timezone: 'America/St_Johns', metadata: { tier: 2 } },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ email: 'carol@example.com', timezone: 'America/St_Johns', metadata: { tier: 2 } });
      expect(Date.parse(patched.body.updatedAt)).toBeGreaterThan(Date.parse(user.updatedAt));
      expect((await t.api('PATCH', `/v1/users/${user.id}`, { body: { timezone: 'Nowhere/City' } })).status).toBe(422);
      expect((await t.api('GET', `/v1/users/${user.id}`)).body.timezone).toBe('America/St_Johns');
    });

    it('deletes a user with 204, after which the user is gone and a second delete is 404', async () => {
      const gone = await aUser(t);
      const kept = await aUser(t);
      for (const user of [gone, kept]) await pushSamples(t, user.id, [aSample()]);
      const deleted = await t.api('DELETE', `/v1/users/${gone.id}`);
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeNull();
      expect((await t.api('GET', `/v1/users/${gone.id}`)).status).toBe(404);
      expect((await t.api('DELETE', `/v1/users/${gone.id}`)).status).toBe(404);
      // Everything of theirs went with them (samples and rollups too), nothing of anybody else's.
      const db = t.server.database.prisma;
      expect(await db.healthSample.count({ where: { userId: gone.id } })).toBe(0);
      expect(await db.healthRollup.count({ where: { userId: gone.id } })).toBe(0);
      expect(await db.healthSample.count({ where: { userId: kept.id } })).toBe(1);
      expect(await db.healthRollup.count({ where: { userId: kept.id } })).toBeGreaterThan(0);
      const again = await t.api('POST', '/v1/users', { body: { externalId: gone.externalId } });
      expect(again.status).toBe(201);
      expect(again.body.id).not.toBe(gone.id);
    });

    it('answers 404 for a user of another workspace, on every user route', async () => {
      const other = await t.newWorkspace();
      const { id } = await aUser(asKey(t, other.adminKey));
      expect((await t.api('GET', `/v1/users/${id}`)).status).toBe(404);
      expect((await t.api('PATCH', `/v1/users/${id}`, { body: { email: 'x@example.com' } })).status).toBe(404);
      expect((await t.api('DELETE', `/v1/users/${id}`)).status).toBe(404);
      const list = await t.api('GET', '/v1/users?limit=500');
      expect(list.body.data.map((u: any) => u.id)).not.toContain(id);
      expect((await t.api('GET', `/v1/users/${id}`, { key: other.adminKey })).status).toBe(200);
    });

    it('lists users with offset pages (total) and keyset cursor pages that end with a null cursor', async () => {
      const other = await t.newWorkspace('Paging');
      for (let i = 0; i < 7; i++) await aUser(asKey(t, other.adminKey), { externalId: `p${i}` });
      const offsetPage = await t.api('GET', '/v1/users?limit=3&offset=3', { key: other.adminKey });
      expect(offsetPage.status).toBe(200);
      expect(offsetPage.body).toMatchObject({ total: 7, limit: 3, offset: 3 });
      expect(offsetPage.body.data.map((u: any) => u.externalId)).toEqual(['p3', 'p4', 'p5']);

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: string = cursor ? `?limit=3&cursor=${encodeURIComponent(cursor)}` : '?limit=3';
        const page = await t.api('GET', `/v1/users${query}`, { key: other.adminKey });
        expect(page.status).toBe(200);
        seen.push(...page.body.data.map((u: any) => u.externalId));
        cursor = page.body.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
      expect(pages).toBe(3);
    });

    it('answers 400 for an out-of-range limit, a negative offset and a forged or foreign cursor', async () => {
      for (const query of ['limit=0', 'limit=501', 'limit=abc', 'offset=-1', 'cursor=forged', 'cursor=abc.def', 'offset=1&cursor=x']) {
        const response = await t.api('GET', `/v1/users?${query}`);
        expect(response.status, query).toBe(400);
        expect(response.body.statusCode).toBe(400);
      }
      await aKey(t);
      const keys = await t.api('GET', '/v1/api-keys?limit=1');
      expect(keys.body.nextCursor).toEqual(expect.any(String));
      // A cursor of the API-key list is refused by the user list.
      expect((await t.api('GET', `/v1/users?cursor=${encodeURIComponent(keys.body.nextCursor)}`)).status).toBe(400);
    });

    it('requires write scope to create or update and admin scope to delete', async () => {
      const read = (await aKey(t, { scope: 'read' })).key;
      const write = (await aKey(t, { scope: 'write' })).key;
      expect((await t.api('GET', '/v1/users', { key: read })).status).toBe(200);
      const denied = await t.api('POST', '/v1/users', { key: read, body: { externalId: 'r' } });
      expect(denied.status).toBe(403);
      expect(denied.body.error).toBe('Forbidden');
      const created = await t.api('POST', '/v1/users', { key: write, body: { externalId: 'w' } });
      expect(created.status).toBe(201);
      expect((await t.api('PATCH', `/v1/users/${created.body.id}`, { key: write, body: { email: 'w@example.com' } })).status).toBe(200);
      expect((await t.api('DELETE', `/v1/users/${created.body.id}`, { key: write })).status).toBe(403);
      expect((await t.api('GET', `/v1/users/${created.body.id}`)).status).toBe(200);
    });

    it('answers 401 without a key and with an unknown key', async () => {
      expect((await t.api('GET', '/v1/users', { key: null })).status).toBe(401);
      const unknown = await t.api('GET', '/v1/users', { key: 'vs_live_' + 'A'.repeat(43) });
      expect(unknown.status).toBe(401);
      expect(unknown.body).toEqual({ statusCode: 401, error: 'Unauthorized', message: expect.any(String) });
      expect((await t.api('GET', '/v1/users', { headers: { authorization: 'Basic abc' }, key: null })).status).toBe(401);
    });
  });
}
