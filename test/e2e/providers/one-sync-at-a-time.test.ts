import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ouraEnv, startFakeOura, type FakeOura } from '../../fakes/oura.js';
import { APP_RETURN, connectUser, setRedirectUris, waitForJob } from '../../helpers/connect.js';
import { startEngineInstall } from '../../helpers/engine-install.js';
import { jobEngineCases } from '../../helpers/engines.js';
import { aUser } from '../../factories/index.js';
import type { TestServer } from '../../helpers/server.js';

/**
 * API6: one backfill or manual sync per connection at a time. While one runs (the fake Oura holds its answers), a
 * request for another answers 409 naming the running job, on REST and GraphQL and on every job engine.
 */
const POLLING = { attempts: 900 };
const SYNC_MUTATION =
  'mutation ($userId: ID!, $connectionId: ID!) { syncConnection(userId: $userId, connectionId: $connectionId) { id status } }';

describe.each(jobEngineCases())('one sync at a time on the $name', ({ engine, database, available }) => {
  let oura: FakeOura;
  let t: TestServer;
  let stop: () => Promise<void>;

  const requestSync = (userId: string, connectionId: string) => t.api('POST', `/v1/users/${userId}/connections/${connectionId}/sync`);

  /** A new user connected to Oura whose backfill has finished: each test holds syncs of its own connection. */
  async function idleConnection(): Promise<{ userId: string; connectionId: string }> {
    const userId = (await aUser(t)).id;
    const connectionId = (await connectUser(t, userId, 'oura')).searchParams.get('connectionId')!;
    expect((await waitForJob(t, `sync:${connectionId}:backfill`, POLLING)).status).toBe('completed');
    return { userId, connectionId };
  }

  beforeAll(async () => {
    if (!available) return;
    oura = await startFakeOura();
    const env = {
      ...ouraEnv(oura),
      SYNC_BACKFILL_DAYS: '1',
    };
    ({ t, stop } = await startEngineInstall({ engine, database }, env));
    await setRedirectUris(t, [APP_RETURN]);
  }, 120_000);
  afterAll(async () => {
    await stop?.();
    await oura?.close();
  });

  it.skipIf(!available)('answers 409 naming the backfill while it runs, on REST and GraphQL', async () => {
    const userId = (await aUser(t)).id;
    const release = oura.hold();
    const connectionId = (await connectUser(t, userId, 'oura')).searchParams.get('connectionId')!;
    const backfill = `sync:${connectionId}:backfill`;
    const refused = await requestSync(userId, connectionId);
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
    const { userId, connectionId } = await idleConnection();
    const release = oura.hold();
    const first = await requestSync(userId, connectionId);
    expect(first.status).toBe(202);
    const again = await requestSync(userId, connectionId);
    expect(again.status).toBe(409);
    expect(again.body.jobId).toBe(first.body.id);
    release();
    expect((await waitForJob(t, first.body.id, POLLING)).status).toBe('completed');
    const next = await requestSync(userId, connectionId);
    expect(next.status).toBe(202);
    expect(next.body.id).not.toBe(first.body.id);
    expect((await waitForJob(t, next.body.id, POLLING)).status).toBe('completed');
  });

  it.skipIf(!available)('starts exactly one of two requests that race, the other naming it', async () => {
    const { userId, connectionId } = await idleConnection();
    const release = oura.hold();
    const answers = await Promise.all([requestSync(userId, connectionId), t.graphql(SYNC_MUTATION, { userId, connectionId })]);
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
