import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { temporalConnectionOptions } from '../../src/jobs/temporal-connection.js';

const optionsFor = (env: Record<string, string>) => {
  const config = loadConfig({ TEMPORAL_ADDRESS: 'temporal.example.com:7233', ...env });
  return temporalConnectionOptions({ ...config.temporal, address: config.temporal.address! });
};

describe('connecting to Temporal', () => {
  it('speaks plain gRPC to a dev server', () => {
    expect(optionsFor({})).toEqual({ address: 'temporal.example.com:7233' });
  });

  it('presents an mTLS client certificate, trusts a private CA and overrides the server name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'temporal-tls-'));
    for (const [file, text] of [
      ['client.pem', 'CERT'],
      ['client.key', 'KEY'],
      ['ca.pem', 'CA'],
    ])
      writeFileSync(join(dir, file!), text!);
    const options = optionsFor({
      TEMPORAL_TLS_CERT: join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY: join(dir, 'client.key'),
      TEMPORAL_TLS_CA: join(dir, 'ca.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'frontend.internal',
    });
    expect(options.tls?.clientCertPair && Buffer.from(options.tls.clientCertPair.crt).toString()).toBe('CERT');
    expect(options.tls?.clientCertPair && Buffer.from(options.tls.clientCertPair.key).toString()).toBe('KEY');
    expect(Buffer.from(options.tls!.serverRootCACertificate!).toString()).toBe('CA');
    expect(options.tls?.serverNameOverride).toBe('frontend.internal');
  });

  it('sends a Temporal Cloud API key over TLS, unless TLS is turned off explicitly', () => {
    expect(optionsFor({ TEMPORAL_API_KEY: 'cloud-key' })).toEqual({ address: 'temporal.example.com:7233', tls: {}, apiKey: 'cloud-key' });
    expect(optionsFor({ TEMPORAL_API_KEY: 'cloud-key', TEMPORAL_TLS: 'false' })).toEqual({
      address: 'temporal.example.com:7233',
      apiKey: 'cloud-key',
    });
  });

  it('refuses to start on half a client certificate, an unreadable file or a bad flag, naming the setting', () => {
    expect(() => optionsFor({ TEMPORAL_TLS_CERT: '/tmp/client.pem' })).toThrow(/TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/);
    expect(() => optionsFor({ TEMPORAL_TLS_CERT: '/nonexistent/client.pem', TEMPORAL_TLS_KEY: '/nonexistent/client.key' })).toThrow(
      /TEMPORAL_TLS_CERT.*\/nonexistent\/client.pem/,
    );
    expect(() => optionsFor({ TEMPORAL_TLS: 'yes' })).toThrow(/TEMPORAL_TLS must be true or false/);
  });
});
