/**
 * The relay suite of `npm run bench`: domain events from commit to a live subscriber, on PGlite and PostgreSQL.
 *
 * - Latency: BENCH_RELAY_WRITERS (4) writers each commit BENCH_RELAY_EVENTS / writers events, one transaction
 *   each, back to back; every event goes through the real relay and live-updates consumer to a subscriber of the
 *   in-process live bus. Commit-to-subscriber time runs from the writer's COMMIT returning to the subscriber's
 *   message (p50/p99), on one clock.
 * - Throughput: a backlog of BENCH_RELAY_BACKLOG (10,000) events committed while no relay runs, then drained by
 *   a relay started afterwards: events/s through the relay to the same consumer and subscriber.
 */
import { loadConfig } from '../../src/config.js';
import { buildConsumers } from '../../src/domain-events/consumers.js';
import { emit, type NewDomainEvent } from '../../src/domain-events/emit.js';
import { startRelay } from '../../src/domain-events/relay.js';
import { createLiveBus } from '../../src/live/bus.js';
import { createScratchDatabase } from '../helpers/engines.js';
import { openTestPlatform } from '../helpers/platform.js';
import type { EngineName } from './engine.js';

export interface RelayRun {
  engine: EngineName;
  events: number;
  writers: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  backlog: number;
  drainMs: number;
  perSecond: number;
}

export interface RelaySuiteOptions {
  engines: EngineName[];
  events: number;
  writers: number;
  backlog: number;
  postgresUrl: string | null;
  log(line: string): void;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function runOn(engine: EngineName, options: RelaySuiteOptions): Promise<RelayRun> {
  const scratch = engine === 'postgres' ? await createScratchDatabase(options.postgresUrl) : null;
  const platform = await openTestPlatform({ ...loadConfig({}), dataDir: 'memory://', databaseUrl: scratch?.url ?? null });
  const live = createLiveBus(null);
  const { ctx, database } = platform;
  const received = new Map<string, number>();
  const waiting: { current: { count: number; resolve: () => void } | null } = { current: null };
  const subscription = (async () => {
    for await (const change of live.bus.subscribe('user.changed', ctx.workspaceId)) {
      received.set(change.externalId, performance.now());
      if (waiting.current && received.size >= waiting.current.count) waiting.current.resolve();
    }
  })();
  const allReceived = (count: number) =>
    new Promise<void>((resolve) => {
      waiting.current = { count, resolve };
      if (received.size >= count) resolve();
    });
  const event = (name: string): NewDomainEvent => ({
    workspaceId: ctx.workspaceId,
    type: 'user.updated',
    payload: { id: name, externalId: name },
    occurredAt: new Date(),
  });
  const consumers = buildConsumers({ live: live.bus, config: ctx.config, jobs: ctx.jobs });
  try {
    // Latency: writers commit one event per transaction while the relay runs.
    let relay = await startRelay({ database, consumers });
    const committed = new Map<string, number>();
    const perWriter = Math.ceil(options.events / options.writers);
    options.log(`relay/${engine}: ${perWriter * options.writers} events from ${options.writers} writers`);
    await Promise.all(
      Array.from({ length: options.writers }, async (_, writer) => {
        for (let i = 0; i < perWriter; i++) {
          const name = `w${writer}-${i}`;
          await database.transaction((tx) => emit(tx, event(name)));
          committed.set(name, performance.now());
        }
      }),
    );
    await allReceived(committed.size);
    const latencies = [...committed].map(([name, at]) => Math.max(0, received.get(name)! - at)).sort((a, b) => a - b);
    await relay.close();

    // Throughput: a backlog committed with no relay running, drained by a fresh one.
    options.log(`relay/${engine}: backlog of ${options.backlog} events`);
    received.clear();
    for (let start = 0; start < options.backlog; start += 500) {
      const batch = Array.from({ length: Math.min(500, options.backlog - start) }, (_, i) => event(`b${start + i}`));
      await database.transaction((tx) => emit(tx, batch));
    }
    const drainStarted = performance.now();
    relay = await startRelay({ database, consumers });
    await allReceived(options.backlog);
    const drainMs = performance.now() - drainStarted;
    await relay.close();
    return {
      engine,
      events: latencies.length,
      writers: options.writers,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      maxMs: latencies.at(-1)!,
      backlog: options.backlog,
      drainMs,
      perSecond: options.backlog / (drainMs / 1000),
    };
  } finally {
    await live.close();
    await platform.close();
    void subscription;
    await scratch?.drop();
  }
}

export async function runRelaySuite(options: RelaySuiteOptions): Promise<RelayRun[]> {
  const runs: RelayRun[] = [];
  for (const engine of options.engines) {
    if (engine === 'postgres' && !options.postgresUrl) {
      options.log('relay/postgres: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
      continue;
    }
    runs.push(await runOn(engine, options));
  }
  return runs;
}

/** The target: commit-to-subscriber p99 under 100 ms on PostgreSQL. */
export const RELAY_P99_TARGET_MS = 100;

export function formatRelaySuite(runs: RelayRun[]): string {
  const lines = ['Domain event relay: commit → relay → live-updates consumer → subscriber'];
  for (const run of runs) {
    const target =
      run.engine === 'postgres' ? `   (target p99 < ${RELAY_P99_TARGET_MS} ms: ${run.p99Ms < RELAY_P99_TARGET_MS ? 'met' : 'MISSED'})` : '';
    lines.push(
      `  ${run.engine.padEnd(9)} commit-to-subscriber p50 ${run.p50Ms.toFixed(1)} ms  p99 ${run.p99Ms.toFixed(1)} ms  max ${run.maxMs.toFixed(1)} ms ` +
        `(${run.events} events, ${run.writers} writers)${target}`,
    );
    lines.push(
      `  ${''.padEnd(9)} backlog drain ${run.perSecond.toFixed(0)} events/s (${run.backlog} events in ${(run.drainMs / 1000).toFixed(2)} s)`,
    );
  }
  return lines.join('\n');
}
