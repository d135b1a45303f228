import { spawn, type ChildProcess } from 'node:child_process';
import { seedPgliteFolder } from './pglite-snapshot.js';

const root = new URL('../..', import.meta.url).pathname;

export interface ChildServer {
  child: ChildProcess;
  output(): string;
}

export interface ChildHttpServer extends ChildServer {
  /** The port the server bound: tests pass PORT=0 so the OS picks a free one and no two runs collide. */
  port: number;
}

/**
 * Starts `src/main.ts` as `npm start` does, in a child process, resolving once it listens. `preload` names
 * modules (from the repository root) imported first, e.g. a test's domain event consumer.
 */
export async function startChildServer(env: Record<string, string>, preload: string[] = []): Promise<ChildHttpServer> {
  // A PGlite folder not made yet starts as the migrated database (helpers/pglite-snapshot.ts), not from initdb.
  if (env.VITASYNC_DATA_DIR && !env.DATABASE_URL) await seedPgliteFolder(env.VITASYNC_DATA_DIR);
  const server = await startChild('src/main.ts', 'vitasync listening', { PORT: '0', ...env }, preload);
  const listening = server
    .output()
    .split('\n')
    .find((line) => line.includes('"vitasync listening"'));
  const port = listening ? Number(JSON.parse(listening).port) : NaN;
  if (!Number.isInteger(port) || port <= 0) throw new Error(`no listening port in:\n${server.output()}`);
  return { ...server, port };
}

/** Starts `workflows/worker.ts` as `npm run worker` does, resolving once it polls its task queue. */
export function startChildWorker(env: Record<string, string>): Promise<ChildServer> {
  return startChild('workflows/worker.ts', 'temporal worker ready', env);
}

function startChild(script: string, readyLine: string, env: Record<string, string>, preload: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', ...preload.flatMap((module) => ['--import', `./${module}`]), script], {
    cwd: root,
    // The embedded default unless a test says otherwise: CI's service URLs must not leak into the child.
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', TEMPORAL_ADDRESS: '', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${output}`)), 45_000);
    const check = setInterval(() => {
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        clearInterval(check);
        // The key banner is written right after the listening log line.
        setTimeout(() => resolve({ child, output: () => output }), 200);
      }
    }, 50);
    child.on('exit', (code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`${script} exited with ${code}:\n${output}`));
    });
  });
}

/** Stops a child server: SIGTERM for a clean stop, SIGKILL for a crash. */
export function stopChildServer(server: ChildServer, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    // A child that already ended (by exit or by a signal) emits no more 'exit'.
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.on('exit', () => resolve());
    server.child.kill(signal);
  });
}
