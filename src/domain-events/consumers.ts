import type { Config } from '../config.js';
import type { SqlSession } from '../db/client.js';
import type { JobRunner } from '../jobs/port.js';
import type { LiveBus } from '../live/bus.js';
import type { DomainEventType } from './catalogue.js';
import { notificationRulesConsumer } from '../notifications/rule-consumer.js';
import { achievementsConsumer } from '../achievements/achievement-consumer.js';
import { challengeStandingsConsumer } from '../challenges/standings.js';
import { goalChecksConsumer } from '../goals/goal-checks.js';
import { webhookDeliveriesConsumer } from '../webhooks/webhook-consumer.js';
import { liveUpdatesConsumer } from './live-consumer.js';

/** A committed domain event as the relay hands it to consumers. */
export interface DomainEventRecord {
  /** ULID: the key consumers deduplicate on. */
  id: string;
  workspaceId: string;
  /** Position in the workspace's stream; consumers see a workspace's events in this order. */
  sequence: number;
  type: DomainEventType;
  payload: any;
  occurredAt: Date;
}

/**
 * Something that acts on domain events. `handle` runs inside the transaction that records the consumer's
 * receipt of the event: what it writes through `tx` commits with the receipt (exactly once); what it does
 * outside (publish, HTTP) is at least once, so it deduplicates on `event.id` where that matters.
 * Throwing rolls the receipt back and the relay retries later, in the same order.
 *
 * `handle` may return work to run once that transaction has committed (starting jobs for the rows it wrote, which
 * a rollback must not leave running). It runs at most once and may be lost in a crash right after the commit, so
 * the consumer must have another way to finish it (the webhook deliveries' sweep).
 */
export interface DomainEventConsumer {
  /** Stable: receipts are keyed by it. */
  name: string;
  handle(event: DomainEventRecord, tx: SqlSession): Promise<void | AfterCommit>;
}

export type AfterCommit = () => Promise<void>;

/** What a consumer may use, given once when the server starts. */
export interface ConsumerDeps {
  live: LiveBus;
  config: Config;
  /** The job engine, for consumers that hand work to workflows (webhook deliveries). */
  jobs: JobRunner;
}

type ConsumerFactory = (deps: ConsumerDeps) => DomainEventConsumer;

/**
 * The registry. Feature areas add their consumer here (webhook deliveries, notification rules, achievement
 * checks): one line each, or `registerConsumer` from their own module.
 */
const factories = new Map<string, ConsumerFactory>([
  ['live-updates', liveUpdatesConsumer],
  ['webhook-deliveries', webhookDeliveriesConsumer],
  ['notification-rules', notificationRulesConsumer],
  ['goal-checks', goalChecksConsumer],
  ['achievements', achievementsConsumer],
  ['challenge-standings', challengeStandingsConsumer],
]);

export function registerConsumer(name: string, factory: ConsumerFactory): void {
  if (factories.has(name)) throw new Error(`domain event consumer "${name}" is registered twice`);
  factories.set(name, factory);
}

export function buildConsumers(deps: ConsumerDeps): DomainEventConsumer[] {
  return [...factories.values()].map((factory) => factory(deps));
}

export function consumerNames(): string[] {
  return [...factories.keys()];
}
