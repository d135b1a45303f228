import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** OWASP API4: a client that never finishes sending its request (slow loris) is cut after REQUEST_TIMEOUT_MS. */
describe('a slow client', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite', { requestTimeoutMs: 1000 });
  });
  afterAll(() => t?.close());

  it('is answered 408 and disconnected when its request is not complete in time', async () => {
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
    expect((await t.api('GET', '/v1/users')).body.data).toEqual([]);
  });
});
