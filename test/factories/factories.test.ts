import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { openTestPlatform } from '../helpers/platform.js';
import { aConnection, aKey, anEvent, asKey, aSample, aUser, events, pushEvents, pushSamples, samples, seeded, unique } from './index.js';

describe('test data factories', () => {
  describe('plain data', () => {
    it('make a heart-rate series of 12 samples five minutes apart by default, and what a test overrides', () => {
      const series = samples();
      expect(series).toHaveLength(12);
      expect(series[0]).toEqual({ metricType: 'heart_rate', value: 60, recordedAt: '2025-06-10T08:00:00.000Z' });
      expect(series[11]!.recordedAt).toBe('2025-06-10T08:55:00.000Z');
      const steps = samples({ metricType: 'steps', every: '1h', for: '1d', value: (i) => i * 10 });
      expect(steps.map((s) => s.value)).toEqual(Array.from({ length: 24 }, (_, i) => i * 10));
      expect(aSample({ value: 72 })).toEqual({ metricType: 'heart_rate', value: 72, recordedAt: '2025-06-10T08:00:00.000Z' });
    });

    it('make a 30-minute run by default and a series of events a day apart', () => {
      expect(anEvent()).toEqual({
        type: 'workout',
        subtype: 'running',
        startAt: '2025-06-10T07:00:00.000Z',
        endAt: '2025-06-10T07:30:00.000Z',
      });
      expect(anEvent({ type: 'sleep', lasting: '8h' })).toEqual({
        type: 'sleep',
        startAt: '2025-06-10T07:00:00.000Z',
        endAt: '2025-06-10T15:00:00.000Z',
      });
      expect(events(3).map((e) => e.startAt)).toEqual(['2025-06-10T07:00:00.000Z', '2025-06-11T07:00:00.000Z', '2025-06-12T07:00:00.000Z']);
    });

    it('never repeat a unique id, and repeat a seeded sequence exactly', () => {
      expect(new Set(Array.from({ length: 100 }, () => unique('user'))).size).toBe(100);
      const draw = (random: () => number) => Array.from({ length: 5 }, random);
      expect(draw(seeded(7))).toEqual(draw(seeded(7)));
      expect(draw(seeded(7))).not.toEqual(draw(seeded(8)));
    });
  });

  describe('over REST', () => {
    let t: TestServer;
    beforeAll(async () => void (t = await startTestServer()));
    afterAll(() => t?.close());

    it('make a user, a key that works with its scope, samples and events that read back', async () => {
      const user = await aUser(t, { timezone: 'Europe/Berlin' });
      expect(user).toMatchObject({ timezone: 'Europe/Berlin', externalId: expect.stringMatching(/^user-\d+$/) });
      const reader = asKey(t, (await aKey(t)).key);
      expect((await reader.api('GET', `/v1/users/${user.id}`)).status).toBe(200);
      expect((await reader.api('POST', '/v1/users', { body: { externalId: unique('user') } })).status).toBe(403);

      expect(await pushSamples(t, user.id, samples())).toMatchObject({ inserted: 12, rejected: [] });
      expect(await pushEvents(t, user.id, events(2))).toMatchObject({ inserted: 2, rejected: [] });
      expect((await t.api('GET', `/v1/users/${user.id}/health`)).body.total).toBe(12);
      expect((await t.api('GET', `/v1/users/${user.id}/events`)).body.total).toBe(2);
    });

    it('connect a user to the demo provider', async () => {
      const user = await aUser(t);
      const connection = await aConnection(t, user.id);
      const listed = await t.api('GET', `/v1/users/${user.id}/connections`);
      expect(listed.body.data.map((c: any) => [c.id, c.providerId])).toEqual([[connection.id, 'demo']]);
    });
  });

  describe('through the services', () => {
    let ctx: ServiceContext;
    let close: () => Promise<void>;
    beforeAll(async () => void ({ ctx, close } = await openTestPlatform()));
    afterAll(() => close?.());

    it('make a user, a key, samples, events and a connection', async () => {
      const user = await aUser(ctx);
      expect((await aKey(ctx, { scope: 'write' })).key).toMatch(/^vs_live_/);
      expect(await pushSamples(ctx, user.id, samples({ for: '30min' }), 'healthkit')).toMatchObject({ inserted: 6 });
      expect(await pushEvents(ctx, user.id, [anEvent()])).toMatchObject({ inserted: 1 });
      expect(await ctx.db.healthSample.count({ where: { userId: user.id, source: 'healthkit' } })).toBe(6);
      expect((await aConnection(ctx, user.id)).providerId).toBe('demo');
    });
  });
});
