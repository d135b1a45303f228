import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  NoSuchKey,
  NotFound as S3NotFound,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import type { S3Config } from '../config.js';
import { NotFound } from '../lib/errors.js';
import { assertStorageKey, type FileStorage } from './storage.js';

/**
 * Multipart parts of 8 MiB, three in flight: an upload holds about 32 MiB whatever its size (S3's minimum part is
 * 5 MiB; 10,000 parts of 8 MiB allow 78 GiB).
 */
const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 3;

function isMissing(error: unknown): boolean {
  return error instanceof NoSuchKey || error instanceof S3NotFound || (error as { name?: string }).name === 'NotFound';
}

/** Objects in an S3-compatible bucket (AWS S3, MinIO, moto…), each under S3_PREFIX. */
export function s3Storage(config: S3Config): FileStorage {
  const client = new S3Client({
    region: config.region,
    endpoint: config.endpoint ?? undefined,
    forcePathStyle: config.forcePathStyle,
    credentials: config.credentials ?? undefined,
  });
  const Bucket = config.bucket;
  const keyOf = (key: string) => {
    assertStorageKey(key);
    return config.prefix + key;
  };
  return {
    kind: 's3',
    async put(key, body, contentType) {
      // lib-storage's Upload reads the stream part by part; when the stream fails it aborts the multipart upload
      // (leavePartsOnError: false), and a body that fails before its first part is full was never sent.
      const upload = new Upload({
        client,
        params: { Bucket, Key: keyOf(key), Body: body, ContentType: contentType },
        partSize: PART_SIZE,
        queueSize: PARTS_IN_FLIGHT,
        leavePartsOnError: false,
      });
      await upload.done();
    },
    async get(key, range) {
      try {
        const answer = await client.send(
          new GetObjectCommand({ Bucket, Key: keyOf(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
        );
        return answer.Body as Readable;
      } catch (error) {
        if (isMissing(error)) throw new NotFound(`file content ${key} not found in storage`);
        throw error;
      }
    },
    async head(key) {
      try {
        const answer = await client.send(new HeadObjectCommand({ Bucket, Key: keyOf(key) }));
        return { size: answer.ContentLength ?? 0 };
      } catch (error) {
        if (isMissing(error)) return null;
        throw error;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: keyOf(key) }));
    },
    async sweepAbandoned(before) {
      let swept = 0;
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      for (;;) {
        const page = await client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: config.prefix, KeyMarker, UploadIdMarker }));
        for (const upload of page.Uploads ?? []) {
          if (!upload.Key || !upload.UploadId || !upload.Initiated || upload.Initiated >= before) continue;
          await client.send(new AbortMultipartUploadCommand({ Bucket, Key: upload.Key, UploadId: upload.UploadId }));
          swept += 1;
        }
        if (!page.IsTruncated) return swept;
        KeyMarker = page.NextKeyMarker;
        UploadIdMarker = page.NextUploadIdMarker;
      }
    },
    async close() {
      client.destroy();
    },
  };
}
