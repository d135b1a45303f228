import { getNamedType, isObjectType, type GraphQLField } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { schema } from '../../schema/index.js';
import { REST_ROUTES } from '../../src/server/rest/routes.js';
import { seedForeignWorkspace } from '../helpers/foreign-workspace.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * OWASP API1 on GraphQL and on subscriptions, generated from the route table and the schema: every GraphQL field
 * behind a REST route with an id, and every subscription that takes one, called with a second workspace's ids,
 * must answer NOT_FOUND — the same as REST's 404 (test/security/route-table.test.ts).
 */
const ID_PARAMS = [
  'userId',
  'eventId',
  'connectionId',
  'keyId',
  'jobId',
  'fileId',
  'webhookId',
  'channelId',
  'ruleId',
  'goalId',
  'challengeId',
  'habitId',
  'logId',
  'medId',
  'entryId',
];

/** Values for required arguments that are not ids, so only the foreign id can be what is wrong. */
const OTHER_ARGS: Record<string, unknown> = {
  samples: [{ metricType: 'steps', value: 1, recordedAt: '2025-06-01T10:00:00.000Z' }],
  events: [],
  providerId: 'demo',
  metricType: 'steps',
  since: '2025-06-01T10:00:00.000Z',
  date: '2025-06-01',
};

/** Values for arguments whose valid value depends on the field (a channel's type and settings). */
const FIELD_ARGS: Record<string, Record<string, unknown>> = {
  createNotificationChannel: { type: 'ntfy', name: 'x', settings: { topic: 't' } },
  updateNotificationChannel: { name: 'x', settings: {} },
  createNotificationRule: { name: 'x', channelIds: ['01JZ0000000000000000000000'], condition: { kind: 'sync_failure' } },
  updateNotificationRule: { name: 'x', channelIds: ['01JZ0000000000000000000000'], condition: { kind: 'sync_failure' } },
  createGoal: { metricType: 'steps', target: 1, period: 'daily' },
  createHabit: { name: 'x' },
  logWater: { amount: 100 },
  logMeal: { mealType: 'lunch', energy: 100 },
  createMedication: { name: 'x', times: ['08:00'] },
  createSymptom: { type: 'headache', severity: 1 },
  logMood: { score: 5 },
  createJournalEntry: { body: 'x' },
  generateHealthReport: { period: 'weekly' },
  import: { importId: '01JZ0000000000000000000000' },
  updateJournalEntry: { title: 'x' },
  createDataExport: { format: 'json' },
  createTrainingPlan: {
    name: 'x',
    goalKind: 'event',
    goalDescription: 'x',
    goalDate: '2025-06-01',
    startDate: '2025-05-01',
    sessions: [{ dayOfWeek: 1, sport: 'any', durationMinutes: 30 }],
  },
};

interface Operation {
  label: string;
  document: string;
  variables: Record<string, unknown>;
  field: string;
}

function operationFor(
  kind: 'query' | 'mutation' | 'subscription',
  field: GraphQLField<unknown, unknown>,
  foreign: Record<string, string>,
): Operation {
  const variables: Record<string, unknown> = {};
  const definitions: string[] = [];
  const args: string[] = [];
  for (const arg of field.args) {
    const value =
      foreign[arg.name] !== undefined && ID_PARAMS.includes(arg.name)
        ? foreign[arg.name]
        : (FIELD_ARGS[field.name]?.[arg.name] ?? OTHER_ARGS[arg.name]);
    if (value === undefined) {
      if (String(arg.type).endsWith('!'))
        throw new Error(`${field.name}: no test value for the required argument ${arg.name}; add one to OTHER_ARGS`);
      continue;
    }
    variables[arg.name] = value;
    definitions.push(`$${arg.name}: ${String(arg.type)}`);
    args.push(`${arg.name}: $${arg.name}`);
  }
  const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
  return {
    label: `${kind} ${field.name}`,
    document: `${kind} (${definitions.join(', ')}) { ${field.name}(${args.join(', ')})${selection} }`,
    variables,
    field: field.name,
  };
}

const routedFields = REST_ROUTES.filter((route) => route.field && ID_PARAMS.some((param) => route.path.includes(`:${param}`))).map(
  (route) => route.field!,
);
const subscriptionFields = Object.values(schema.getSubscriptionType()!.getFields()).filter((field) =>
  field.args.some((arg) => ID_PARAMS.includes(arg.name)),
);

describe('another workspace’s objects through GraphQL', () => {
  let t: TestServer;
  let foreign: Record<string, string>;
  let client: Client;

  beforeAll(async () => {
    t = await startTestServer();
    foreign = await seedForeignWorkspace(t);
    client = createClient({
      url: t.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${t.adminKey}` },
      retryAttempts: 0,
    });
  });
  afterAll(async () => {
    await client?.dispose();
    await t?.close();
  });

  it('covers every routed field with an id and every subscription that takes one', () => {
    expect(routedFields.length).toBeGreaterThanOrEqual(15);
    expect(subscriptionFields.map((field) => field.name).sort()).toEqual([
      'healthEventIngested',
      'healthSamplesIngested',
      'personalRecordSet',
      'syncProgress',
    ]);
  });

  it.each(routedFields)('%s answers NOT_FOUND for another workspace’s ids', async (fieldRef) => {
    const [type, name] = fieldRef.split('.') as ['Query' | 'Mutation', string];
    const field = (type === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[name]!;
    const operation = operationFor(type === 'Query' ? 'query' : 'mutation', field, foreign);
    const response = await t.graphql(operation.document, operation.variables);
    expect(response.body.errors?.[0]?.extensions?.code, operation.document).toBe('NOT_FOUND');
    expect(response.body.data?.[operation.field] ?? null).toBeNull();
  });

  it.each(subscriptionFields.map((field) => [field.name, field] as const))(
    'subscription %s refuses another workspace’s ids with NOT_FOUND',
    async (_, field) => {
      const operation = operationFor('subscription', field, foreign);
      const outcome = await new Promise<{ errors?: unknown; data?: unknown }>((resolve) => {
        const stop = client.subscribe(
          { query: operation.document, variables: operation.variables },
          {
            next: (message) => resolve(message as { data?: unknown }),
            error: (errors) => resolve({ errors }),
            complete: () => resolve({}),
          },
        );
        // The refusal arrives in milliseconds; the wait only bounds a subscription that wrongly stays open (the
        // first one also opens the socket, which a loaded CI machine can take seconds over).
        setTimeout(() => {
          stop();
          resolve({});
        }, 15_000);
      });
      const errors = outcome.errors as { extensions?: { code?: string } }[] | undefined;
      expect(Array.isArray(errors) ? errors[0]?.extensions?.code : errors, operation.document).toBe('NOT_FOUND');
    },
  );
});
