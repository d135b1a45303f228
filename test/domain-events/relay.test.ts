import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { DomainEventConsumer, DomainEventRecord } from '../../src/domain-events/consumers.js';
import { emit } from '../../src/domain-events/emit.js';
import { purgeDispatchedEvents } from '../../src/domain-events/purge.js';
import { startRelay, type Relay } from '../../src/domain-events/relay.js';
import { createOrFindUser, updateUser } from '../../src/users/users.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { ENGINES, engineAvailable, type Engine } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

/** A consumer that keeps what it was handed, optionally failing on chosen events the first time it sees them. */
function recorder(name: string, failOnce: (event: DomainEventRecord) => boolean = () => false) {
  const received: DomainEventRecord[] = [];
  const failed = new Set<string>();
  const consumer: DomainEventConsumer = {
    name,
    handle: async (event) => {
      if (failOnce(event) && !failed.has(event.id)) {
        failed.add(event.id);
        throw new Error(`${name} refuses ${event.id} once`);
      }
      received.push(event);
    },
  };
  return { consumer, received };
}

async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(ENGINES)('the domain event relay on %s', (engine: Engine) => {
  describe.skipIf(!engineAvailable(engine))(`relay on ${engine}`, () => {
    let ctx: ServiceContext;
    let database: Database;
    let databaseUrl: string | null;
    let close: () => Promise<void>;
    const relays: Relay[] = [];
    const run = async (consumers: DomainEventConsumer[], db: Database = database) => {
      const relay = await startRelay({ database: db, consumers, fallbackPollMs: 200 });
      relays.push(relay);
      return relay;
    };

    beforeAll(async () => {
      ({ ctx, database, databaseUrl, close } = await openEnginePlatform(engine));
    });
    // One relay leads a database: each test's relays stop before the next test starts its own.
    afterEach(async () => {
      for (const relay of relays.splice(0)) await relay.close();
    });
    afterAll(() => close?.());

    /** A workspace of its own per test: sequences and backlogs of one test never meet another's. */
    const freshWorkspace = async (): Promise<ServiceContext> => {
      const { workspace } = await createWorkspace(ctx, `relay-${Math.random()}`);
      return { ...ctx, workspaceId: workspace.id };
    };
    const eventsOf = (received: DomainEventRecord[], workspaceId: string) => received.filter((e) => e.workspaceId === workspaceId);

    it('hands every consumer the events of concurrent writers once each, in the workspace sequence, which is commit order', async () => {
      const tenant = await freshWorkspace();
      const first = recorder('first');
      const second = recorder('second');
      const relay = await run([first.consumer, second.consumer]);
      // Twenty writers at once, each creating a user and then changing it twice: 60 events, many racing commits.
      await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const { user } = await createOrFindUser(tenant, `racer-${i}`, {});
          await updateUser(tenant, user.id, { timezone: 'Europe/Paris' });
          await updateUser(tenant, user.id, { metadata: { round: 2 } });
        }),
      );
      await waitFor(() => eventsOf(second.received, tenant.workspaceId).length >= 60, 'all 60 events');
      await relay.settled();
      for (const { received } of [first, second]) {
        const mine = eventsOf(received, tenant.workspaceId);
        expect(mine.map((event) => event.sequence)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
        expect(new Set(mine.map((event) => event.id)).size).toBe(60);
        // Per user, what the writer did in order arrives in order: created, then the two updates.
        for (let i = 0; i < 20; i++) {
          const ofUser = mine.filter((event) => event.payload.externalId === `racer-${i}`);
          expect(ofUser.map((event) => event.type)).toEqual(['user.created', 'user.updated', 'user.updated']);
          expect(ofUser.map((event) => event.payload.metadata)).toEqual([{}, {}, { round: 2 }]);
        }
      }
      const backlog = await database.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM "DomainEvent" WHERE "workspaceId" = $1 AND "dispatchedAt" IS NULL`,
        [tenant.workspaceId],
      );
      expect(backlog[0]!.n).toBe('0');
    });

    it('retries a failing consumer in order without handing the other consumers anything twice', async () => {
      const tenant = await freshWorkspace();
      const steady = recorder('steady');
      // Refuses the second event of the workspace the first time: the stream stops there until the retry.
      const flaky = recorder('flaky', (event) => event.workspaceId === tenant.workspaceId && event.sequence === 2);
      await run([steady.consumer, flaky.consumer]);
      for (let i = 0; i < 4; i++) await createOrFindUser(tenant, `retry-${i}`, {});
      const firstSeen = () => [...new Set(eventsOf(flaky.received, tenant.workspaceId).map((event) => event.sequence))];
      const receiptsOf = () =>
        database.query<{ consumer: string; n: string }>(
          `SELECT consumer, count(*)::text AS n FROM "DomainEventReceipt" r JOIN "DomainEvent" e ON e.id = r."eventId"
           WHERE e."workspaceId" = $1 GROUP BY consumer ORDER BY consumer`,
          [tenant.workspaceId],
        );
      // A consumer's receipts commit just after it handled the events: wait for the commit, not the handling.
      await waitFor(async () => (await receiptsOf()).every((row) => row.n === '4') && (await receiptsOf()).length === 2, 'the receipts');
      // Its failed batch rolled back whole: what it had handled before the failure in that batch comes again (at
      // least once), never out of order, and its receipts count each event once.
      expect(firstSeen()).toEqual([1, 2, 3, 4]);
      expect(eventsOf(steady.received, tenant.workspaceId).map((event) => event.sequence)).toEqual([1, 2, 3, 4]);
      expect(await receiptsOf()).toEqual([
        { consumer: 'flaky', n: '4' },
        { consumer: 'steady', n: '4' },
      ]);
    });

    it('events rolled back with their transaction are never dispatched', async () => {
      const tenant = await freshWorkspace();
      const seen = recorder('rollback-watcher');
      const relay = await run([seen.consumer]);
      await expect(
        ctx.db.$transaction(async (tx) => {
          await emit(tx, { workspaceId: tenant.workspaceId, type: 'user.created', payload: { id: 'ghost' }, occurredAt: new Date() });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await createOrFindUser(tenant, 'after-rollback', {});
      await waitFor(() => eventsOf(seen.received, tenant.workspaceId).length >= 1, 'the committed event');
      await relay.settled();
      const mine = eventsOf(seen.received, tenant.workspaceId);
      expect(mine.map((event) => [event.sequence, event.payload.externalId])).toEqual([[1, 'after-rollback']]);
    });

    it.skipIf(engine !== 'postgres')('lets one of several instances lead, and another take over when it stops', async () => {
      const tenant = await freshWorkspace();
      const other = await openDatabase({ databaseUrl, dataDir: 'memory://' });
      try {
        const shared = recorder('shared');
        const leader = await run([shared.consumer]);
        const follower = await run([shared.consumer], other);
        await createOrFindUser(tenant, 'led-1', {});
        await waitFor(() => eventsOf(shared.received, tenant.workspaceId).length >= 1, 'the first event');
        await leader.close();
        await createOrFindUser(tenant, 'led-2', {});
        await waitFor(() => eventsOf(shared.received, tenant.workspaceId).length >= 2, 'the follower to take over');
        await follower.close();
        expect(eventsOf(shared.received, tenant.workspaceId).map((event) => event.payload.externalId)).toEqual(['led-1', 'led-2']);
      } finally {
        await other.close();
      }
    });

    it('purges dispatched events past the retention and keeps the backlog whatever its age', async () => {
      const tenant = await freshWorkspace();
      for (let i = 0; i < 3; i++) await createOrFindUser(tenant, `old-${i}`, {});
      const ids = (
        await database.query<{ id: string }>(`SELECT id FROM "DomainEvent" WHERE "workspaceId" = $1 ORDER BY sequence`, [
          tenant.workspaceId,
        ])
      ).map((row) => row.id);
      // Two dispatched 40 and 10 days ago, one never dispatched.
      await database.query(`UPDATE "DomainEvent" SET "dispatchedAt" = now() - interval '40 days' WHERE id = $1`, [ids[0]]);
      await database.query(`UPDATE "DomainEvent" SET "dispatchedAt" = now() - interval '10 days' WHERE id = $1`, [ids[1]]);
      await database.query(`UPDATE "DomainEvent" SET "dispatchedAt" = NULL, "createdAt" = now() - interval '90 days' WHERE id = $1`, [
        ids[2],
      ]);
      await purgeDispatchedEvents(database, 30);
      const left = await database.query<{ id: string }>(`SELECT id FROM "DomainEvent" WHERE "workspaceId" = $1 ORDER BY sequence`, [
        tenant.workspaceId,
      ]);
      expect(left.map((row) => row.id)).toEqual([ids[1], ids[2]]);
    });
  });
});
