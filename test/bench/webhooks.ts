/**
 * The webhooks suite of `npm run bench`: signed deliveries to a local receiver through the whole path (outbox,
 * relay, the `webhook-deliveries` consumer, one delivery workflow per event and endpoint, the signed POST, the
 * attempt's record) on each job engine: the local runner on PGlite and PostgreSQL, and Temporal with a worker.
 *
 * - Commit to first attempt: BENCH_WEBHOOK_EVENTS (200) events, one transaction each, from 4 writers, to one
 *   endpoint; from the writer's COMMIT returning to the receiver's first byte of the attempt (p50/p99, one clock).
 * - Throughput: BENCH_WEBHOOK_DELIVERIES (2,000; 500 on Temporal) deliveries (events committed in one
 *   transaction, each to BENCH_WEBHOOK_ENDPOINTS = 20 endpoints) until the receiver has them all: deliveries/s.
 * - Baseline, same run: the same number of signed POSTs (same body size, same signing, same HTTP client, 32 at a
 *   time) from the bench straight to the receiver: the ceiling of the network and the receiver on this machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { emit, type NewDomainEvent } from '../../src/domain-events/emit.js';
import { postWebhook } from '../../src/webhooks/send.js';
import { generateWebhookSecret, webhookHeaders } from '../../src/webhooks/signing.js';
import { webhookBody } from '../../src/webhooks/webhook-consumer.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { startTemporalHarness } from '../helpers/temporal.js';
import type { EngineName } from './engine.js';

export type WebhookEngine = EngineName | 'temporal';

export interface WebhookRun {
  engine: WebhookEngine;
  events: number;
  p50Ms: number;
  p99Ms: number;
  deliveries: number;
  endpoints: number;
  deliveriesPerSecond: number;
  baselinePerSecond: number;
}

export interface WebhookSuiteOptions {
  engines: WebhookEngine[];
  events: number;
  deliveries: number;
  temporalDeliveries: number;
  endpoints: number;
  log(line: string): void;
}

const ENV = { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8', WEBHOOK_DENY_PUBLIC: 'true', RATE_LIMIT_MAX: '100000000' };
const WRITERS = 4;
const BASELINE_CONCURRENCY = 32;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** A receiver answering 204 at once, noting when each event's first attempt arrived and how many came in all. */
async function startReceiver() {
  const firstSeen = new Map<string, number>();
  let received = 0;
  let waiting: { count: number; resolve: () => void } | null = null;
  const server: Server = createServer((request, response) => {
    const arrived = performance.now();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const marker = (JSON.parse(Buffer.concat(chunks).toString()) as { data: { marker: string } }).data.marker;
      if (!firstSeen.has(marker)) firstSeen.set(marker, arrived);
      received++;
      response.writeHead(204).end();
      if (waiting && received >= waiting.count) waiting.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    firstSeen,
    reset() {
      firstSeen.clear();
      received = 0;
    },
    until: (count: number) =>
      new Promise<void>((resolve) => {
        waiting = { count, resolve };
        if (received >= count) resolve();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function runOn(engine: WebhookEngine, options: WebhookSuiteOptions): Promise<WebhookRun> {
  const harness =
    engine === 'temporal'
      ? await startTemporalHarness(ENV)
      : await startTestServer(engine, { env: ENV }).then((t) => ({ t, stop: () => t.close() }));
  const t: TestServer = harness.t;
  const receiver = await startReceiver();
  try {
    const workspaceId = (await t.graphql('{ workspace { id } }')).body.data.workspace.id as string;
    const event = (marker: string): NewDomainEvent => ({
      workspaceId,
      type: 'user.updated',
      payload: { id: marker, externalId: marker, marker },
      occurredAt: new Date(),
    });
    const register = async (path: string) => {
      const response = await t.api('POST', '/v1/webhooks', { body: { url: `${receiver.url}${path}`, eventTypes: ['user.updated'] } });
      if (response.status !== 201) throw new Error(`webhook registration answered ${response.status}: ${JSON.stringify(response.body)}`);
      return response.body.id as string;
    };

    // Commit to first attempt: one endpoint, events committed one per transaction.
    const first = await register('/latency');
    options.log(`webhooks/${engine}: ${options.events} events, commit to first attempt`);
    const committed = new Map<string, number>();
    const perWriter = Math.ceil(options.events / WRITERS);
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, writer) => {
        for (let i = 0; i < perWriter; i++) {
          const marker = `w${writer}-${i}`;
          await t.server.database.transaction((tx) => emit(tx, event(marker)));
          committed.set(marker, performance.now());
        }
      }),
    );
    await receiver.until(committed.size);
    const latencies = [...committed].map(([marker, at]) => Math.max(0, receiver.firstSeen.get(marker)! - at)).sort((a, b) => a - b);
    await t.api('DELETE', `/v1/webhooks/${first}`);

    // Throughput: events × endpoints deliveries from one transaction.
    const deliveries = engine === 'temporal' ? options.temporalDeliveries : options.deliveries;
    const events = Math.ceil(deliveries / options.endpoints);
    for (let i = 0; i < options.endpoints; i++) await register(`/fan/${i}`);
    receiver.reset();
    options.log(`webhooks/${engine}: ${events} events × ${options.endpoints} endpoints`);
    const started = performance.now();
    await t.server.database.transaction((tx) =>
      emit(
        tx,
        Array.from({ length: events }, (_, i) => event(`t${i}`)),
      ),
    );
    await receiver.until(events * options.endpoints);
    const seconds = (performance.now() - started) / 1000;

    // Baseline: the same number of signed POSTs straight from here.
    const secret = generateWebhookSecret();
    const body = webhookBody({ type: 'user.updated', occurredAt: new Date(), payload: event('baseline').payload });
    const config = t.server.config.webhooks;
    receiver.reset();
    const baselineStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: BASELINE_CONCURRENCY }, async () => {
        for (let i = next++; i < events * options.endpoints; i = next++) {
          const headers = webhookHeaders([secret], `b${i}`, Math.floor(Date.now() / 1000), body);
          await postWebhook(new URL(`${receiver.url}/baseline`), headers, body, config);
        }
      }),
    );
    const baselineSeconds = (performance.now() - baselineStarted) / 1000;
    return {
      engine,
      events: latencies.length,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      deliveries: events * options.endpoints,
      endpoints: options.endpoints,
      deliveriesPerSecond: (events * options.endpoints) / seconds,
      baselinePerSecond: (events * options.endpoints) / baselineSeconds,
    };
  } finally {
    await harness.stop();
    await receiver.close();
  }
}

export async function runWebhookSuite(options: WebhookSuiteOptions): Promise<WebhookRun[]> {
  const runs: WebhookRun[] = [];
  for (const engine of options.engines) runs.push(await runOn(engine, options));
  return runs;
}

const ENGINE_NAMES: Record<WebhookEngine, string> = {
  pglite: 'local runner on PGlite',
  postgres: 'local runner on PostgreSQL',
  temporal: 'Temporal dev server, one worker',
};

export function formatWebhookSuite(runs: WebhookRun[]): string {
  const lines = ['Webhook deliveries: commit → relay → delivery workflow → signed POST → local receiver'];
  for (const run of runs) {
    lines.push(
      `  ${ENGINE_NAMES[run.engine].padEnd(32)} commit-to-first-attempt p50 ${run.p50Ms.toFixed(1)} ms  p99 ${run.p99Ms.toFixed(1)} ms (${run.events} events)`,
    );
    lines.push(
      `  ${''.padEnd(32)} ${run.deliveriesPerSecond.toFixed(0)} deliveries/s (${run.deliveries} to ${run.endpoints} endpoints); ` +
        `direct signed POSTs ${run.baselinePerSecond.toFixed(0)}/s; ratio ${(run.deliveriesPerSecond / run.baselinePerSecond).toFixed(2)}×`,
    );
  }
  return lines.join('\n');
}
