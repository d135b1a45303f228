import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aKey, asKey, aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

const USER_FIELDS = 'id externalId email timezone metadata createdAt updatedAt';
const CREATE_USER = `mutation ($externalId: String!, $email: String, $timezone: String, $metadata: JSON) {
  createUser(externalId: $externalId, email: $email, timezone: $timezone, metadata: $metadata) { ${USER_FIELDS} }
}`;
const UPDATE_USER = `mutation ($userId: ID!, $email: String, $metadata: JSON) {
  updateUser(userId: $userId, email: $email, metadata: $metadata) { ${USER_FIELDS} }
}`;
const USER = `query ($userId: ID!) { user(userId: $userId) { ${USER_FIELDS} } }`;
const USERS = `query ($limit: Int, $offset: Int, $cursor: String) {
  users(limit: $limit, offset: $offset, cursor: $cursor) { data { externalId } total limit offset nextCursor }
}`;

/** The extensions.code of each error, in order. */
const codes = (body: any): string[] => (body.errors ?? []).map((error: any) => error.extensions?.code);

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`GraphQL on ${engine}`, () => {
    let t: TestServer;
    beforeAll(async () => {
      t = await startTestServer(engine);
    });
    afterAll(() => t?.close());

    it('lists users with offset page fields and follows nextCursor to a null one', async () => {
      const other = await t.newWorkspace('GraphQL paging');
      for (const externalId of ['g0', 'g1', 'g2', 'g3', 'g4']) {
        expect((await t.graphql(CREATE_USER, { externalId }, other.adminKey)).body.errors).toBeUndefined();
      }
      const offsetPage = await t.graphql(USERS, { limit: 2, offset: 2 }, other.adminKey);
      expect(offsetPage.status).toBe(200);
      expect(offsetPage.body).toEqual({
        data: {
          users: { data: [{ externalId: 'g2' }, { externalId: 'g3' }], total: 5, limit: 2, offset: 2, nextCursor: expect.any(String) },
        },
      });

      const first = await t.graphql(USERS, { limit: 3 }, other.adminKey);
      const second = await t.graphql(USERS, { limit: 3, cursor: first.body.data.users.nextCursor }, other.adminKey);
      expect(second.body.data.users).toEqual({
        data: [{ externalId: 'g3' }, { externalId: 'g4' }],
        total: null,
        limit: 3,
        offset: null,
        nextCursor: null,
      });
    });

    it('creates a user, finds the same one on a repeated externalId, gets it by userId, updates and deletes it', async () => {
      const created = await t.graphql(CREATE_USER, {
        externalId: 'gq-alice',
        email: 'alice@example.com',
        timezone: 'Europe/Berlin',
        metadata: { plan: 'pro' },
      });
      expect(created.status).toBe(200);
      const user = created.body.data.createUser;
      expect(user).toMatchObject({
        externalId: 'gq-alice',
        email: 'alice@example.com',
        timezone: 'Europe/Berlin',
        metadata: { plan: 'pro' },
      });
      expect(user.id).toMatch(ULID);
      expect((await t.graphql(CREATE_USER, { externalId: 'gq-alice', timezone: 'UTC' })).body.data.createUser).toEqual(user);
      expect((await t.graphql(USER, { userId: user.id })).body).toEqual({ data: { user } });

      const updated = await t.graphql(UPDATE_USER, { userId: user.id, metadata: { plan: 'team' } });
      expect(updated.body.data.updateUser).toMatchObject({
        id: user.id,
        email: 'alice@example.com',
        timezone: 'Europe/Berlin',
        metadata: { plan: 'team' },
      });
      expect(codes((await t.graphql(UPDATE_USER, { userId: user.id, email: 'not-an-email' })).body)).toEqual(['UNPROCESSABLE_ENTITY']);

      const deleted = await t.graphql('mutation ($userId: ID!) { deleteUser(userId: $userId) }', { userId: user.id });
      expect(deleted.body).toEqual({ data: { deleteUser: true } });
      expect(codes((await t.graphql(USER, { userId: user.id })).body)).toEqual(['NOT_FOUND']);
    });

    it('creates an API key whose secret is returned once and works at once', async () => {
      const created = await t.graphql(
        'mutation { createApiKey(name: "gql reader", scope: read) { id name scope prefix key expiresAt createdAt } }',
      );
      const key = created.body.data.createApiKey;
      expect(key).toMatchObject({ name: 'gql reader', scope: 'read', expiresAt: null });
      expect(key.key).toMatch(/^vs_live_[A-Za-z0-9_-]{43}$/);
      const listed = await t.graphql('{ apiKeys(limit: 500) { data { id name prefix lastUsedAt } } }');
      expect(listed.body.data.apiKeys.data).toContainEqual({ id: key.id, name: 'gql reader', prefix: key.prefix, lastUsedAt: null });
      expect((await t.graphql('{ users { limit } }', {}, key.key)).body).toEqual({ data: { users: { limit: 50 } } });
      // The list type has no secret to ask for: the query does not validate.
      const secretAsked = await t.graphql('{ apiKeys { data { key } } }');
      expect(secretAsked.body.data).toBeUndefined();
      expect(secretAsked.body.errors[0].message).toMatch(/Cannot query field "key"/);
    });

    it('lists the providers of the install with their page fields', async () => {
      const response = await t.graphql('{ providers { data { id name authKind dataTypes configured } total limit offset nextCursor } }');
      expect(response.status).toBe(200);
      const page = response.body.data.providers;
      expect(page).toMatchObject({ total: page.data.length, limit: 50, offset: 0, nextCursor: null });
      expect(page.data).toContainEqual(expect.objectContaining({ id: 'demo', name: 'VitaSync Demo', configured: expect.any(Boolean) }));
      expect(page.data.map((p: any) => p.id)).toEqual([...page.data.map((p: any) => p.id)].sort());
    });

    it('answers NOT_FOUND for an unknown user, and for a user of another workspace', async () => {
      const other = await t.newWorkspace();
      const theirs = await aUser(asKey(t, other.adminKey));
      for (const userId of [UNKNOWN_ID, theirs.id]) {
        const response = await t.graphql(USER, { userId });
        expect(response.status).toBe(200);
        expect(response.body.data).toBeNull();
        expect(response.body.errors).toEqual([
          { message: expect.stringContaining(userId), path: ['user'], locations: expect.any(Array), extensions: { code: 'NOT_FOUND' } },
        ]);
      }
    });

    it('answers UNAUTHENTICATED without a key and FORBIDDEN to a read key calling createUser', async () => {
      expect(codes((await t.graphql('{ users { total } }', {}, null)).body)).toEqual(['UNAUTHENTICATED']);
      expect(codes((await t.graphql(CREATE_USER, { externalId: 'anon' }, null)).body)).toEqual(['UNAUTHENTICATED']);
      const read = (await aKey(t, { scope: 'read' })).key;
      const denied = await t.graphql(CREATE_USER, { externalId: 'by-reader' }, read);
      expect(codes(denied.body)).toEqual(['FORBIDDEN']);
      expect(denied.body.data).toBeNull();
      expect(
        codes(
          (await t.graphql('mutation { createApiKey(name: "x", scope: admin) { key } }', {}, (await aKey(t, { scope: 'write' })).key)).body,
        ),
      ).toEqual(['FORBIDDEN']);
      const users = await t.graphql(USERS, { limit: 500 });
      expect(users.body.data.users.data.map((u: any) => u.externalId)).not.toContain('by-reader');
    });

    it('answers UNPROCESSABLE_ENTITY for a bad timezone or scope and BAD_REQUEST for a bad limit, cursor or query', async () => {
      const badZone = await t.graphql(CREATE_USER, { externalId: 'mars', timezone: 'Mars/Base' });
      expect(codes(badZone.body)).toEqual(['UNPROCESSABLE_ENTITY']);
      expect(badZone.body.errors[0].message).toContain('Mars/Base');
      const badScope = await t.graphql('mutation ($scope: ApiKeyScope!) { createApiKey(name: "x", scope: $scope) { key } }', {
        scope: 'root',
      });
      expect(codes(badScope.body)).toEqual(['UNPROCESSABLE_ENTITY']);
      for (const variables of [{ limit: 0 }, { limit: 501 }, { limit: 'ten' }, { offset: -1 }, { cursor: 'forged' }]) {
        expect(codes((await t.graphql(USERS, variables)).body), JSON.stringify(variables)).toEqual(['BAD_REQUEST']);
      }
      expect(codes((await t.graphql('{ users {')).body)).toEqual(['BAD_REQUEST']);
    });

    it('gives a value written inline in the query the same error code as the same value passed as a variable', async () => {
      const pairs: [string, string, Record<string, unknown>][] = [
        [
          'mutation { createApiKey(name: "x", scope: root) { key } }',
          'mutation ($s: ApiKeyScope!) { createApiKey(name: "x", scope: $s) { key } }',
          { s: 'root' },
        ],
        ['{ users(limit: "ten") { limit } }', 'query ($l: Int) { users(limit: $l) { limit } }', { l: 'ten' }],
        [
          'mutation { createApiKey(name: "x", scope: read, expiresAt: "2099-01-01T00:00:00") { id } }',
          'mutation ($a: DateTime) { createApiKey(name: "x", scope: read, expiresAt: $a) { id } }',
          { a: '2099-01-01T00:00:00' },
        ],
      ];
      for (const [inline, withVariable, variables] of pairs) {
        const expected = codes((await t.graphql(withVariable, variables)).body);
        expect(expected, withVariable).toEqual([expect.stringMatching(/^(BAD_REQUEST|UNPROCESSABLE_ENTITY)$/)]);
        expect(codes((await t.graphql(inline)).body), inline).toEqual(expected);
      }
      // A query naming a field that does not exist is a malformed request like any other.
      expect(codes((await t.graphql('{ users { nope } }')).body)).toEqual(['BAD_REQUEST']);
    });

    it('answers HTTP 401 with an UNAUTHENTICATED error for an invalid or malformed key', async () => {
      for (const key of ['vs_live_' + 'A'.repeat(43), 'not-a-key']) {
        const response = await t.graphql('{ users { total } }', {}, key);
        expect(response.status).toBe(401);
        expect(response.body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
      }
    });

    it('serialises DateTime fields as ISO 8601 UTC with milliseconds, whatever zone the input had', async () => {
      const user = (await t.graphql(CREATE_USER, { externalId: 'dates' })).body.data.createUser;
      expect(user.createdAt).toMatch(ISO_UTC);
      expect(user.updatedAt).toMatch(ISO_UTC);
      const created = await t.graphql(
        'mutation ($at: DateTime) { createApiKey(name: "dated", scope: read, expiresAt: $at) { expiresAt createdAt } }',
        {
          at: '2099-06-15T11:30:00+02:00',
        },
      );
      expect(created.body.data.createApiKey).toEqual({ expiresAt: '2099-06-15T09:30:00.000Z', createdAt: expect.stringMatching(ISO_UTC) });
      const zoneless = await t.graphql('mutation ($at: DateTime) { createApiKey(name: "zoneless", scope: read, expiresAt: $at) { id } }', {
        at: '2099-06-15T09:30:00',
      });
      expect(codes(zoneless.body)).toEqual(['BAD_REQUEST']);
      expect(zoneless.body.errors[0].message).toMatch(/with a zone/);
    });

    it('never shows a stack trace or an internal error message', async () => {
      const responses = await Promise.all([
        t.graphql('{ users { nope } }'),
        t.graphql('{ users {'),
        t.graphql(USER, { userId: UNKNOWN_ID }),
        t.graphql(USERS, { limit: 'ten' }),
        t.graphql(CREATE_USER, { externalId: 'mars', timezone: 'Mars/Base' }),
        t.graphql('mutation { createApiKey(name: "x", scope: read, expiresAt: "yesterday") { id } }'),
        // PostgreSQL refuses NUL in text: malformed input (400), not a database error the client may see.
        t.graphql(CREATE_USER, { externalId: 'nul\u0000byte' }),
      ]);
      for (const response of responses) {
        const text = JSON.stringify(response.body);
        expect(response.body.errors?.length, text).toBeGreaterThan(0);
        expect(text).not.toMatch(/stack|at .*\.(ts|js):\d+|prisma|invalid byte sequence|0x00/i);
        for (const error of response.body.errors) expect(error.extensions.code).toMatch(/^[A-Z_]+$/);
      }
      expect(responses.at(-1)!.body.errors[0]).toMatchObject({
        message: 'text must not contain the NUL character (U+0000)',
        extensions: { code: 'BAD_REQUEST' },
      });
    });
  });
}
