import { cpus } from 'node:os';
import type { LoadOptions, LoadRun, LoadSuiteResult, RateLimitRun, WriteCheck } from './load.js';
import { READER_SAMPLES, ROUTE_LABELS, WRITE_BATCH, WRITERS } from './load-routes.js';

const int = (n: number) => Math.round(n).toLocaleString('en');
// autocannon's latency histogram has 1 ms resolution.
const ms = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} ms`;
const mark = (ok: boolean) => (ok ? '✓' : '✗');

const COLUMNS: [string, number][] = [
  ['engine', 19],
  ['route', 36],
  ['conns', 6],
  ['req/s', 9],
  ['p50', 10],
  ['p99', 10],
  ['non-2xx', 8],
  ['errors', 7],
  ['pg/pglite', 10],
  ['load 1m', 12],
];

function line(cells: string[]): string {
  return '  ' + cells.map((cell, i) => (i < 2 ? cell.padEnd(COLUMNS[i]![1]) : cell.padStart(COLUMNS[i]![1]))).join(' ');
}

function ratio(run: LoadRun, runs: LoadRun[]): string {
  if (run.engine !== 'postgres') return '';
  const pglite = runs.find(
    (other) => other.engine === 'pglite' && other.build === run.build && other.route === run.route && other.connections === run.connections,
  );
  return pglite ? `${(run.perSecond / pglite.perSecond).toFixed(2)}×` : '';
}

function runLine(run: LoadRun, runs: LoadRun[]): string {
  return line([
    run.build === 'baseline' ? `${run.engine} (baseline)` : run.engine,
    ROUTE_LABELS[run.route],
    String(run.connections),
    int(run.perSecond),
    ms(run.p50Ms),
    ms(run.p99Ms),
    int(run.non2xx),
    int(run.errors),
    ratio(run, runs),
    `${run.loadAverage.start.toFixed(1)}→${run.loadAverage.end.toFixed(1)}`,
  ]);
}

function writeCheckLine(check: WriteCheck): string {
  const expected = check.answered201 * WRITE_BATCH;
  const ok = check.storedRows >= expected && check.storedRows - expected <= check.maxInFlightRows;
  return (
    `  ${check.engine}: ${int(check.storedRows)} rows stored by the write runs (warm-up included) for ${int(check.answered201)} × 201 × ${WRITE_BATCH} = ${int(expected)} ` +
    `(+${int(check.storedRows - expected)} from requests in flight when a run stopped; at most ${int(check.maxInFlightRows)}) ${mark(ok)}`
  );
}

function rateLimitLines(run: RateLimitRun): string[] {
  const { headers } = run;
  const clean = Object.keys(run.otherStatuses).length === 0 && run.errors === 0;
  const headersOk =
    headers.limited.seen === run.limited &&
    headers.limited.withHeaders === headers.limited.seen &&
    headers.accepted.withHeaders === headers.accepted.seen;
  const instances =
    run.perInstance.length > 1
      ? `; per instance (server logs): ${run.perInstance.map((one) => `${int(one.acceptedByServer)} accepted / ${int(one.answered['429'] ?? 0)} × 429`).join(', ')}`
      : '';
  const retry = headers.retryAfter ? `Retry-After ${headers.retryAfter.min}–${headers.retryAfter.max} s` : 'no 429 seen';
  const control = run.label.startsWith('control');
  const expectation = control
    ? `(each instance keeps its own count: up to ${int(run.limit * run.perInstance.length)}, so the limit is not held without Redis)`
    : `≤ limit ${mark(run.acceptedByServer <= run.limit)}`;
  return [
    `  ${run.label} (${run.engine}${run.redis ? ' + Redis' : ''}), ${run.connections} connections for ${run.seconds} s, limit ${int(run.limit)} per ${run.windowSeconds} s:`,
    `    accepted ${int(run.acceptedByServer)} by the servers' logs, counting the ${run.clientAborted} requests cut off by autocannon's stop as accepted ` +
      `(${int(run.accepted)} 2xx read by autocannon) ${expectation}${instances}`,
    `    autocannon: 429 × ${int(run.limited)}; statuses other than 2xx/429 (autocannon or logs) ${JSON.stringify(run.otherStatuses)}, socket errors/timeouts ${run.errors} ${mark(clean)}`,
    `    headers on every response: ${int(headers.limited.withHeaders)} of ${int(headers.limited.seen)} 429s carry RateLimit-Limit/-Remaining (0)/-Reset and ${retry}; ` +
      `${int(headers.accepted.withHeaders)} of ${int(headers.accepted.seen)} 2xx carry RateLimit-* ${mark(headersOk)}` +
      (headers.firstProblem ? `   first failure: ${headers.firstProblem}` : ''),
  ];
}

/** Issue 24's REST read before its work, PostgreSQL, on this machine: req/s at 1, 10 and 100 connections. */
const READ_BEFORE: Record<number, number> = { 1: 217, 10: 357, 100: 344 };

/** Issue 24's targets: the REST read at ≥ 2× its earlier throughput at 10 connections (p99 < 100 ms), ≥ 90% of GraphQL. */
/** The baseline build's run matching `run` (BENCH_LOAD_BASELINE_DIR), if one ran. */
function baselineOf(run: LoadRun, runs: LoadRun[]): LoadRun | undefined {
  return runs.find(
    (other) =>
      other.build === 'baseline' && other.engine === run.engine && other.route === run.route && other.connections === run.connections,
  );
}

/**
 * Issue 24's targets. With a baseline build in the run, "2× today's throughput" is 2× that build's in the same run
 * (the machine's load cancels out); without, 2× the figures measured when the issue was written.
 */
function readTargetLines(runs: LoadRun[]): string[] {
  const lines = ['', "REST read against issue 24's targets (REST/GraphQL: the same healthSamples operation in the same run):"];
  const current = runs.filter((one) => one.build === 'current');
  for (const run of current.filter((one) => one.route === 'read')) {
    const same = current.find(
      (other) => other.route === 'sameRead' && other.engine === run.engine && other.connections === run.connections,
    );
    const share = same ? run.perSecond / same.perSecond : NaN;
    const baseline = baselineOf(run, runs);
    const before = baseline ? baseline.perSecond : run.engine === 'postgres' ? READ_BEFORE[run.connections] : undefined;
    const gain = !before
      ? ''
      : baseline
        ? ` ${(run.perSecond / before).toFixed(2)}× the baseline build's ${int(before)} req/s in this run`
        : ` ${(run.perSecond / before).toFixed(2)}× the ${before} req/s before issue 24`;
    const target =
      run.engine === 'postgres' && run.connections === 10 && before
        ? ` (target ≥ 2×, p99 < 100 ms: ${mark(run.perSecond >= 2 * before && run.p99Ms < 100)})`
        : '';
    lines.push(
      `  ${run.engine} × ${run.connections}: ${int(run.perSecond)} req/s, p99 ${ms(run.p99Ms)};${gain}${target}; REST/GraphQL ${(share * 100).toFixed(0)}% (target ≥ 90% ${mark(share >= 0.9)})`,
    );
  }
  return lines;
}

/** Every run of this checkout against the baseline build's same run (BENCH_LOAD_BASELINE_DIR): writes and PGlite must not slow down. */
function baselineLines(runs: LoadRun[]): string[] {
  const pairs = runs.flatMap((run) => {
    const baseline = run.build === 'current' ? baselineOf(run, runs) : undefined;
    return baseline ? [{ run, baseline }] : [];
  });
  if (pairs.length === 0) return [];
  return [
    '',
    'This checkout against the baseline build (BENCH_LOAD_BASELINE_DIR), each pair of runs back to back (≥ 1×: no slower):',
    ...pairs.map(
      ({ run, baseline }) =>
        `  ${run.engine} ${ROUTE_LABELS[run.route]} × ${run.connections}: ${int(run.perSecond)} / ${int(baseline.perSecond)} req/s = ${(run.perSecond / baseline.perSecond).toFixed(2)}×, p99 ${ms(run.p99Ms)} / ${ms(baseline.p99Ms)}`,
    ),
  ];
}

export function formatLoadSuite(result: LoadSuiteResult, options: Pick<LoadOptions, 'seconds' | 'warmupSeconds'>): string {
  const lines = [
    `Load: autocannon against src/main.ts in a child process (logging at info to a file), ${options.seconds} s per run after a ${options.warmupSeconds} s warm-up at 10 connections per route;`,
    `  rate limit out of reach (the limiter still counts each request); reads: one user with ${int(READER_SAMPLES)} samples; writes: ${WRITE_BATCH} new samples a request over ${WRITERS} users;`,
    `  GraphQL: user + latestSamples(limit: 20). p50/p99 from autocannon's histogram; load 1m = this machine's 1-minute load average at start→end (${cpus().length} CPUs).`,
    line(COLUMNS.map(([name]) => name)),
    ...result.runs.map((run) => runLine(run, result.runs)),
  ];
  lines.push(...readTargetLines(result.runs));
  lines.push(...baselineLines(result.runs));
  if (result.writeChecks.length) lines.push('', 'Writes are real inserts:', ...result.writeChecks.map(writeCheckLine));
  if (result.rateLimits.length) {
    lines.push('', 'Rate limit under load (each client cycles read → write → GraphQL with one fresh key; one window spans the run):');
    for (const run of result.rateLimits) lines.push(...rateLimitLines(run));
  }
  for (const skipped of result.skipped) lines.push(`  skipped: ${skipped}`);
  return lines.join('\n');
}
