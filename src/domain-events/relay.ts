import type { Database, Leadership } from '../db/client.js';
import { log } from '../lib/logger.js';
import type { AfterCommit, DomainEventConsumer, DomainEventRecord } from './consumers.js';
import { DOMAIN_EVENT_CHANNEL } from './emit.js';

/** The advisory lock whose holder relays: one relay per database however many instances run. */
export const RELAY_LOCK_ID = 0x76_73_72_6c; // "vsrl"

export interface RelayOptions {
  database: Database;
  consumers: readonly DomainEventConsumer[];
  /** The safety net: a look at the backlog this often even without a notification (and the leadership retry). */
  fallbackPollMs?: number;
  batchSize?: number;
}

export interface Relay {
  /** Looks at the backlog now (the LISTEN/NOTIFY path calls it at each commit). */
  wake(): void;
  /** Resolves once the backlog seen when called has been dispatched or failed (tests, bench). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const BACKLOG_SQL = `
SELECT id, "workspaceId", sequence::text AS sequence, type, payload, "occurredAt"
FROM "DomainEvent" WHERE "dispatchedAt" IS NULL
ORDER BY "DomainEvent"."workspaceId", "DomainEvent".sequence LIMIT $1`;

const RECEIPTS_SQL = `
INSERT INTO "DomainEventReceipt" (consumer, "eventId") SELECT $1, unnest($2::text[])
ON CONFLICT DO NOTHING RETURNING "eventId"`;

const MAX_BACKOFF_MS = 30_000;

/**
 * Dispatches committed domain events to every consumer: woken by the commit's notification, per workspace in
 * sequence order, at least once. A consumer's receipts commit with what it does in its transaction, so a
 * crash anywhere makes the next leader hand over exactly the events some consumer has not received.
 */
export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { database, consumers } = options;
  const fallbackPollMs = options.fallbackPollMs ?? 5_000;
  const batchSize = options.batchSize ?? 500;
  let leadership: Leadership | null = null;
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let backoffMs = 0;
  let retryTimer: NodeJS.Timeout | null = null;

  const deliver = async (consumer: DomainEventConsumer, events: DomainEventRecord[]) => {
    const afterCommit: AfterCommit[] = [];
    await database.transaction(async (tx) => {
      const fresh = new Set(
        (await tx.query<{ eventId: string }>(RECEIPTS_SQL, [consumer.name, `{${events.map((e) => e.id).join(',')}}`])).map(
          (row) => row.eventId,
        ),
      );
      for (const event of events) {
        if (!fresh.has(event.id)) continue;
        const next = await consumer.handle(event, tx);
        if (next) afterCommit.push(next);
      }
    });
    for (const run of afterCommit) {
      await run().catch((error: Error) =>
        log.warn('domain event consumer after-commit work failed', { consumer: consumer.name, error: error.message }),
      );
    }
  };

  /** One batch of the backlog; false when a consumer failed (the rest waits for the retry). */
  const dispatchBatch = async (): Promise<{ count: number; ok: boolean }> => {
    const rows = await database.query<DomainEventRecord & { sequence: string }>(BACKLOG_SQL, [batchSize]);
    const byWorkspace = new Map<string, DomainEventRecord[]>();
    for (const row of rows) {
      const event = { ...row, sequence: Number(row.sequence), occurredAt: new Date(row.occurredAt) };
      byWorkspace.set(row.workspaceId, [...(byWorkspace.get(row.workspaceId) ?? []), event]);
    }
    let ok = true;
    for (const events of byWorkspace.values()) {
      try {
        for (const consumer of consumers) await deliver(consumer, events);
        await database.query(`UPDATE "DomainEvent" SET "dispatchedAt" = now() WHERE id = ANY($1::text[])`, [
          `{${events.map((e) => e.id).join(',')}}`,
        ]);
      } catch (error) {
        ok = false;
        log.error('domain event dispatch failed; retrying', {
          workspaceId: events[0]!.workspaceId,
          fromSequence: events[0]!.sequence,
          error: (error as Error).message,
        });
      }
    }
    return { count: rows.length, ok };
  };

  const drain = async () => {
    for (;;) {
      const { count, ok } = await dispatchBatch();
      if (!ok) throw new Error('a consumer failed');
      if (count < batchSize || closed) break;
    }
  };

  const scheduleRetry = () => {
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs ? backoffMs * 2 : 250);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      wake();
    }, backoffMs);
    retryTimer.unref();
  };

  function wake(): void {
    if (closed || !leadership) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await drain();
          backoffMs = 0;
        } catch (error) {
          if ((error as Error).message !== 'a consumer failed') log.error('domain event relay failed', { error: (error as Error).message });
          if (!retryTimer) scheduleRetry();
          return;
        }
      } while (again && !closed);
    })().finally(() => {
      running = null;
    });
  }

  const lead = async () => {
    if (closed || leadership) return;
    try {
      leadership = await database.tryLead(RELAY_LOCK_ID, DOMAIN_EVENT_CHANNEL, wake, () => {
        leadership = null;
        log.warn('domain event relay lost its database session; will lead again when it can');
      });
    } catch (error) {
      log.warn('domain event relay could not try to lead', { error: (error as Error).message });
    }
    if (leadership) {
      log.info('domain event relay leading', { consumers: consumers.map((consumer) => consumer.name) });
      wake();
    }
  };

  await lead();
  // Catches what a lost notification would miss, and takes over when the leading instance stops.
  const poll = setInterval(() => {
    if (leadership) wake();
    else void lead();
  }, fallbackPollMs);
  poll.unref();

  return {
    wake,
    settled: async () => {
      while (running) await running;
    },
    close: async () => {
      closed = true;
      clearInterval(poll);
      if (retryTimer) clearTimeout(retryTimer);
      while (running) await running;
      await leadership?.release();
      leadership = null;
    },
  };
}
