import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type FilesConfig } from '../../src/config.js';
import { signDownloadToken } from '../../src/files/download-token.js';
import { asKey, aUser } from '../factories/index.js';
import { engineAvailable, type Engine } from '../helpers/engines.js';
import { rawUpload } from '../helpers/raw-upload.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { scratchFiles, storageAvailable, type StorageKind } from '../helpers/storages.js';

const CASES: { name: string; storage: StorageKind; engine: Engine }[] = [
  { name: 'local storage on PGlite', storage: 'local', engine: 'pglite' },
  { name: 'local storage on PostgreSQL', storage: 'local', engine: 'postgres' },
  { name: 'S3 storage on PGlite', storage: 's3', engine: 'pglite' },
];

const MAX_UPLOAD = 1024 * 1024;
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const chunksOf = (bytes: Buffer, size = 64 * 1024) =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

for (const { name, storage, engine } of CASES) {
  describe.skipIf(!storageAvailable(storage) || !engineAvailable(engine))(`files over REST with ${name}`, () => {
    let t: TestServer;
    let files: FilesConfig;
    let drop: () => Promise<void>;
    beforeAll(async () => {
      const scratch = await scratchFiles(storage);
      drop = scratch.drop;
      files = { ...loadConfig({}).files, ...scratch.files, maxUploadBytes: MAX_UPLOAD };
      t = await startTestServer(engine, { files });
    });
    afterAll(async () => {
      await t?.close();
      await drop?.();
    });

    /** Every object the storage holds (the scratch folder or the scratch prefix). */
    async function storedObjects(): Promise<string[]> {
      if (!files.s3)
        return (await readdir(files.dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
      const client = new S3Client({ ...files.s3, endpoint: files.s3.endpoint!, credentials: files.s3.credentials! });
      const listed = await client.send(new ListObjectsV2Command({ Bucket: files.s3.bucket, Prefix: files.s3.prefix }));
      client.destroy();
      return (listed.Contents ?? []).map((object) => object.Key!);
    }
    const newUser = async (key = t.adminKey) => (await aUser(asKey(t, key))).id;
    async function upload(userId: string, bytes: Buffer, headers: Record<string, string> = {}, query = '?filename=steps.csv') {
      return fetch(`${t.url}/v1/users/${userId}/uploads${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'text/csv', ...headers },
        body: new Uint8Array(bytes),
      });
    }

    it('stores an upload and serves its metadata, with a signed download URL, on REST and GraphQL', async () => {
      const userId = await newUser();
      const bytes = randomBytes(200_000);
      const answer = await upload(userId, bytes);
      expect(answer.status).toBe(201);
      const created = await answer.json();
      expect(created).toMatchObject({ userId, name: 'steps.csv', contentType: 'text/csv', size: bytes.length, sha256: sha256(bytes) });
      const got = await t.api('GET', `/v1/files/${created.id}`);
      expect(got.status).toBe(200);
      expect(got.body).toMatchObject({ id: created.id, name: 'steps.csv', size: bytes.length, sha256: sha256(bytes) });
      expect(got.body.downloadUrl).toMatch(new RegExp(`/v1/files/${created.id}/content\\?token=`));
      expect(Date.parse(got.body.downloadUrlExpiresAt) - Date.now()).toBeGreaterThan(800_000);
      const graphql = await t.graphql('query ($id: ID!) { file(fileId: $id) { name size contentType } }', { id: created.id });
      expect(graphql.body.data.file).toEqual({ name: 'steps.csv', size: bytes.length, contentType: 'text/csv' });
    });

    it('streams the content with its type, name, length, ETag and byte ranges (206, 416)', async () => {
      const bytes = randomBytes(10_000);
      const created = await (
        await upload(await newUser(), bytes, { 'content-disposition': `attachment; filename*=UTF-8''Schlaf%20M%C3%A4rz.csv` }, '')
      ).json();
      expect(created.name).toBe('Schlaf März.csv');
      const whole = await fetch(created.downloadUrl);
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer())).toEqual(bytes);
      expect(
        Object.fromEntries(
          ['content-type', 'content-length', 'etag', 'accept-ranges', 'content-disposition'].map((h) => [h, whole.headers.get(h)]),
        ),
      ).toEqual({
        'content-type': 'text/csv',
        'content-length': '10000',
        etag: `"${sha256(bytes)}"`,
        'accept-ranges': 'bytes',
        'content-disposition': `attachment; filename="Schlaf M_rz.csv"; filename*=UTF-8''Schlaf%20M%C3%A4rz.csv`,
      });

      const part = await fetch(created.downloadUrl, { headers: { range: 'bytes=100-199' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe('bytes 100-199/10000');
      expect(Buffer.from(await part.arrayBuffer())).toEqual(bytes.subarray(100, 200));
      const suffix = await fetch(created.downloadUrl, { headers: { range: 'bytes=-10' } });
      expect([suffix.status, suffix.headers.get('content-range')]).toEqual([206, 'bytes 9990-9999/10000']);
      expect(Buffer.from(await suffix.arrayBuffer())).toEqual(bytes.subarray(9990));
      const stale = await fetch(created.downloadUrl, { headers: { range: 'bytes=0-9', 'if-range': '"another"' } });
      expect(stale.status).toBe(200);
      await stale.arrayBuffer();

      const outside = await fetch(created.downloadUrl, { headers: { range: 'bytes=10000-' } });
      expect(outside.status).toBe(416);
      expect(outside.headers.get('content-range')).toBe('bytes */10000');
      expect(await outside.json()).toMatchObject({ statusCode: 416, error: 'Range Not Satisfiable' });

      const head = await fetch(created.downloadUrl, { method: 'HEAD' });
      expect([head.status, head.headers.get('content-length'), head.headers.get('etag')]).toEqual([200, '10000', `"${sha256(bytes)}"`]);
      expect(await head.text()).toBe('');
    });

    it('answers 401 for a missing, altered or other file’s token and 403 for an expired one', async () => {
      const userId = await newUser();
      const first = await (await upload(userId, Buffer.from('a,b\n1,2\n'))).json();
      const second = await (await upload(userId, Buffer.from('c\n3\n'))).json();
      const url = new URL(first.downloadUrl);
      const token = url.searchParams.get('token')!;
      const status = async (query: string) => {
        const answer = await fetch(`${t.url}/v1/files/${first.id}/content${query}`);
        return [answer.status, (await answer.json()).statusCode];
      };
      expect(await status('')).toEqual([401, 401]);
      expect(await status(`?token=${token.slice(0, -2)}xx`)).toEqual([401, 401]);
      expect(await status(`?token=${new URL(second.downloadUrl).searchParams.get('token')}`)).toEqual([401, 401]);
      const workspaceId = (await t.server.database.prisma.storedFile.findUniqueOrThrow({ where: { id: first.id } })).workspaceId;
      const expired = signDownloadToken(first.id, workspaceId, new Date(Date.now() - 1000));
      expect(await status(`?token=${encodeURIComponent(expired)}`)).toEqual([403, 403]);
    });

    it('answers 404 to another workspace for its files and its users, and stores nothing for them', async () => {
      const mine = await (await upload(await newUser(), Buffer.from('mine'))).json();
      const other = await t.newWorkspace();
      expect((await t.api('GET', `/v1/files/${mine.id}`, { key: other.adminKey })).status).toBe(404);
      const theirUser = await newUser(other.adminKey);
      const before = await storedObjects();
      const answer = await upload(theirUser, Buffer.from('not yours'));
      expect(answer.status).toBe(404);
      expect(await answer.json()).toMatchObject({ statusCode: 404, message: `user ${theirUser} not found` });
      expect((await upload('01JZ0000000000000000000000', Buffer.from('nobody'))).status).toBe(404);
      expect(await storedObjects()).toEqual(before);
    });

    it('answers 413 to an upload over MAX_UPLOAD_BYTES, declared or streamed, and keeps nothing of it', async () => {
      const userId = await newUser();
      const rowsBefore = await t.server.database.prisma.storedFile.count();
      const before = await storedObjects();
      const headers = { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/octet-stream' };
      const path = `${t.url}/v1/users/${userId}/uploads?filename=big.bin`;
      const bytes = randomBytes(MAX_UPLOAD * 3);
      const streamed = await rawUpload(path, { headers: { ...headers, 'transfer-encoding': 'chunked' }, chunks: chunksOf(bytes) });
      expect(streamed.status).toBe(413);
      expect(streamed.body).toMatchObject({
        statusCode: 413,
        error: 'Payload Too Large',
        message: expect.stringContaining('MAX_UPLOAD_BYTES'),
      });
      const declared = await rawUpload(path, { headers: { ...headers, 'content-length': String(bytes.length) }, chunks: chunksOf(bytes) });
      expect(declared.status).toBe(413);
      expect(await storedObjects()).toEqual(before);
      expect(await t.server.database.prisma.storedFile.count()).toBe(rowsBefore);
      // Exactly the limit is taken.
      expect((await upload(userId, bytes.subarray(0, MAX_UPLOAD))).status).toBe(201);
    }, 30_000);

    it('removes a user’s files, rows and contents, when the user is deleted', async () => {
      const userId = await newUser();
      const before = await storedObjects();
      const created = await (await upload(userId, Buffer.from('gone soon'))).json();
      expect((await storedObjects()).length).toBe(before.length + 1);
      expect((await t.api('DELETE', `/v1/users/${userId}`)).status).toBe(204);
      expect((await t.api('GET', `/v1/files/${created.id}`)).status).toBe(404);
      expect((await fetch(created.downloadUrl)).status).toBe(404);
      expect(await storedObjects()).toEqual(before);
    });

    it('answers 400 naming filename for a name with a path in it', async () => {
      const answer = await upload(await newUser(), Buffer.from('x'), {}, '?filename=..%2Fetc%2Fpasswd');
      expect(answer.status).toBe(400);
      expect((await answer.json()).message).toMatch(/^filename "\.\.\/etc\/passwd" is not a file name/);
    });
  });
}
