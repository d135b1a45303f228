import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('storage and upload settings', () => {
  it('keeps files in a folder under the data directory by default, with a 2 GiB upload limit and 15-minute URLs', () => {
    const { files } = loadConfig({ VITASYNC_DATA_DIR: '/srv/vitasync' });
    expect(files).toMatchObject({ dir: '/srv/vitasync/files', s3: null, maxUploadBytes: 2 ** 31, downloadUrlTtlSeconds: 900 });
    expect(loadConfig({ VITASYNC_FILES_DIR: 'elsewhere' }).files.dir).toBe(resolve('elsewhere'));
  });

  it('stores in S3 when S3_BUCKET is set, with its endpoint, region, credentials, path style and prefix', () => {
    const { files } = loadConfig({
      S3_BUCKET: 'health-files',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_REGION: 'eu-west-1',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      S3_FORCE_PATH_STYLE: 'true',
      S3_PREFIX: 'prod/',
    });
    expect(files.s3).toEqual({
      bucket: 'health-files',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
      forcePathStyle: true,
      prefix: 'prod/',
    });
    expect(loadConfig({ S3_BUCKET: 'b' }).files.s3).toMatchObject({
      region: 'us-east-1',
      credentials: null,
      forcePathStyle: false,
      prefix: '',
    });
  });

  it.each([
    [{ S3_ENDPOINT: 'http://minio:9000' }, /S3_ENDPOINT set without S3_BUCKET/],
    [{ S3_BUCKET: 'b', S3_ENDPOINT: 'minio:9000' }, /S3_ENDPOINT must be an http:\/\/ or https:\/\/ URL/],
    [{ S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' }, /S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/],
    [{ S3_BUCKET: 'b', S3_FORCE_PATH_STYLE: 'yes' }, /S3_FORCE_PATH_STYLE must be true or false/],
    [{ S3_BUCKET: 'b', S3_PREFIX: '/abs' }, /S3_PREFIX must not start with "\/"/],
    [{ MAX_UPLOAD_BYTES: '2GB' }, /MAX_UPLOAD_BYTES must be an integer ≥ 1/],
    [{ DOWNLOAD_URL_TTL_SECONDS: '0' }, /DOWNLOAD_URL_TTL_SECONDS must be an integer ≥ 1/],
    [{ UPLOAD_MIN_BYTES_PER_INTERVAL: '-1' }, /UPLOAD_MIN_BYTES_PER_INTERVAL must be an integer ≥ 1/],
  ])('refuses %j at start-up', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
