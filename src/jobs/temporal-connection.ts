import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { TemporalConfig } from '../config.js';

/**
 * How the API server (client Connection) and the workers (NativeConnection) reach Temporal: the address, TLS
 * (mTLS client certificate, a private CA, an SNI override) and a Temporal Cloud API key. Files are read once, at
 * start-up, so a missing one stops the process with its path rather than failing the first workflow.
 */
export function temporalConnectionOptions(settings: Pick<TemporalConfig, 'tls' | 'apiKey'> & { address: string }): {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
} {
  const read = (path: string, what: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`cannot read the Temporal ${what} at ${path}: ${(error as Error).message}`, { cause: error });
    }
  };
  const { tls } = settings;
  return {
    address: settings.address,
    ...(tls && {
      tls: {
        ...(tls.certPath &&
          tls.keyPath && {
            clientCertPair: {
              crt: read(tls.certPath, 'client certificate (TEMPORAL_TLS_CERT)'),
              key: read(tls.keyPath, 'client key (TEMPORAL_TLS_KEY)'),
            },
          }),
        ...(tls.caPath && { serverRootCACertificate: read(tls.caPath, 'CA certificate (TEMPORAL_TLS_CA)') }),
        ...(tls.serverName && { serverNameOverride: tls.serverName }),
      },
    }),
    ...(settings.apiKey && { apiKey: settings.apiKey }),
  };
}
