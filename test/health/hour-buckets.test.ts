import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import { ingestSamples } from '../../src/health/ingest.js';
import { timeseries } from '../../src/health/timeseries.js';
import { aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

const MINUTE = 60_000;

/** The local wall-clock reading of `at` in `zone` (Intl: an implementation of the IANA rules independent of SQL). */
function wallClock(at: number, zone: string): number {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  });
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!);
}

/**
 * Where the hour bucket of `at` starts: step back a minute at a time while the wall clock reads the same hour and
 * runs on with real time (a DST change makes it jump; the repeated or shortened hour is a bucket of its own).
 */
function hourStart(at: number, zone: string): number {
  let start = Math.floor(at / MINUTE) * MINUTE;
  const hour = Math.floor(wallClock(start, zone) / (60 * MINUTE));
  for (;;) {
    const before = start - MINUTE;
    const [wall, wallBefore] = [wallClock(start, zone), wallClock(before, zone)];
    if (Math.floor(wallBefore / (60 * MINUTE)) !== hour || wall - wallBefore !== MINUTE) return start;
    start = before;
  }
}

/** Samples every 5 minutes from three hours before an offset change to three hours after. */
function aroundChange(change: string): number[] {
  const at = Date.parse(change);
  return Array.from({ length: 73 }, (_, i) => at - 3 * 60 * MINUTE + i * 5 * MINUTE);
}

const CHANGES = [
  // Lord Howe changes by 30 minutes: 02:00 LHDT (+11) back to 01:30 LHST (+10:30), and 02:00 LHST on to 02:30 LHDT.
  { zone: 'Australia/Lord_Howe', change: '2024-04-06T15:00:00Z', what: 'falls back 30 minutes' },
  { zone: 'Australia/Lord_Howe', change: '2024-10-05T15:30:00Z', what: 'springs forward 30 minutes' },
  { zone: 'Europe/Berlin', change: '2024-10-27T01:00:00Z', what: 'falls back an hour' },
  { zone: 'America/St_Johns', change: '2024-03-10T05:30:00Z', what: 'springs forward an hour at a -03:30 offset' },
];

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`hour buckets across offset changes on ${engine}`, () => {
    let ctx: ServiceContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ ctx, close } = await openEnginePlatform(engine));
    });
    afterAll(() => close?.());

    it.each(CHANGES)('start each bucket at the first instant of its hour where $zone $what', async ({ zone, change }) => {
      const user = await aUser(ctx, { timezone: zone });
      const instants = aroundChange(change);
      await ingestSamples(
        ctx,
        user.id,
        instants.map((at, i) => ({ metricType: 'heart_rate', value: 50 + i, recordedAt: new Date(at) })),
        { source: 'polar' },
      );

      const series = await timeseries(ctx, user.id, {
        metricType: 'heart_rate',
        bucket: 'hour',
        agg: 'count',
        from: new Date(instants[0]!),
        to: new Date(instants.at(-1)! + 1),
      });
      const expected = new Map<number, number>();
      for (const at of instants) expected.set(hourStart(at, zone), (expected.get(hourStart(at, zone)) ?? 0) + 1);
      const got = series.data.map((point) => [new Date(point.start).toISOString(), point.value]);
      expect(got).toEqual([...expected].sort(([a], [b]) => a - b).map(([start, count]) => [new Date(start).toISOString(), count]));
    });

    it('widens a window that starts inside the repeated half hour to that bucket only', async () => {
      const zone = 'Australia/Lord_Howe';
      const user = await aUser(ctx, { timezone: zone });
      const instants = aroundChange('2024-04-06T15:00:00Z');
      await ingestSamples(
        ctx,
        user.id,
        instants.map((at, i) => ({ metricType: 'heart_rate', value: 50 + i, recordedAt: new Date(at) })),
        { source: 'polar' },
      );
      // 15:10Z reads 01:40 LHST, in the second 01 hour (15:00Z–15:30Z); the first one (14:00Z–15:00Z) is outside.
      const series = await timeseries(ctx, user.id, {
        metricType: 'heart_rate',
        bucket: 'hour',
        agg: 'count',
        from: new Date('2024-04-06T15:10:00Z'),
        to: new Date('2024-04-06T16:30:00Z'),
      });
      expect(series.data.map((point) => [new Date(point.start).toISOString(), point.value])).toEqual([
        ['2024-04-06T15:00:00.000Z', 6],
        ['2024-04-06T15:30:00.000Z', 12],
      ]);
    });
  });
}
