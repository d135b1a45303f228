import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTANCE_PAIRS } from '../helpers/instances.js';
import type { TestServer } from '../helpers/server.js';
import { aKey, aUser } from '../factories/index.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const setup of INSTANCE_PAIRS) {
  describe.skipIf(setup.skip)(`cached API keys and users follow their changes at once (${setup.name})`, () => {
    // The reads (and their cache) on one instance, the changes through the other.
    let reader: TestServer;
    let admin: TestServer;
    let close: () => Promise<void>;
    beforeAll(async () => {
      ({ watched: reader, changed: admin, close } = await setup.start());
    });
    afterAll(() => close?.());

    /** Two reads with `key` on the reading instance: the second is served from its cache. */
    async function warm(key: string): Promise<void> {
      for (let i = 0; i < 2; i++) expect((await reader.api('GET', '/v1/users?limit=1', { key })).status).toBe(200);
    }

    it('refuses a deleted key on the next request', async () => {
      const key = await aKey(admin);
      await warm(key.key);
      expect((await admin.api('DELETE', `/v1/api-keys/${key.id}`)).status).toBe(204);
      const refused = await reader.api('GET', '/v1/users?limit=1', { key: key.key });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe('API key is invalid');
    });

    it('refuses a key rotated without grace on the next request, and serves its successor', async () => {
      const key = await aKey(admin);
      await warm(key.key);
      const rotated = await admin.api('POST', `/v1/api-keys/${key.id}/rotate`, { body: { gracePeriodSeconds: 0 } });
      expect(rotated.status).toBe(201);
      const refused = await reader.api('GET', '/v1/users?limit=1', { key: key.key });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe('API key has been revoked');
      expect((await reader.api('GET', '/v1/users?limit=1', { key: rotated.body.key })).status).toBe(200);
    });

    it('serves a rotated key through its grace period and refuses it when the grace ends, with no change to tell it', async () => {
      const key = await aKey(admin);
      await warm(key.key);
      const rotated = await admin.api('POST', `/v1/api-keys/${key.id}/rotate`, { body: { gracePeriodSeconds: 2 } });
      expect(rotated.status).toBe(201);
      const graceEnds = Date.now() + 2000;
      await warm(key.key);
      await sleep(graceEnds - Date.now() + 100);
      const refused = await reader.api('GET', '/v1/users?limit=1', { key: key.key });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe('API key has been revoked');
    });

    it('refuses a key the moment it expires', async () => {
      const expiresAt = new Date(Date.now() + 2000);
      const key = await aKey(admin, { expiresAt });
      await warm(key.key);
      await sleep(expiresAt.getTime() - Date.now() + 100);
      const refused = await reader.api('GET', '/v1/users?limit=1', { key: key.key });
      expect(refused.status).toBe(401);
      expect(refused.body.message).toBe('API key has expired');
    });

    it("answers a user's new time zone on the next request, and 404 once the user is deleted", async () => {
      const user = await aUser(admin, { timezone: 'Europe/Paris' });
      for (let i = 0; i < 2; i++) expect((await reader.api('GET', `/v1/users/${user.id}`)).body.timezone).toBe('Europe/Paris');
      expect((await admin.api('PATCH', `/v1/users/${user.id}`, { body: { timezone: 'Asia/Tokyo' } })).status).toBe(200);
      expect((await reader.api('GET', `/v1/users/${user.id}`)).body.timezone).toBe('Asia/Tokyo');
      expect((await reader.api('GET', `/v1/users/${user.id}/health?limit=1`)).status).toBe(200);
      expect((await admin.api('DELETE', `/v1/users/${user.id}`)).status).toBe(204);
      expect((await reader.api('GET', `/v1/users/${user.id}`)).status).toBe(404);
      expect((await reader.api('GET', `/v1/users/${user.id}/health?limit=1`)).status).toBe(404);
    });
  });
}
