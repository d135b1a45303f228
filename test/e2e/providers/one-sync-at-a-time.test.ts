import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OURA_CLIENT, startFakeOura, type FakeOura } from '../../fakes/oura.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { jobEngineCases } from '../../helpers/engines.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';
import { startTemporalHarness } from '../../helpers/temporal.js';

/**
 * API6: one backfill or manual sync per connection at a time. While one runs (the fake Oura holds its answers), a
 * request for another answers 409 naming the running job, on REST and GraphQL and on every job engine.
 */
const POLLING = { attempts: 900 };
const SYNC_MUTATION =
  'mutation ($userId: ID!, $connectionId: ID!) { syncConnection(userId: $userId, connectionId: $connectionId) { id status } }';

describe.each(jobEngineCases())('one sync at a time on the $name', ({ name, engine, database, available }) => {
  let oura: FakeOura;
  let t: TestServer;
  let stop: () => Promise<void>;
  let userId: string;
  let connectionId: string;

  const requestSync = () => t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);

  beforeAll(async () => {
    if (!available) return;
    oura = await startFakeOura();
    const env = {
      OURA_CLIENT_ID: OURA_CLIENT.id,
      OURA_CLIENT_SECRET: OURA_CLIENT.secret,
      OURA_API_URL: oura.url,
      OURA_AUTH_URL: oura.url,
      SYNC_BACKFILL_DAYS: '1',
    };
    if (engine === 'temporal') {
      const harness = await startTemporalHarness(env);
      t = harness.t;
      stop = harness.stop;
    } else {
      t = await startTestServer(database, { env });
      stop = () => t.close();
    }
    await setRedirectUris(t, [APP_RETURN]);
    userId = (await t.api('POST', '/v1/users', { body: { externalId: `one-sync-${name}` } })).body.id;
  }, 120_000);
  afterAll(async () => {
    await stop?.();
    await oura?.close();
  });

  it.skipIf(!available)('answers 409 naming the backfill while it runs, on REST and GraphQL', async () => {
    const release = oura.hold();
    connectionId = (await connectUser(t, userId, 'oura')).searchParams.get('connectionId')!;
    const backfill = `sync:${connectionId}:backfill`;
    const refused = await requestSync();
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ statusCode: 409, error: 'Conflict', jobId: backfill });
    expect(refused.body.message).toContain(backfill);
    const graphql = await t.graphql(SYNC_MUTATION, { userId, connectionId });
    expect(graphql.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT', jobId: backfill });
    expect(graphql.body.errors[0].message).toContain(backfill);
    release();
    expect((await waitForJob(t, backfill, POLLING)).status).toBe('completed');
  });

  it.skipIf(!available)('answers 409 naming a running manual sync, and starts the next once it has finished', async () => {
    const release = oura.hold();
    const first = await requestSync();
    expect(first.status).toBe(202);
    const again = await requestSync();
    expect(again.status).toBe(409);
    expect(again.body.jobId).toBe(first.body.id);
    release();
    expect((await waitForJob(t, first.body.id, POLLING)).status).toBe('completed');
    const next = await requestSync();
    expect(next.status).toBe(202);
    expect(next.body.id).not.toBe(first.body.id);
    expect((await waitForJob(t, next.body.id, POLLING)).status).toBe('completed');
  });

  it.skipIf(!available)('starts exactly one of two requests that race, the other naming it', async () => {
    const release = oura.hold();
    const answers = await Promise.all([requestSync(), t.graphql(SYNC_MUTATION, { userId, connectionId })]);
    release();
    const started = [answers[0].status === 202 ? answers[0].body.id : null, answers[1].body.data?.syncConnection?.id ?? null].filter(
      Boolean,
    );
    expect(started).toHaveLength(1);
    const refusal = answers[0].status === 202 ? answers[1].body.errors[0].message : answers[0].body.message;
    expect(refusal).toContain(started[0]);
    expect((await waitForJob(t, started[0], POLLING)).status).toBe('completed');
  });
});
