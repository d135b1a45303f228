/**
 * What the load suite sends: the seeded data and the three requests (a REST read, a REST write of real inserts,
 * a GraphQL read) as autocannon requests.
 */
import type autocannon from 'autocannon';
import type { LoadServer } from './load-server.js';

export const LOAD_ROUTES = ['read', 'sameRead', 'write', 'graphql'] as const;
export type LoadRoute = (typeof LOAD_ROUTES)[number];

export const ROUTE_LABELS: Record<LoadRoute, string> = {
  read: 'GET /v1/users/:id/health?limit=50',
  sameRead: 'POST /graphql healthSamples(limit: 50)',
  write: 'POST /v1/users/:id/health (10)',
  graphql: 'POST /graphql user+latestSamples',
};

export const READER_SAMPLES = 5_000;
export const WRITE_BATCH = 10;
/** Users the write route spreads its batches over: one per connection at most, as many devices pushing at once. */
export const WRITERS = 100;

export interface Seeded {
  readerId: string;
  writerIds: string[];
  /** Write batches are numbered across all runs on one server, so no two batches share a timestamp. */
  writes: { start: number; nextBatch: number };
}

const MINUTE = 60_000;

/** One user with READER_SAMPLES heart-rate samples (one a minute), and `writers` users without any. */
export async function seed(server: LoadServer, writers: number): Promise<Seeded> {
  const reader = await server.call('POST', '/v1/users', { externalId: 'load-reader' });
  const start = Date.now() - READER_SAMPLES * MINUTE;
  for (let offset = 0; offset < READER_SAMPLES; offset += 1000) {
    const samples = Array.from({ length: Math.min(1000, READER_SAMPLES - offset) }, (_, i) => ({
      metricType: 'heart_rate',
      recordedAt: new Date(start + (offset + i) * MINUTE).toISOString(),
      value: 55 + ((offset + i) % 40),
    }));
    await server.call('POST', `/v1/users/${reader.id}/health`, { source: 'bench', samples });
  }
  const writerIds: string[] = [];
  for (let i = 0; i < writers; i++) writerIds.push((await server.call('POST', '/v1/users', { externalId: `load-writer-${i}` })).id);
  return { readerId: reader.id, writerIds, writes: { start: Date.now() - 90 * 24 * 3600_000, nextBatch: 0 } };
}

/** The REST read's own operation over GraphQL: the same field, arguments and selection (issue 24's ratio). */
const SAME_READ_QUERY =
  'query Samples($id: ID!) { healthSamples(userId: $id, limit: 50) { data { id metricType value unit recordedAt endAt source device connectionId externalId createdAt } limit total offset nextCursor } }';

const GRAPHQL_QUERY =
  'query Latest($id: ID!) { user(userId: $id) { id externalId timezone latestSamples(limit: 20) { id metricType value unit recordedAt source } } }';

/**
 * Write batches carry timestamps no batch has used before (one second apart from 90 days ago, numbered across
 * runs), so each 201 is WRITE_BATCH real inserts; batches go to the writer users in turn.
 */
function writeRequest(seeded: Seeded, key: string): autocannon.Request {
  const { writerIds, writes } = seeded;
  return {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    setupRequest: (request) => {
      const n = writes.nextBatch++;
      const samples = Array.from({ length: WRITE_BATCH }, (_, i) => ({
        metricType: 'heart_rate',
        recordedAt: new Date(writes.start + (n * WRITE_BATCH + i) * 1000).toISOString(),
        value: 60 + (i % 30),
      }));
      return {
        ...request,
        path: `/v1/users/${writerIds[n % writerIds.length]}/health`,
        body: JSON.stringify({ source: 'bench', samples }),
      };
    },
  };
}

/** The autocannon request of a route, sent with `key`. */
export function routeRequest(route: LoadRoute, seeded: Seeded, key: string): autocannon.Request {
  const authorization = `Bearer ${key}`;
  switch (route) {
    case 'read':
      return { method: 'GET', path: `/v1/users/${seeded.readerId}/health?limit=50`, headers: { authorization } };
    case 'sameRead':
      return {
        method: 'POST',
        path: '/graphql',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ query: SAME_READ_QUERY, variables: { id: seeded.readerId } }),
      };
    case 'graphql':
      return {
        method: 'POST',
        path: '/graphql',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ query: GRAPHQL_QUERY, variables: { id: seeded.readerId } }),
      };
    case 'write':
      return writeRequest(seeded, key);
  }
}
