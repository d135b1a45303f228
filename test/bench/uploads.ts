/**
 * The "uploads" suite: one BENCH_UPLOAD_BYTES (2 GiB) upload streamed through the server (`src/main.ts` in a child
 * process, PGlite) to local storage and, when an S3-compatible server is configured (BENCH_S3_ENDPOINT or
 * TEST_S3_ENDPOINT: scripts/services.sh starts moto), to S3 — throughput, and the server's peak RSS growth over
 * its RSS before the upload (sampled from /proc every 50 ms), which must stay flat. Each is compared with a
 * baseline measured in the same run: the same bytes written straight to a file on the same disk, and put straight
 * into the same bucket with the same multipart settings.
 */
import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { newId } from '../../src/lib/ids.js';
import { startLoadServer } from './load-server.js';

export interface UploadRun {
  storage: 'local' | 's3';
  bytes: number;
  seconds: number;
  mbPerSecond: number;
  baselineMbPerSecond: number;
  /** Server RSS before the upload and its peak during it, MB. */
  rssBeforeMb: number;
  rssPeakMb: number;
}

export interface UploadSuiteOptions {
  bytes: number;
  s3: { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string } | null;
  log(line: string): void;
}

const CHUNK = randomBytes(1024 * 1024);
const MB = 1_000_000;

/** `bytes` bytes as 1 MiB chunks (one random MiB, repeated: generating 2 GiB of randomness would be the bench). */
function* payload(bytes: number): Generator<Buffer> {
  for (let sent = 0; sent < bytes; sent += CHUNK.length) yield bytes - sent >= CHUNK.length ? CHUNK : CHUNK.subarray(0, bytes - sent);
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return line ? Number(line[1]) / 1024 : 0;
}

/** Streams `bytes` to the upload route with backpressure, resolving with the answer's status and body. */
function streamUpload(url: string, key: string, bytes: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream', 'content-length': String(bytes) },
    });
    outgoing.on('error', reject);
    outgoing.on('response', (incoming) => {
      let body = '';
      incoming.on('data', (part: Buffer) => (body += part));
      incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, body }));
    });
    pipeline(Readable.from(payload(bytes)), outgoing).catch(reject);
  });
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function measure(storage: 'local' | 's3', options: UploadSuiteOptions, baseline: () => Promise<void>): Promise<UploadRun> {
  const { bytes, s3, log } = options;
  const prefix = `bench-${newId()}/`;
  const env: Record<string, string> =
    storage === 's3' && s3
      ? {
          S3_BUCKET: s3.bucket,
          S3_ENDPOINT: s3.endpoint,
          S3_REGION: s3.region,
          S3_ACCESS_KEY_ID: s3.accessKeyId,
          S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
          S3_FORCE_PATH_STYLE: 'true',
          S3_PREFIX: prefix,
        }
      : { S3_BUCKET: '', S3_ENDPOINT: '', S3_ACCESS_KEY_ID: '', S3_SECRET_ACCESS_KEY: '', S3_FORCE_PATH_STYLE: '', S3_PREFIX: '' };
  const server = await startLoadServer({
    databaseUrl: null,
    redisUrl: null,
    rateLimit: { max: 1_000_000, windowSeconds: 60 },
    env: { ...env, MAX_UPLOAD_BYTES: String(bytes) },
  });
  try {
    const user = await server.call('POST', '/v1/users', { externalId: 'bench-uploads' });
    const rssBeforeMb = rssMb(server.pid);
    let rssPeakMb = rssBeforeMb;
    const sampler = setInterval(() => (rssPeakMb = Math.max(rssPeakMb, rssMb(server.pid))), 50);
    log(`uploads: ${storage}: streaming ${(bytes / 2 ** 30).toFixed(2)} GiB through the server`);
    let answer = { status: 0, body: '' };
    const seconds = await timed(async () => {
      answer = await streamUpload(`${server.url}/v1/users/${user.id}/uploads?filename=bench.bin`, server.adminKey, bytes);
    });
    clearInterval(sampler);
    if (answer.status !== 201) throw new Error(`uploads: ${storage}: ${answer.status} ${answer.body.slice(0, 300)}`);
    const file = JSON.parse(answer.body) as { id: string; size: number; workspaceId?: string };
    if (file.size !== bytes) throw new Error(`uploads: ${storage}: stored ${file.size} bytes of ${bytes}`);
    if (storage === 's3' && s3) {
      // moto keeps objects in memory: the 2 GiB go before the baseline puts its own.
      const client = s3Client(s3);
      const workspace = await server.call('POST', '/graphql', { query: '{ workspace { id } }' });
      await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: `${prefix}${workspace.data.workspace.id}/${file.id}` }));
      client.destroy();
    }
    log(`uploads: ${storage}: baseline`);
    const baselineSeconds = await timed(baseline);
    return {
      storage,
      bytes,
      seconds,
      mbPerSecond: bytes / MB / seconds,
      baselineMbPerSecond: bytes / MB / baselineSeconds,
      rssBeforeMb,
      rssPeakMb,
    };
  } finally {
    await server.stop();
  }
}

function s3Client(s3: NonNullable<UploadSuiteOptions['s3']>): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  });
}

export async function runUploadSuite(options: UploadSuiteOptions): Promise<UploadRun[]> {
  const runs: UploadRun[] = [];
  const folder = await mkdtemp(join(tmpdir(), 'vitasync-bench-copy-'));
  try {
    runs.push(
      await measure('local', options, async () => {
        const target = join(folder, 'copy.bin');
        await pipeline(Readable.from(payload(options.bytes)), createWriteStream(target));
        await rm(target);
      }),
    );
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const { s3 } = options;
  if (!s3) options.log('uploads: S3 skipped (set BENCH_S3_ENDPOINT or TEST_S3_ENDPOINT)');
  else {
    runs.push(
      await measure('s3', options, async () => {
        const client = s3Client(s3);
        const Key = `bench-baseline-${newId()}`;
        // The same part size and parallelism as src/files/s3-storage.ts.
        const upload = new Upload({
          client,
          params: { Bucket: s3.bucket, Key, Body: Readable.from(payload(options.bytes)) },
          partSize: 8 * 1024 * 1024,
          queueSize: 3,
        });
        await upload.done();
        await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key }));
        client.destroy();
      }),
    );
  }
  return runs;
}

export function formatUploadSuite(runs: UploadRun[]): string {
  const lines = ['Uploads (one streamed upload through the server, PGlite; baseline: the same bytes written directly)'];
  lines.push('| storage | size | through the server | baseline | ratio | server RSS before → peak | growth |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const run of runs) {
    lines.push(
      `| ${run.storage === 'local' ? 'local folder' : 'S3 (moto)'} | ${(run.bytes / 2 ** 30).toFixed(2)} GiB | ` +
        `${run.mbPerSecond.toFixed(1)} MB/s (${run.seconds.toFixed(1)} s) | ` +
        `${run.baselineMbPerSecond.toFixed(1)} MB/s (${run.storage === 'local' ? 'file write' : 'direct multipart put'}) | ` +
        `${((run.mbPerSecond / run.baselineMbPerSecond) * 100).toFixed(1)}% | ` +
        `${run.rssBeforeMb.toFixed(0)} → ${run.rssPeakMb.toFixed(0)} MB | ${(run.rssPeakMb - run.rssBeforeMb).toFixed(0)} MB |`,
    );
  }
  return lines.join('\n');
}
