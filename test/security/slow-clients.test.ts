import { readdir } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** OWASP API4: a client that never finishes sending its request (slow loris) is cut after REQUEST_TIMEOUT_MS. */
describe('a slow client', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite', { requestTimeoutMs: 1000 });
    t.server.config.files.uploadProgress = { intervalMs: 300, minBytesPerInterval: 1000 };
  });
  afterAll(() => t?.close());

  /** Writes `head`, then `chunks` one every `everyMs`, then waits; resolves with all the server sent when it closes. */
  function converse(head: string, chunks: Buffer[] = [], everyMs = 100): Promise<string> {
    const { port } = new URL(t.url);
    return new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(head);
        let sent = 0;
        const next = setInterval(() => {
          if (sent === chunks.length || socket.destroyed) return clearInterval(next);
          socket.write(chunks[sent++]!);
        }, everyMs);
      });
      let received = '';
      socket.on('data', (chunk) => (received += chunk));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
  }
  const uploadHead = (userId: string, length: number) =>
    `POST /v1/users/${userId}/uploads?filename=slow.bin HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\n` +
    `Content-Type: application/octet-stream\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;

  it('leaves no listener behind on a kept-alive connection after each of its requests', async () => {
    // The server runs in this process: a listener piling up per request on its socket shows as Node's warning.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    try {
      for (let i = 0; i < 15; i++) {
        await new Promise<void>((resolve, reject) => {
          const outgoing = request(`${t.url}/v1/users`, {
            method: 'POST',
            agent,
            headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' },
          });
          outgoing.on('socket', (socket) => sockets.add(socket));
          outgoing.on('response', (incoming) => incoming.resume().on('end', resolve));
          outgoing.on('error', reject);
          outgoing.end(JSON.stringify({ externalId: `kept-alive-${i}` }));
        });
      }
      await new Promise((settle) => setTimeout(settle, 50));
    } finally {
      agent.destroy();
      process.off('warning', onWarning);
    }
    expect(sockets.size).toBe(1);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('is answered 408 and disconnected when its headers are not complete in time', async () => {
    const started = Date.now();
    const answer = await converse(`GET /v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('may take longer than REQUEST_TIMEOUT_MS over an upload that keeps moving', async () => {
    const userId = (await t.api('POST', '/v1/users', { body: { externalId: 'slow-but-steady' } })).body.id;
    const chunks = Array.from({ length: 25 }, () => Buffer.alloc(2000, 7));
    const started = Date.now();
    const answer = await converse(uploadHead(userId, 50_000), chunks);
    expect(Date.now() - started).toBeGreaterThan(2000);
    expect(answer).toMatch(/^HTTP\/1\.1 201/);
    expect(answer).toContain('"size":50000');
  });

  it('is cut with 408 when its upload stalls, and nothing of the upload is kept', async () => {
    const userId = (await t.api('POST', '/v1/users', { body: { externalId: 'stalled' } })).body.id;
    const filesIn = async () =>
      (await readdir(t.server.config.files.dir, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile()).length;
    const before = await filesIn();
    const started = Date.now();
    const answer = await converse(uploadHead(userId, 1_000_000), [Buffer.alloc(5000, 1)]);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5000);
    await new Promise((settle) => setTimeout(settle, 200));
    expect(await t.server.database.prisma.storedFile.count({ where: { userId } })).toBe(0);
    expect(await filesIn()).toBe(before);
  });

  it('is answered 408 and disconnected when its request is not complete in time', async () => {
    const usersBefore = (await t.api('GET', '/v1/users')).body.total;
    const { port } = new URL(t.url);
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        // Headers, then a body that never arrives in full.
        socket.write(
          `POST /v1/users HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${t.adminKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"ext`,
        );
      });
      let received = '';
      socket.on('data', (chunk) => (received += chunk));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5000);
    // Nothing was created from the partial body.
    expect((await t.api('GET', '/v1/users')).body.total).toBe(usersBefore);
  });
});
