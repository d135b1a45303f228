import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchProviderJson } from '../../src/connections/provider-http.js';
import { ProviderError } from '../../src/providers/provider-error.js';
import { json, startFakeServer, type FakeServer } from '../fakes/fake-server.js';

/**
 * OWASP API10 (unsafe consumption): what a provider answers is untrusted. Oversized, malformed, slow and
 * redirecting answers from a (fake) provider fail the call with a clear ProviderError — which fails the sync
 * step cleanly and is retried — and never hang, exhaust memory or follow the provider elsewhere.
 */
const LIMITS = { maxResponseBytes: 64 * 1024, timeoutMs: 300 };

describe('answers a provider must not get away with', () => {
  let provider: FakeServer;
  let internal: FakeServer;

  beforeAll(async () => {
    // Where a hostile redirect points: it must never be asked anything.
    internal = await startFakeServer((_request, response) => json(response, 200, { secret: 'internal' }));
    provider = await startFakeServer(async (request, response) => {
      switch (request.url.pathname) {
        case '/ok':
          return json(response, 200, { data: [1, 2, 3] });
        case '/announced-huge':
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(LIMITS.maxResponseBytes + 1) });
          return void response.end('{}');
        case '/streamed-huge': {
          // No Content-Length: chunks until the client gives up.
          response.writeHead(200, { 'content-type': 'application/json' });
          const chunk = 'x'.repeat(16 * 1024);
          for (let i = 0; i < 64 && !response.destroyed; i++) response.write(chunk);
          return void response.end();
        }
        case '/slow':
          await new Promise((resolve) => setTimeout(resolve, 2000));
          return json(response, 200, { late: true });
        case '/stalls-mid-body':
          response.writeHead(200, { 'content-type': 'application/json' });
          response.write('{"data": [');
          await new Promise((resolve) => setTimeout(resolve, 2000));
          return void response.end(']}');
        case '/redirect':
          response.writeHead(302, { location: `${internal.url}/latest/meta-data` });
          return void response.end();
        case '/malformed':
          response.writeHead(200, { 'content-type': 'application/json' });
          return void response.end('{"data": [1, 2,');
        default:
          return json(response, 404, {});
      }
    });
  });
  afterAll(async () => {
    await provider?.close();
    await internal?.close();
  });

  const call = (path: string) => fetchProviderJson(`${provider.url}${path}`, 'token', {}, LIMITS);
  const failure = async (path: string) => {
    const error = await call(path).then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ProviderError);
    return error as ProviderError;
  };

  it('reads a normal answer', async () => {
    expect(await call('/ok')).toEqual({ data: [1, 2, 3] });
  });

  it('refuses an oversized answer, announced or streamed, without reading it whole', async () => {
    expect(await failure('/announced-huge')).toMatchObject({
      kind: 'invalid_response',
      message: expect.stringMatching(/larger than 65536 bytes/),
    });
    expect(await failure('/streamed-huge')).toMatchObject({
      kind: 'invalid_response',
      message: expect.stringMatching(/larger than 65536 bytes/),
    });
  });

  it('gives up on a provider that does not answer in time, before or during the body', async () => {
    const started = Date.now();
    expect(await failure('/slow')).toMatchObject({ kind: 'unavailable', message: expect.stringMatching(/did not answer within 300 ms/) });
    expect(await failure('/stalls-mid-body')).toMatchObject({
      kind: 'unavailable',
      message: expect.stringMatching(/did not answer within 300 ms/),
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('does not follow a redirect (here to an internal address)', async () => {
    expect(await failure('/redirect')).toMatchObject({ kind: 'invalid_response', message: expect.stringMatching(/redirect \(302\)/) });
    expect(internal.requests).toHaveLength(0);
  });

  it('refuses a malformed body', async () => {
    expect(await failure('/malformed')).toMatchObject({ kind: 'invalid_response', message: 'provider answer is not JSON' });
  });
});
