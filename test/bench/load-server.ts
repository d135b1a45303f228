/**
 * The server the load suite drives: `src/main.ts` in a child process, as `npm start` runs it, so autocannon (in the
 * bench process) and the server do not share one event loop. The server logs at the shipped default level (info:
 * one line per request) into a file, as a deployment writing logs to disk would; the file is shown on failure.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeySecret } from '../../src/auth/key-secret.js';

const root = new URL('../..', import.meta.url).pathname;

export interface LoadServer {
  url: string;
  adminKey: string;
  /** The server process (its memory is measured from /proc). */
  pid: number;
  /** A REST or GraphQL call with the admin key (or `key`), answering the parsed JSON body; throws unless 2xx. */
  call(method: string, path: string, body?: unknown, key?: string): Promise<any>;
  /**
   * Requests the server logged as answered since `since` (ms epoch): its own count, including answers autocannon
   * never read because it stopped first. Requests whose client hung up mid-request are logged as 499; they are
   * counted apart (`clientAborted`), as no client received that status.
   */
  answeredSince(since: number): { statuses: Record<string, number>; clientAborted: number };
  stop(): Promise<void>;
}

export interface LoadServerOptions {
  /** postgres://… (a scratch database), or null for the embedded default (PGlite in a fresh data folder). */
  databaseUrl: string | null;
  redisUrl: string | null;
  rateLimit: { max: number; windowSeconds: number };
  /** Reuse an install's admin key (a second instance on the same database). */
  adminKey?: string;
  /** More settings for the server (e.g. storage for the uploads suite). */
  env?: Record<string, string>;
  /** A checkout to run instead of this one (the load suite's baseline build). */
  root?: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilHealthy(url: string, child: ChildProcess, logPath: string): Promise<void> {
  // Generous: on a loaded 2-CPU machine (other suites running) the start alone has taken over a minute.
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the load server did not start:\n${readFileSync(logPath, 'utf8').slice(-4000)}`);
}

export async function startLoadServer(options: LoadServerOptions): Promise<LoadServer> {
  const folder = await mkdtemp(join(tmpdir(), 'vitasync-load-'));
  const logPath = join(folder, 'server.log');
  const logFd = openSync(logPath, 'a');
  const port = await freePort();
  const adminKey = options.adminKey ?? generateKeySecret();
  // BENCH_CPU_PROF=<folder>: each server writes a V8 CPU profile there when it stops (for `--cpu-prof` analysis).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'src/main.ts'], {
    cwd: options.root ?? root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: options.databaseUrl ?? '',
      VITASYNC_DATA_DIR: join(folder, 'data'),
      REDIS_URL: options.redisUrl ?? '',
      TEMPORAL_ADDRESS: '',
      VITASYNC_ADMIN_KEY: adminKey,
      RATE_LIMIT_MAX: String(options.rateLimit.max),
      RATE_LIMIT_WINDOW_SECONDS: String(options.rateLimit.windowSeconds),
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }).then(() => rm(folder, { recursive: true, force: true }));
  try {
    await waitUntilHealthy(url, child, logPath);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    adminKey,
    pid: child.pid!,
    call: async (method, path, body, key = adminKey) => {
      const response = await fetch(url + path, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text.slice(0, 500)}`);
      return text ? JSON.parse(text) : null;
    },
    answeredSince: (since) => {
      type Entry = { msg?: string; time?: string; status?: number };
      const entries = readFileSync(logPath, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Entry);
      const statuses: Record<string, number> = {};
      let clientAborted = 0;
      for (const entry of entries) {
        if (entry.msg !== 'request' || Date.parse(entry.time!) < since) continue;
        if (entry.status === 499) clientAborted += 1;
        else statuses[entry.status!] = (statuses[entry.status!] ?? 0) + 1;
      }
      return { statuses, clientAborted };
    },
    stop,
  };
}
