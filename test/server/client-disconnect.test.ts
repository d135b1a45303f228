import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeySecret } from '../../src/auth/key-secret.js';
import { startChildServer, stopChildServer, type ChildHttpServer } from '../helpers/child-server.js';

/** Sends the start of a request, then hangs up before the rest of it (or before the answer). */
function sendAndHangUp(port: number, head: string, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(head + body);
      setTimeout(() => {
        socket.destroy();
        resolve();
      }, 150);
    });
    socket.on('error', reject);
  });
}

describe('a client that hangs up mid-request', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'vitasync-hangup-'));
  const key = generateKeySecret();
  let server: ChildHttpServer;
  beforeAll(async () => {
    server = await startChildServer({ VITASYNC_DATA_DIR: dataDir, HOST: '127.0.0.1', VITASYNC_ADMIN_KEY: key });
  }, 60_000);
  afterAll(async () => {
    if (server) await stopChildServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is logged as 499 with no error line, writes nothing, and the server goes on serving', async () => {
    const requestLines = () =>
      server
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"request"'))
        .map((line) => JSON.parse(line));
    const before = requestLines().length;
    const head = (path: string) =>
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n`;
    await sendAndHangUp(server.port, head('/v1/users'), '{"externalId":"half');
    await sendAndHangUp(server.port, head('/graphql'), '{"query":"mutation { createUser(input: {externalId: \\"half');
    for (let i = 0; i < 50 && requestLines().length < before + 2; i++) await new Promise((resolve) => setTimeout(resolve, 100));

    const cut = requestLines().slice(before);
    expect(cut.map((line) => [line.method, line.path, line.status])).toEqual([
      ['POST', '/v1/users', 499],
      ['POST', '/graphql', 499],
    ]);
    expect(server.output()).not.toMatch(/"level":"error"/);
    const users = await fetch(`http://127.0.0.1:${server.port}/v1/users`, { headers: { authorization: `Bearer ${key}` } });
    expect(users.status).toBe(200);
    expect((await users.json()).data).toEqual([]);
  }, 60_000);
});
