/**
 * `npm run bench`: ingestion throughput against raw COPY, rollup-served reads over a year of heart rate, and deep
 * cursor pages, on PGlite and PostgreSQL, measured in one run. Not a test: it prints figures, ratios and the
 * issue's targets, then one JSON line with everything. Each engine runs in its own child process, so one
 * engine's memory (PGlite keeps its whole database in the process) does not show up in the other's peak RSS.
 *
 * Suites (BENCH_SUITES, default all): "ingest" as above, "workflows" — BENCH_WORKFLOWS (1,000) short sync
 * workflows end to end on the local runner and on Temporal (TEMPORAL_ADDRESS), see workflows.ts — and "load":
 * autocannon on a REST read, a REST write and GraphQL at 1, 10 and 100 connections, and the rate limiter under
 * load (also across two instances sharing REDIS_URL), see load.ts — "uploads": a BENCH_UPLOAD_BYTES (2 GiB)
 * upload streamed through the server to local storage and to S3 (BENCH_S3_ENDPOINT or TEST_S3_ENDPOINT), MB/s
 * and the server's peak RSS growth against direct writes of the same bytes, see uploads.ts — "schedules":
 * fire lag of BENCH_SCHEDULES (10,000) daily calendar schedules due in one minute, on the local runner and
 * Temporal, see schedules.ts — and "relay": domain events from commit to a live subscriber (p50/p99) and the
 * relay's drain rate, on each engine, see relay.ts — and "merge": a year of steps from a phone and a watch read
 * in day buckets merged per quarter hour against the same read per source, on each engine, see merge.ts — and
 * "analytics": baselines, anomalies and correlations over a user-year against the plain 90-day read, see analytics.ts —
 * "webhooks": commit-to-first-attempt and deliveries/s to a local receiver on each job engine against direct
 * signed POSTs, see webhooks.ts — and "goals": a challenge leaderboard of BENCH_CHALLENGE_MEMBERS (10,000) members
 * over 30 days, first and deep pages against ranking straight from the rollups, PostgreSQL only, see goals.ts — and
 * "exports": a user-year of 3-second heart rate (BENCH_EXPORT_HR_EVERY, BENCH_EXPORT_DAYS) exported as NDJSON and CSV,
 * rows/s and peak RSS against COPY … TO STDOUT of the same rows, PostgreSQL only, see exports.ts.
 * "imports": an Apple Health export.zip of BENCH_IMPORT_RECORDS (1,000,000) records imported from storage, records/s
 * and peak RSS against ingesting the same samples directly, see imports.ts.
 *
 * Environment: BENCH_ENGINES ("pglite,postgres"), BENCH_SAMPLES (1,000,000), BENCH_YEAR_SAMPLES (10,512,000 on
 * PostgreSQL — 365 days every 3 s — and 1,051,200 on PGlite, whose in-memory database must hold it all),
 * BENCH_RUNS (25 timed reads after BENCH_WARMUPS = 3), BENCH_RAW_RUNS (3), BENCH_DATABASE_URL or TEST_DATABASE_URL.
 */
import { execFileSync, fork } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setLogLevel } from '../../src/lib/logger.js';
import type { EngineName } from './engine.js';
import { runLoadSuite, type LoadSuiteResult } from './load.js';
import { formatLoadSuite } from './load-report.js';
import { formatMergeSuite, runMergeSuite, type MergeRun } from './merge.js';
import { formatAnalyticsSuite, runAnalyticsSuite, type AnalyticsRun } from './analytics.js';
import { formatExportsSuite, runExportsSuite, type ExportsSuiteResult } from './exports.js';
import { formatGoalsSuite, runGoalsSuite, type GoalsRun } from './goals.js';
import { formatImportSuite, runImportSuite, type ImportRun } from './imports.js';
import { formatRelaySuite, runRelaySuite, type RelayRun } from './relay.js';
import { figures, formatEngine, TARGETS } from './report.js';
import { INTERRUPTED, runEngine, type BenchOptions, type EngineResult } from './run-engine.js';
import { formatScheduleSuite, runScheduleSuite, SCHEDULE_ENGINES, type ScheduleEngine, type ScheduleRun } from './schedules.js';
import { formatUploadSuite, runUploadSuite, type UploadRun } from './uploads.js';
import { formatWebhookSuite, runWebhookSuite, type WebhookEngine, type WebhookRun } from './webhooks.js';
import { formatWorkflowSuite, runWorkflowSuite, type WorkflowRun } from './workflows.js';

const YEAR_SAMPLES: Record<EngineName, number> = { postgres: 365 * 28_800, pglite: 365 * 2_880 };

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const SUITES = [
  'ingest',
  'workflows',
  'load',
  'uploads',
  'schedules',
  'relay',
  'merge',
  'analytics',
  'webhooks',
  'goals',
  'exports',
  'imports',
] as const;
type Suite = (typeof SUITES)[number];

/** BENCH_SUITES: which suites run (all by default). */
function suites(): Suite[] {
  const names = (process.env.BENCH_SUITES ?? SUITES.join(','))
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names)
    if (!SUITES.includes(name as Suite)) throw new Error(`BENCH_SUITES: unknown suite "${name}" (${SUITES.join(', ')})`);
  return names as Suite[];
}

function engines(): EngineName[] {
  const names = (process.env.BENCH_ENGINES ?? 'pglite,postgres')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names)
    if (name !== 'pglite' && name !== 'postgres') throw new Error(`BENCH_ENGINES: unknown engine "${name}" (pglite, postgres)`);
  return names as EngineName[];
}

const CHILD_ENGINE = 'BENCH_CHILD_ENGINE';
const STARTED_AT = 'BENCH_STARTED_AT';

function options(engine: EngineName): BenchOptions {
  const startedAt = Number(process.env[STARTED_AT] ?? Date.now());
  return {
    samples: envInt('BENCH_SAMPLES', 1_000_000),
    yearSamples: envInt('BENCH_YEAR_SAMPLES', YEAR_SAMPLES[engine]),
    runs: envInt('BENCH_RUNS', 25),
    warmups: envInt('BENCH_WARMUPS', 3),
    rawScanRuns: envInt('BENCH_RAW_RUNS', 3),
    postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
    log: (line) => process.stderr.write(`[${((Date.now() - startedAt) / 1000).toFixed(0).padStart(5)} s] ${line}\n`),
  };
}

/** Runs one engine in a child process (this file again, under the same tsx loader) and returns its result. */
function runInChild(engine: EngineName, startedAt: number): Promise<EngineResult> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [], {
      env: { ...process.env, [CHILD_ENGINE]: engine, [STARTED_AT]: String(startedAt) },
      execArgv: process.execArgv,
    });
    let result: EngineResult | null = null;
    child.on('message', (message) => {
      result = message as EngineResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result ? resolve(result) : reject(new Error(`${engine}: the bench process exited with code ${code}`))));
  });
}

async function child(engine: EngineName): Promise<void> {
  setLogLevel('silent');
  const result = await runEngine(engine, options(engine));
  await new Promise<void>((resolve, reject) => process.send!(result, (error: Error | null) => (error ? reject(error) : resolve())));
}

/** The code measured: the commit, and the source files changed since (figures depend on them). */
function codeVersion(): { commit: string; changed: string[] } {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    // Porcelain lines are "XY path"; X may be a space, so the output is not trimmed.
    const changed = git('status', '--porcelain', '--', 'src', 'prisma')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.slice(3));
    return { commit: git('rev-parse', '--short', 'HEAD').trim(), changed };
  } catch {
    return { commit: 'unknown', changed: [] };
  }
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const names = engines();
  const code = codeVersion();
  console.log(
    `VitaSync bench — node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GB RAM`,
  );
  console.log(`code: ${code.commit}${code.changed.length ? ` + uncommitted changes in ${code.changed.join(', ')}` : ''}`);
  const selected = suites();
  const results: EngineResult[] = [];
  if (selected.includes('ingest')) {
    for (const engine of names) {
      const result = await runInChild(engine, startedAt);
      results.push(result);
      console.log(`\n${formatEngine(result)}`);
    }
  }
  let workflows: WorkflowRun[] = [];
  if (selected.includes('workflows')) {
    const { log } = options('postgres');
    const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null;
    if (!postgresUrl) log('workflows: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    else {
      setLogLevel('silent');
      const temporal = process.env.TEMPORAL_ADDRESS
        ? { address: process.env.TEMPORAL_ADDRESS, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' }
        : null;
      workflows = await runWorkflowSuite({ workflows: envInt('BENCH_WORKFLOWS', 1000), postgresUrl, temporal, log });
      console.log(`\n${formatWorkflowSuite(workflows)}`);
    }
  }
  let schedules: ScheduleRun[] = [];
  if (selected.includes('schedules')) {
    const { log } = options('postgres');
    setLogLevel('silent');
    const temporal = process.env.TEMPORAL_ADDRESS
      ? { address: process.env.TEMPORAL_ADDRESS, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' }
      : null;
    schedules = await runScheduleSuite({
      schedules: envInt('BENCH_SCHEDULES', 10_000),
      temporalSchedules: envInt('BENCH_TEMPORAL_SCHEDULES', 1000),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      temporal,
      engines: (process.env.BENCH_SCHEDULE_ENGINES?.split(',') ?? SCHEDULE_ENGINES).filter((name): name is ScheduleEngine =>
        (SCHEDULE_ENGINES as readonly string[]).includes(name),
      ),
      log,
    });
    console.log(`\n${formatScheduleSuite(schedules)}`);
  }
  let load: LoadSuiteResult | null = null;
  if (selected.includes('load')) {
    const { log } = options('postgres');
    const loadOptions = {
      engines: names,
      seconds: envInt('BENCH_LOAD_SECONDS', 5),
      warmupSeconds: envInt('BENCH_LOAD_WARMUP_SECONDS', 1),
      connections: (process.env.BENCH_LOAD_CONNECTIONS ?? '1,10,100').split(',').map((count) => {
        const value = Number(count.trim());
        if (!Number.isInteger(value) || value < 1) throw new Error(`BENCH_LOAD_CONNECTIONS: "${count}" is not a positive integer`);
        return value;
      }),
      rateLimit: envInt('BENCH_LOAD_RATE_LIMIT', 100),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      redisUrl: process.env.REDIS_URL || null,
      baselineDir: process.env.BENCH_LOAD_BASELINE_DIR || null,
      log,
    };
    load = await runLoadSuite(loadOptions);
    console.log(`\n${formatLoadSuite(load, loadOptions)}`);
  }
  let uploads: UploadRun[] = [];
  if (selected.includes('uploads')) {
    const { log } = options('pglite');
    const env = process.env;
    const endpoint = env.BENCH_S3_ENDPOINT ?? env.TEST_S3_ENDPOINT;
    const s3 = endpoint
      ? {
          endpoint,
          bucket: env.BENCH_S3_BUCKET ?? env.TEST_S3_BUCKET ?? 'vitasync-test',
          region: env.BENCH_S3_REGION ?? env.TEST_S3_REGION ?? 'us-east-1',
          accessKeyId: env.BENCH_S3_ACCESS_KEY_ID ?? env.TEST_S3_ACCESS_KEY_ID ?? 'test',
          secretAccessKey: env.BENCH_S3_SECRET_ACCESS_KEY ?? env.TEST_S3_SECRET_ACCESS_KEY ?? 'test',
        }
      : null;
    uploads = await runUploadSuite({ bytes: envInt('BENCH_UPLOAD_BYTES', 2 * 2 ** 30), s3, log });
    console.log(`\n${formatUploadSuite(uploads)}`);
  }
  let relay: RelayRun[] = [];
  if (selected.includes('relay')) {
    setLogLevel('silent');
    relay = await runRelaySuite({
      engines: names,
      events: envInt('BENCH_RELAY_EVENTS', 2000),
      writers: envInt('BENCH_RELAY_WRITERS', 4),
      backlog: envInt('BENCH_RELAY_BACKLOG', 10_000),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      log: options('postgres').log,
    });
    console.log(`\n${formatRelaySuite(relay)}`);
  }
  let merge: MergeRun[] = [];
  if (selected.includes('merge')) {
    setLogLevel('silent');
    merge = await runMergeSuite({
      engines: names,
      runs: envInt('BENCH_RUNS', 25),
      warmups: envInt('BENCH_WARMUPS', 3),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      log: options('postgres').log,
    });
    console.log(`\n${formatMergeSuite(merge)}`);
  }
  let analytics: AnalyticsRun[] = [];
  if (selected.includes('analytics')) {
    setLogLevel('silent');
    analytics = await runAnalyticsSuite({
      engines: names,
      runs: envInt('BENCH_RUNS', 25),
      warmups: envInt('BENCH_WARMUPS', 3),
      heartRateEverySeconds: envInt('BENCH_ANALYTICS_HR_EVERY', 60),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      log: options('postgres').log,
    });
    console.log(`\n${formatAnalyticsSuite(analytics)}`);
  }
  let webhooks: WebhookRun[] = [];
  if (selected.includes('webhooks')) {
    setLogLevel('silent');
    const hasPostgres = Boolean(process.env.TEST_DATABASE_URL);
    const webhookEngines: WebhookEngine[] = [
      ...names.filter((name) => name === 'pglite' || hasPostgres),
      ...(process.env.TEMPORAL_ADDRESS && hasPostgres ? (['temporal'] as const) : []),
    ];
    webhooks = await runWebhookSuite({
      engines: webhookEngines,
      events: envInt('BENCH_WEBHOOK_EVENTS', 200),
      deliveries: envInt('BENCH_WEBHOOK_DELIVERIES', 2000),
      temporalDeliveries: envInt('BENCH_WEBHOOK_TEMPORAL_DELIVERIES', 500),
      endpoints: envInt('BENCH_WEBHOOK_ENDPOINTS', 20),
      log: options('postgres').log,
    });
    console.log(`\n${formatWebhookSuite(webhooks)}`);
  }
  let goals: GoalsRun | null = null;
  if (selected.includes('goals')) {
    setLogLevel('silent');
    goals = await runGoalsSuite({
      members: envInt('BENCH_CHALLENGE_MEMBERS', 10_000),
      runs: envInt('BENCH_RUNS', 25),
      warmups: envInt('BENCH_WARMUPS', 3),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      log: options('postgres').log,
    });
    console.log(`\n${formatGoalsSuite(goals)}`);
  }
  let exportsRun: ExportsSuiteResult | null = null;
  if (selected.includes('exports')) {
    const { log } = options('postgres');
    const postgresUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null;
    if (!postgresUrl) log('exports: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    else {
      setLogLevel('silent');
      exportsRun = await runExportsSuite({
        everySeconds: envInt('BENCH_EXPORT_HR_EVERY', envInt('BENCH_ANALYTICS_HR_EVERY', 3)),
        days: envInt('BENCH_EXPORT_DAYS', 365),
        postgresUrl,
        log,
      });
      console.log(`\n${formatExportsSuite(exportsRun)}`);
    }
  }
  let imports: ImportRun[] = [];
  if (selected.includes('imports')) {
    setLogLevel('silent');
    imports = await runImportSuite({
      engines: names,
      records: envInt('BENCH_IMPORT_RECORDS', 1_000_000),
      postgresUrl: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? null,
      log: options('postgres').log,
    });
    console.log(`\n${formatImportSuite(imports)}`);
  }
  const totalMs = Date.now() - startedAt;
  console.log(`\nTotal run time: ${(totalMs / 1000).toFixed(1)} s`);
  console.log(
    JSON.stringify({
      bench: 'vitasync',
      node: process.version,
      code,
      targets: TARGETS,
      totalMs,
      engines: results.map((result) => ({ ...result, figures: figures(result) })),
      workflows,
      schedules,
      load,
      uploads,
      relay,
      merge,
      analytics,
      webhooks,
      goals,
      exports: exportsRun,
      imports,
    }),
  );
}

const childEngine = process.env[CHILD_ENGINE] as EngineName | undefined;
(childEngine ? child(childEngine) : main()).catch((error: unknown) => {
  // After an interrupt the queries in flight fail by design; the scratch database is being removed.
  if (process.exitCode === INTERRUPTED) return;
  console.error(error);
  process.exitCode = 1;
});
