import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FilesConfig, S3Config } from '../../src/config.js';
import { newId } from '../../src/lib/ids.js';

/** The storage backends a suite runs on: always a local folder, and the S3-compatible server when TEST_S3_* is set. */
export const STORAGES = ['local', 's3'] as const;
export type StorageKind = (typeof STORAGES)[number];

const env = process.env;

/** The S3-compatible test server (scripts/services.sh starts moto), or null when it is not configured. */
export const testS3: S3Config | null = env.TEST_S3_ENDPOINT
  ? {
      bucket: env.TEST_S3_BUCKET ?? 'vitasync-test',
      endpoint: env.TEST_S3_ENDPOINT,
      region: env.TEST_S3_REGION ?? 'us-east-1',
      credentials: { accessKeyId: env.TEST_S3_ACCESS_KEY_ID ?? 'test', secretAccessKey: env.TEST_S3_SECRET_ACCESS_KEY ?? 'test' },
      forcePathStyle: true,
      prefix: '',
    }
  : null;

export function storageAvailable(kind: StorageKind): boolean {
  return kind === 'local' || testS3 !== null;
}

/**
 * Storage settings of one test's own: an empty temporary folder, or a fresh key prefix in the test bucket, so no
 * test sees another's files. `drop` removes the folder (objects under a prefix are left to the in-memory server).
 */
export async function scratchFiles(kind: StorageKind): Promise<{ files: Pick<FilesConfig, 'dir' | 's3'>; drop(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'vitasync-files-'));
  const s3 = kind === 's3' && testS3 ? { ...testS3, prefix: `test-${newId()}/` } : null;
  if (kind === 's3' && !s3) throw new Error('TEST_S3_ENDPOINT is not set');
  return { files: { dir, s3 }, drop: () => rm(dir, { recursive: true, force: true }) };
}
