import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import { dailySummaries } from '../../src/health/daily-summaries.js';
import { ingestSamples } from '../../src/health/ingest.js';
import type { SampleInput } from '../../src/health/sample-input.js';
import { timeseries } from '../../src/health/timeseries.js';
import { updateUser } from '../../src/users/users.js';
import { setSourcePriority } from '../../src/workspaces/settings.js';
import { createWorkspace } from '../../src/workspaces/workspaces.js';
import { aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

const MINUTE = 60_000;
/** 10 June 2025 in Europe/Paris (UTC+2 in summer): local midnight is 22:00 UTC the day before. */
const DAY = '2025-06-10';
const MIDNIGHT = Date.parse('2025-06-09T22:00:00Z');
const at = (localHour: number) => MIDNIGHT + localHour * 60 * MINUTE;

/** Steps every minute from `fromHour` to `toHour` local time, `perMinute` each: what a device counted. */
function stepsEveryMinute(fromHour: number, toHour: number, perMinute: number): SampleInput[] {
  return Array.from({ length: (toHour - fromHour) * 60 }, (_, i) => ({
    metricType: 'steps',
    value: perMinute,
    recordedAt: new Date(at(fromHour) + i * MINUTE),
    endAt: new Date(at(fromHour) + (i + 1) * MINUTE),
  }));
}

// The true day: the watch (worn 8:00–12:00) counts 10 steps a minute; the phone, carried all day, 8 a minute
// (it misses some in the morning). Truth = the watch's morning + the phone's other 20 hours.
const WATCH_MORNING = 4 * 60 * 10;
const PHONE_DAY = 24 * 60 * 8;
const TRUE_TOTAL = WATCH_MORNING + 20 * 60 * 8;

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`cross-source merge of cumulative metrics on ${engine}`, () => {
    let platform: ServiceContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ ctx: platform, close } = await openEnginePlatform(engine));
    });
    afterAll(() => close?.());

    /** A workspace of its own (the source priority is per workspace) with a user in Paris. */
    async function aWorkspaceUser(priority: string[]) {
      const { workspace } = await createWorkspace(platform, 'merge');
      const ctx: ServiceContext = { ...platform, workspaceId: workspace.id };
      await setSourcePriority(ctx, priority);
      const user = await aUser(ctx, { timezone: 'Europe/Paris' });
      return { ctx, userId: user.id };
    }

    const dayOf = (
      ctx: ServiceContext,
      userId: string,
      query: { merge?: 'none' | 'priority'; source?: string; bucket?: 'hour' | 'day' } = {},
    ) => timeseries(ctx, userId, { metricType: 'steps', from: new Date(at(0)), to: new Date(at(24)), bucket: 'day', ...query });

    it('counts a watch worn 8:00–12:00 and a phone carried all day once: the watch for the morning, the phone for the rest', async () => {
      const { ctx, userId } = await aWorkspaceUser(['watch', 'phone']);
      await ingestSamples(ctx, userId, stepsEveryMinute(0, 24, 8), { source: 'phone' });
      await ingestSamples(ctx, userId, stepsEveryMinute(8, 12, 10), { source: 'watch' });

      const series = await dayOf(ctx, userId);
      expect(series.mergedBy).toBe('quarter_hour');
      expect(series.data).toHaveLength(1);
      expect(series.data[0]).toMatchObject({ value: TRUE_TOTAL, source: 'watch', sources: ['watch', 'phone'] });
      expect(series.sources).toEqual(['watch', 'phone']);

      const hours = await dayOf(ctx, userId, { bucket: 'hour' });
      expect(hours.data).toHaveLength(24);
      expect(hours.data.reduce((total, point) => total + point.value, 0)).toBe(TRUE_TOTAL);
      expect(hours.data[9]).toMatchObject({ value: 600, sources: ['watch'] });
      expect(hours.data[14]).toMatchObject({ value: 480, sources: ['phone'] });

      const [summary] = (await dailySummaries(ctx, userId, { from: DAY, to: DAY, metricTypes: ['steps'] }, {})).data;
      expect(summary).toMatchObject({ date: DAY, value: TRUE_TOTAL, sources: ['watch', 'phone'], mergedBy: 'quarter_hour' });
    });

    it('keeps each source apart with merge none, and one source with source=', async () => {
      const { ctx, userId } = await aWorkspaceUser(['watch', 'phone']);
      await ingestSamples(ctx, userId, stepsEveryMinute(0, 24, 8), { source: 'phone' });
      await ingestSamples(ctx, userId, stepsEveryMinute(8, 12, 10), { source: 'watch' });

      const apart = await dayOf(ctx, userId, { merge: 'none' });
      expect(apart.mergedBy).toBe('none');
      expect(apart.data.map((point) => [point.source, point.value])).toEqual([
        ['phone', PHONE_DAY],
        ['watch', WATCH_MORNING],
      ]);
      const phone = await dayOf(ctx, userId, { source: 'phone' });
      expect(phone).toMatchObject({ mergedBy: 'source', sources: ['phone'] });
      expect(phone.data.map((point) => point.value)).toEqual([PHONE_DAY]);

      const rows = (await dailySummaries(ctx, userId, { from: DAY, to: DAY, metricTypes: ['steps'], merge: 'none' }, {})).data;
      expect(rows.map((row) => [row.source, row.value])).toEqual([
        ['phone', PHONE_DAY],
        ['watch', WATCH_MORNING],
      ]);
      const watchOnly = (await dailySummaries(ctx, userId, { from: DAY, to: DAY, source: 'watch' }, {})).data;
      expect(watchOnly.map((row) => [row.metricType, row.value, row.mergedBy])).toEqual([['steps', WATCH_MORNING, 'source']]);
    });

    it('merges two sources that ingest the same day at the same moment', async () => {
      const { ctx, userId } = await aWorkspaceUser(['watch', 'phone']);
      await Promise.all([
        ingestSamples(ctx, userId, stepsEveryMinute(0, 24, 8), { source: 'phone' }),
        ingestSamples(ctx, userId, stepsEveryMinute(8, 12, 10), { source: 'watch' }),
      ]);
      expect((await dayOf(ctx, userId)).data[0]).toMatchObject({ value: TRUE_TOTAL, sources: ['watch', 'phone'] });
    });

    it('counts two apps writing the same steps once, from the preferred app', async () => {
      const { ctx, userId } = await aWorkspaceUser(['health-app']);
      await ingestSamples(ctx, userId, stepsEveryMinute(6, 22, 5), { source: 'fit-app' });
      await ingestSamples(ctx, userId, stepsEveryMinute(6, 22, 5), { source: 'health-app' });

      const series = await dayOf(ctx, userId);
      expect(series.data[0]).toMatchObject({ value: 16 * 60 * 5, sources: ['health-app'] });
      const [summary] = (await dailySummaries(ctx, userId, { from: DAY, to: DAY }, {})).data;
      expect(summary).toMatchObject({ value: 16 * 60 * 5, source: 'health-app', sources: ['health-app'] });
    });

    it('re-merges the day when a device syncs late, and when the priority changes', async () => {
      const { ctx, userId } = await aWorkspaceUser(['watch', 'phone']);
      await ingestSamples(ctx, userId, stepsEveryMinute(0, 24, 8), { source: 'phone' });
      expect((await dayOf(ctx, userId)).data[0]).toMatchObject({ value: PHONE_DAY, sources: ['phone'] });

      // The watch syncs the next evening.
      await ingestSamples(ctx, userId, stepsEveryMinute(8, 12, 10), { source: 'watch' });
      expect((await dayOf(ctx, userId)).data[0]).toMatchObject({ value: TRUE_TOTAL, sources: ['watch', 'phone'] });

      await setSourcePriority(ctx, ['phone', 'watch']);
      expect((await dayOf(ctx, userId)).data[0]).toMatchObject({ value: PHONE_DAY, sources: ['phone'] });
      const [summary] = (await dailySummaries(ctx, userId, { from: DAY, to: DAY }, {})).data;
      expect(summary).toMatchObject({ value: PHONE_DAY, sources: ['phone'] });
    });

    it("counts a provider's day total whole when nothing preferred has data that day, else not at all", async () => {
      const dayTotal: SampleInput = { metricType: 'steps', value: 10_000, recordedAt: new Date(at(0)), endAt: new Date(at(24)) };

      const ringFirst = await aWorkspaceUser(['ring', 'watch', 'phone']);
      await ingestSamples(ringFirst.ctx, ringFirst.userId, stepsEveryMinute(0, 24, 8), { source: 'phone' });
      await ingestSamples(ringFirst.ctx, ringFirst.userId, stepsEveryMinute(8, 12, 10), { source: 'watch' });
      await ingestSamples(ringFirst.ctx, ringFirst.userId, [dayTotal], { source: 'ring' });
      expect((await dayOf(ringFirst.ctx, ringFirst.userId)).data[0]).toMatchObject({ value: 10_000, sources: ['ring'] });

      const watchFirst = await aWorkspaceUser(['watch', 'ring', 'phone']);
      await ingestSamples(watchFirst.ctx, watchFirst.userId, [dayTotal], { source: 'ring' });
      await ingestSamples(watchFirst.ctx, watchFirst.userId, stepsEveryMinute(0, 24, 8), { source: 'phone' });
      await ingestSamples(watchFirst.ctx, watchFirst.userId, stepsEveryMinute(8, 12, 10), { source: 'watch' });
      expect((await dayOf(watchFirst.ctx, watchFirst.userId)).data[0]).toMatchObject({ value: TRUE_TOTAL, sources: ['watch', 'phone'] });
      const hours = await dayOf(watchFirst.ctx, watchFirst.userId, { bucket: 'hour' });
      expect(hours.data.reduce((total, point) => total + point.value, 0)).toBe(TRUE_TOTAL);
    });

    it('keeps one source per bucket for instant metrics', async () => {
      const { ctx, userId } = await aWorkspaceUser(['watch', 'phone']);
      const beats = (value: number): SampleInput[] =>
        Array.from({ length: 12 }, (_, i) => ({ metricType: 'heart_rate', value, recordedAt: new Date(at(9) + i * 5 * MINUTE) }));
      await ingestSamples(ctx, userId, beats(70), { source: 'phone' });
      await ingestSamples(ctx, userId, beats(60), { source: 'watch' });
      const series = await timeseries(ctx, userId, { metricType: 'heart_rate', from: new Date(at(0)), to: new Date(at(24)) });
      expect(series).toMatchObject({ mergedBy: 'bucket', sources: ['watch'] });
      expect(series.data.map((point) => point.value)).toEqual([60]);
    });

    it('re-cuts merged days when the user moves to another time zone', async () => {
      const { ctx, userId } = await aWorkspaceUser(['watch', 'phone']);
      await ingestSamples(ctx, userId, stepsEveryMinute(0, 24, 8), { source: 'phone' });
      await ingestSamples(ctx, userId, stepsEveryMinute(8, 12, 10), { source: 'watch' });
      await updateUser(ctx, userId, { timezone: 'UTC' });
      // In UTC the Paris day runs from 22:00 the day before: two days, and the same total.
      const days = (await dailySummaries(ctx, userId, { from: '2025-06-09', to: '2025-06-10' }, {})).data;
      expect(days.map((day) => day.date)).toEqual(['2025-06-09', DAY]);
      expect(days.reduce((total, day) => total + day.value, 0)).toBe(TRUE_TOTAL);
      expect(days[0]).toMatchObject({ value: 2 * 60 * 8, sources: ['phone'] });
    });
  });
}
