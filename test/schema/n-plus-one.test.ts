import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anEvent, aSample, aUser, pushEvents, pushSamples } from '../factories/index.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const USERS_WITH_RELATIONS = `query ($limit: Int) {
  users(limit: $limit) {
    data {
      id
      latestSamples(limit: 3) { metricType value }
      latestEvents(limit: 2) { type startAt }
      personalRecords { kind value }
    }
  }
}`;

describe('GraphQL relations', () => {
  let t: TestServer;
  let operations: string[] = [];

  beforeAll(async () => {
    t = await startTestServer();
    for (let i = 0; i < 6; i++) {
      const user = await aUser(t);
      await pushSamples(t, user.id, [aSample({ metricType: 'resting_heart_rate', value: 50 + i, recordedAt: '2025-06-15T07:00:00.000Z' })]);
      await pushEvents(t, user.id, [anEvent({ startAt: '2025-06-15T06:00:00.000Z', distance: 5000 })]);
    }
    // Record every Prisma operation the server runs from here on, the way Pothos' own tests catch N+1.
    const database = t.server.database as { prisma: typeof t.server.database.prisma };
    database.prisma = database.prisma.$extends({
      query: {
        $allOperations: ({ model, operation, args, query }) => {
          operations.push(`${model ?? ''}.${operation}`);
          return query(args);
        },
      },
    }) as unknown as typeof database.prisma;
  });
  afterAll(() => t?.close());

  async function operationsFor(limit: number): Promise<string[]> {
    operations = [];
    const response = await t.graphql(USERS_WITH_RELATIONS, { limit });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data.users.data).toHaveLength(limit);
    for (const user of response.body.data.users.data) {
      expect(user.latestSamples).toHaveLength(1);
      expect(user.latestEvents).toHaveLength(1);
      expect(user.personalRecords.length).toBeGreaterThan(0);
    }
    return operations;
  }

  it('loads users with their samples, events and records in a number of queries that does not grow with the users', async () => {
    const forTwo = await operationsFor(2);
    const forSix = await operationsFor(6);
    expect(forSix).toEqual(forTwo);
    expect(forSix.filter((op) => op.startsWith('User.')).length).toBeLessThanOrEqual(2);
  });
});
