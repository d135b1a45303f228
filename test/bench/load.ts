/**
 * The load suite of `npm run bench`: autocannon against the real server (src/main.ts in a child process) on a REST
 * read, a REST write (real inserts) and a GraphQL read, at each connection count, on PGlite (the embedded default,
 * on disk) and PostgreSQL. The throughput runs set the rate limit out of reach (the limiter still counts every
 * request). Then the rate limiter under load: one instance with a low limit, and two instances sharing Redis —
 * with, as a control, the same two instances without Redis — each answering only 2xx or 429, with the RateLimit
 * headers (and Retry-After on 429) checked on every response autocannon receives.
 *
 * Environment: BENCH_LOAD_SECONDS (5), BENCH_LOAD_CONNECTIONS ("1,10,100"), BENCH_LOAD_WARMUP_SECONDS (1),
 * BENCH_LOAD_RATE_LIMIT (100), BENCH_ENGINES, BENCH_DATABASE_URL or TEST_DATABASE_URL, REDIS_URL.
 *
 * BENCH_LOAD_BASELINE_DIR: a checkout of an earlier commit (with node_modules and src/generated) that the throughput
 * runs also measure, each of its runs right after the same run of this checkout, so the report gives the ratio of
 * the two on one machine at one time: on a shared machine absolute figures drift, ratios much less.
 */
import { loadavg } from 'node:os';
import autocannon from 'autocannon';
import { createScratchDatabase } from '../helpers/engines.js';
import type { EngineName } from './engine.js';
import { startLoadServer, type LoadServer } from './load-server.js';
import { LOAD_ROUTES, routeRequest, seed, WRITE_BATCH, WRITERS, type LoadRoute, type Seeded } from './load-routes.js';
import { checkRateLimitHeaders, type HeaderCheck } from './load-headers.js';

export interface LoadOptions {
  engines: EngineName[];
  seconds: number;
  warmupSeconds: number;
  connections: number[];
  rateLimit: number;
  postgresUrl: string | null;
  redisUrl: string | null;
  /** BENCH_LOAD_BASELINE_DIR: an earlier checkout measured alongside this one. */
  baselineDir: string | null;
  log(line: string): void;
}

/** This checkout, or the baseline checkout measured alongside it. */
export type Build = 'current' | 'baseline';

export interface LoadRun {
  engine: EngineName;
  build: Build;
  route: LoadRoute;
  connections: number;
  seconds: number;
  responses: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** Socket errors and timeouts (autocannon's `errors` counts both). */
  errors: number;
  statusCodes: Record<string, number>;
  loadAverage: { start: number; end: number };
}

/** Rows the write runs stored against WRITE_BATCH × the 201s autocannon saw (requests in flight at a run's end
 * may still commit, so stored may exceed it by up to WRITE_BATCH × connections per run). */
export interface WriteCheck {
  engine: EngineName;
  answered201: number;
  storedRows: number;
  maxInFlightRows: number;
}

export interface RateLimitRun {
  label: string;
  engine: EngineName;
  redis: boolean;
  limit: number;
  windowSeconds: number;
  connections: number;
  seconds: number;
  /** As autocannon saw them (`statusCodes`) and as each server logged them (`answered`, `clientAborted`). */
  perInstance: {
    accepted: number;
    limited: number;
    statusCodes: Record<string, number>;
    errors: number;
    answered: Record<string, number>;
    clientAborted: number;
    acceptedByServer: number;
  }[];
  accepted: number;
  limited: number;
  /**
   * 2xx the servers logged, plus every request cut off by autocannon's stop (as if each had passed the limiter):
   * the figure held against the limit, an upper bound (autocannon itself misses answers in flight at its stop).
   */
  acceptedByServer: number;
  clientAborted: number;
  /** Statuses other than 2xx and 429, seen by autocannon or logged by a server, with counts: must be empty. */
  otherStatuses: Record<string, number>;
  errors: number;
  headers: HeaderCheck;
}

export interface LoadSuiteResult {
  runs: LoadRun[];
  writeChecks: WriteCheck[];
  rateLimits: RateLimitRun[];
  skipped: string[];
}

const statusCounts = (result: autocannon.Result) =>
  Object.fromEntries(Object.entries(result.statusCodeStats).map(([status, { count }]) => [status, Number(count)]));

const countWhere = (codes: Record<string, number>, test: (status: number) => boolean) =>
  Object.entries(codes).reduce((total, [status, count]) => total + (test(Number(status)) ? count : 0), 0);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function cannon(url: string, connections: number, seconds: number, requests: autocannon.Request[]): Promise<autocannon.Result> {
  return Promise.resolve(autocannon({ url, connections, duration: seconds, timeout: 30, requests }));
}

async function measure(
  engine: EngineName,
  build: Build,
  route: LoadRoute,
  url: string,
  request: autocannon.Request,
  connections: number,
  seconds: number,
): Promise<LoadRun> {
  const start = loadavg()[0]!;
  const result = await cannon(url, connections, seconds, [request]);
  const statusCodes = statusCounts(result);
  const responses = countWhere(statusCodes, () => true);
  return {
    engine,
    build,
    route,
    connections,
    seconds: result.duration,
    responses,
    perSecond: responses / result.duration,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    loadAverage: { start, end: loadavg()[0]! },
  };
}

/** Rows the writer users hold, by an offset page of one (offset pages carry the total). */
async function storedRows(server: LoadServer, seeded: Seeded): Promise<number> {
  let total = 0;
  for (const id of seeded.writerIds) total += (await server.call('GET', `/v1/users/${id}/health?limit=1&offset=0`)).total as number;
  return total;
}

interface Measured {
  build: Build;
  server: LoadServer;
  seeded: Seeded;
  drop(): Promise<void>;
}

async function startMeasured(engine: EngineName, build: Build, options: LoadOptions): Promise<Measured> {
  const scratch = engine === 'postgres' ? await createScratchDatabase(options.postgresUrl) : null;
  const server = await startLoadServer({
    databaseUrl: scratch?.url ?? null,
    redisUrl: null,
    rateLimit: { max: 1_000_000_000, windowSeconds: 60 },
    root: build === 'baseline' ? options.baselineDir! : undefined,
  }).catch(async (error) => {
    await scratch?.drop();
    throw error;
  });
  const drop = async () => {
    await server.stop();
    await scratch?.drop();
  };
  try {
    return { build, server, seeded: await seed(server, WRITERS), drop };
  } catch (error) {
    await drop();
    throw error;
  }
}

async function throughputOn(engine: EngineName, options: LoadOptions): Promise<{ runs: LoadRun[]; writeChecks: WriteCheck[] }> {
  const builds: Build[] = options.baselineDir ? ['current', 'baseline'] : ['current'];
  const measured: Measured[] = [];
  try {
    for (const build of builds) measured.push(await startMeasured(engine, build, options));
    options.log(`load/${engine}: ${builds.join(' and ')} up, seeded; ${options.seconds} s per run`);
    const runs: LoadRun[] = [];
    const written = new Map<Build, { answered201: number; maxInFlightRows: number }>();
    for (const route of LOAD_ROUTES) {
      const requests = measured.map((one) => routeRequest(route, one.seeded, one.server.adminKey));
      const runsOfRoute = new Map<Build, { connections: number; statusCodes: Record<string, number> }[]>();
      for (const [i, one] of measured.entries()) {
        const warmup = await cannon(one.server.url, 10, options.warmupSeconds, [requests[i]!]);
        runsOfRoute.set(one.build, [{ connections: 10, statusCodes: statusCounts(warmup) }]);
      }
      for (const connections of options.connections) {
        // Each build's run right after the other's, so both see the same machine.
        for (const [i, one] of measured.entries()) {
          await pause(500);
          const run = await measure(engine, one.build, route, one.server.url, requests[i]!, connections, options.seconds);
          runs.push(run);
          runsOfRoute.get(one.build)!.push(run);
          options.log(
            `load/${engine}${one.build === 'baseline' ? ' (baseline)' : ''}: ${route} × ${connections}: ${run.perSecond.toFixed(0)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, non-2xx ${run.non2xx}, errors ${run.errors}`,
          );
        }
      }
      if (route === 'write') {
        for (const [build, ofBuild] of runsOfRoute) {
          written.set(build, {
            answered201: ofBuild.reduce((total, run) => total + (run.statusCodes['201'] ?? 0), 0),
            maxInFlightRows: ofBuild.reduce((total, run) => total + run.connections * WRITE_BATCH, 0),
          });
        }
      }
    }
    await pause(1000);
    const writeChecks: WriteCheck[] = [];
    for (const one of measured.filter((m) => m.build === 'current')) {
      const { answered201, maxInFlightRows } = written.get(one.build) ?? { answered201: 0, maxInFlightRows: 0 };
      writeChecks.push({ engine, answered201, storedRows: await storedRows(one.server, one.seeded), maxInFlightRows });
    }
    return { runs, writeChecks };
  } finally {
    for (const one of measured) await one.drop();
  }
}

interface RateLimitSetup {
  label: string;
  engine: EngineName;
  servers: LoadServer[];
  seeded: Seeded;
  key: string;
  redis: boolean;
  limit: number;
  windowSeconds: number;
}

/** Every instance at once, the connections split between them, each client cycling read → write → GraphQL. */
async function rateLimitRun(setup: RateLimitSetup, options: LoadOptions): Promise<RateLimitRun> {
  const connections = Math.max(...options.connections);
  const headers = checkRateLimitHeaders(setup.limit, setup.windowSeconds);
  const requests = LOAD_ROUTES.map((route) => ({ ...routeRequest(route, setup.seeded, setup.key), onResponse: headers.onResponse }));
  const startedAt = Date.now();
  const results = await Promise.all(
    setup.servers.map((server) => cannon(server.url, Math.ceil(connections / setup.servers.length), options.seconds, requests)),
  );
  // Requests cut off by autocannon's stop are still answered (and logged) by the server.
  await pause(1000);
  const isAccepted = (status: number) => status >= 200 && status < 300;
  const perInstance = results.map((result, i) => {
    const statusCodes = statusCounts(result);
    const { statuses: answered, clientAborted } = setup.servers[i]!.answeredSince(startedAt);
    return {
      accepted: countWhere(statusCodes, isAccepted),
      limited: statusCodes['429'] ?? 0,
      statusCodes,
      errors: result.errors,
      answered,
      clientAborted,
      acceptedByServer: countWhere(answered, isAccepted) + clientAborted,
    };
  });
  const otherStatuses: Record<string, number> = {};
  for (const { statusCodes, answered } of perInstance) {
    for (const [status, count] of [...Object.entries(statusCodes), ...Object.entries(answered)]) {
      if (!/^2\d\d$|^429$/.test(status)) otherStatuses[status] = (otherStatuses[status] ?? 0) + count;
    }
  }
  const run: RateLimitRun = {
    label: setup.label,
    engine: setup.engine,
    redis: setup.redis,
    limit: setup.limit,
    windowSeconds: setup.windowSeconds,
    connections,
    seconds: options.seconds,
    perInstance,
    accepted: perInstance.reduce((total, instance) => total + instance.accepted, 0),
    limited: perInstance.reduce((total, instance) => total + instance.limited, 0),
    acceptedByServer: perInstance.reduce((total, instance) => total + instance.acceptedByServer, 0),
    clientAborted: perInstance.reduce((total, instance) => total + instance.clientAborted, 0),
    otherStatuses,
    errors: perInstance.reduce((total, instance) => total + instance.errors, 0),
    headers: headers.result(),
  };
  options.log(
    `load/rate-limit: ${run.label}: ${run.accepted} accepted (${run.acceptedByServer} by the servers' logs; limit ${run.limit}), ${run.limited} × 429, other ${JSON.stringify(otherStatuses)}, errors ${run.errors}`,
  );
  return run;
}

/** Starts `count` instances on one database (the first seeds it) and gives the run a fresh write key. */
async function withInstances<T>(
  count: number,
  databaseUrl: string | null,
  redisUrl: string | null,
  rateLimit: { max: number; windowSeconds: number },
  body: (servers: LoadServer[], seeded: Seeded, key: string) => Promise<T>,
): Promise<T> {
  const servers = [await startLoadServer({ databaseUrl, redisUrl, rateLimit })];
  try {
    const seeded = await seed(servers[0]!, 1);
    for (let i = 1; i < count; i++)
      servers.push(await startLoadServer({ databaseUrl, redisUrl, rateLimit, adminKey: servers[0]!.adminKey }));
    // A key no request has used yet, so its window opens with the run.
    const { key } = await servers[0]!.call('POST', '/v1/api-keys', { name: `load ${Date.now()}`, scope: 'write' });
    return await body(servers, seeded, key as string);
  } finally {
    for (const server of servers) await server.stop();
  }
}

async function rateLimitSuite(options: LoadOptions, skipped: string[]): Promise<RateLimitRun[]> {
  // One window covers the whole run, so "accepted ≤ limit" is exact for it.
  const rateLimit = { max: options.rateLimit, windowSeconds: Math.max(60, options.seconds * 4) };
  const setup = (label: string, engine: EngineName, redis: boolean) => (servers: LoadServer[], seeded: Seeded, key: string) =>
    rateLimitRun({ label, engine, servers, seeded, key, redis, limit: rateLimit.max, windowSeconds: rateLimit.windowSeconds }, options);
  const runs = [await withInstances(1, null, null, rateLimit, setup('one instance, in-memory limiter', 'pglite', false))];
  if (!options.postgresUrl || !options.redisUrl) {
    skipped.push('rate limit across two instances: needs PostgreSQL (BENCH_DATABASE_URL or TEST_DATABASE_URL) and REDIS_URL');
    return runs;
  }
  for (const redis of [true, false]) {
    const scratch = await createScratchDatabase(options.postgresUrl);
    try {
      const label = redis ? 'two instances sharing Redis' : 'control: two instances, no Redis';
      runs.push(await withInstances(2, scratch.url, redis ? options.redisUrl : null, rateLimit, setup(label, 'postgres', redis)));
    } finally {
      await scratch.drop();
    }
  }
  return runs;
}

export async function runLoadSuite(options: LoadOptions): Promise<LoadSuiteResult> {
  const result: LoadSuiteResult = { runs: [], writeChecks: [], rateLimits: [], skipped: [] };
  for (const engine of options.engines) {
    if (engine === 'postgres' && !options.postgresUrl) {
      result.skipped.push('postgres throughput: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
      continue;
    }
    const { runs, writeChecks } = await throughputOn(engine, options);
    result.runs.push(...runs);
    result.writeChecks.push(...writeChecks);
  }
  result.rateLimits = await rateLimitSuite(options, result.skipped);
  return result;
}
