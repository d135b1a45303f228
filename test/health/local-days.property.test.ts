import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../../src/context.js';
import { dailySummaries } from '../../src/health/daily-summaries.js';
import { ingestSamples } from '../../src/health/ingest.js';
import { timeseries } from '../../src/health/timeseries.js';
import { updateUser } from '../../src/users/users.js';
import { aUser } from '../factories/index.js';
import { ENGINES, engineAvailable } from '../helpers/engines.js';
import { openEnginePlatform } from '../helpers/platform.js';

/**
 * Local days are cut in SQL (AT TIME ZONE on the rollups), so the properties run through the real ingestion and
 * read paths and compare with what Intl.DateTimeFormat, an independent implementation of the IANA rules, says.
 */
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Lord_Howe', // 30-minute DST: 23.5- and 24.5-hour days
  'Asia/Kolkata', // +05:30 (+05:21:10 and +06:30 in its history)
  'Asia/Kathmandu', // +05:45
  'Pacific/Chatham', // +12:45 / +13:45
  'America/St_Johns', // -03:30 with DST
  'Pacific/Apia', // skipped 2011-12-30 entirely
  'Africa/Monrovia', // -00:44:30 until 1972: local midnight is not on a quarter hour
  'UTC',
];
const HOUR = 3600e3;
const DAY = 24 * HOUR;
const EARLIEST = Date.UTC(1900, 0, 1);

const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(at: number, zone: string): { date: string; offset: number } {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  const seconds = Math.floor(at / 1000) * 1000;
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, offset: wall - seconds };
}
const localDate = (at: number, zone: string) => wallClock(at, zone).date;
const offsetAt = (at: number, zone: string) => wallClock(at, zone).offset;
const daysBetween = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / DAY;

/** The instants of `year` at which `zone` changes its offset, to the second (scanned by day, then bisected). */
const transitionCache = new Map<string, number[]>();
function transitions(zone: string, year: number): number[] {
  const key = `${zone}:${year}`;
  let found = transitionCache.get(key);
  if (found) return found;
  found = [];
  for (let at = Date.UTC(year, 0, 1); at < Date.UTC(year + 1, 0, 1); at += DAY / 2) {
    if (offsetAt(at, zone) === offsetAt(at + DAY / 2, zone)) continue;
    let [low, high] = [at, at + DAY / 2];
    while (high - low > 1000) {
      const middle = Math.floor((low + high) / 2000) * 1000;
      if (offsetAt(middle, zone) === offsetAt(low, zone)) low = middle;
      else high = middle;
    }
    found.push(high);
  }
  transitionCache.set(key, found);
  return found;
}

/** The first instant of the local date that holds `at` (bisected to the second). */
function localDayStart(at: number, zone: string): number {
  const date = localDate(at, zone);
  let [low, high] = [at - 2 * DAY, Math.floor(at / 1000) * 1000];
  while (high - low > 1000) {
    const middle = Math.floor((low + high) / 2000) * 1000;
    if (localDate(middle, zone) === date) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * A zone and a run of instants over two or three days: around an offset change of the zone (a DST change, a
 * change of standard offset, Apia's skipped day), a local midnight, or any instant from 1900 on. No two instants
 * are more than five hours apart, so every local day of the run holds some, and a few lie within minutes of the
 * anchor, where a day boundary cut on the wrong side shows.
 */
const scenario = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    year: fc.oneof(fc.integer({ min: 1900, max: 2025 }), fc.constantFrom(1919, 1971, 1972, 2011, 2024)),
    anchor: fc.constantFrom('change', 'midnight', 'any'),
    pick: fc.nat(),
    within: fc.integer({ min: 0, max: 364 * DAY }),
    lead: fc.integer({ min: 0, max: 30 * HOUR }),
    steps: fc.array(fc.integer({ min: 1000, max: 5 * HOUR }), { minLength: 12, maxLength: 20 }),
    close: fc.array(fc.integer({ min: -20 * 60e3, max: 20 * 60e3 }), { maxLength: 4 }),
  })
  .map(({ zone, year, anchor, pick, within, lead, steps, close }) => {
    const changes = transitions(zone, year);
    const any = Date.UTC(year, 0, 1) + within;
    const at =
      anchor === 'change' && changes.length ? changes[pick % changes.length]! : anchor === 'midnight' ? localDayStart(any, zone) : any;
    let next = at - lead;
    const run = steps.map((step) => (next += step));
    // Ingestion refuses samples before 1900.
    const instants = [...new Set([...run, ...close.map((offset) => at + offset)])]
      .filter((instant) => instant >= EARLIEST)
      .sort((a, b) => a - b);
    return { zone, instants };
  })
  // A run that lies wholly before 1900 (early in 1900, led back by up to 30 hours) leaves nothing to ingest.
  .filter(({ instants }) => instants.length > 0);

function expectedDays(instants: number[], zone: string): Map<string, number> {
  const days = new Map<string, number>();
  for (const at of instants) days.set(localDate(at, zone), (days.get(localDate(at, zone)) ?? 0) + 1);
  return days;
}

const heartRates = (instants: number[]) =>
  instants.map((at, i) => ({ metricType: 'heart_rate', value: 40 + (i % 100), recordedAt: new Date(at) }));

/** Checks the day buckets of a series against the Intl days of the instants they hold. */
function checkDayBuckets(points: { start: Date; count: number }[], instants: number[], zone: string): void {
  const expected = expectedDays(instants, zone);
  const starts = points.map((point) => point.start.getTime());
  const dates = starts.map((start) => localDate(start, zone));
  // A bucket starts at the first instant of a local date, and holds exactly that date's instants.
  expect(new Set(dates).size, 'one bucket per local date').toBe(dates.length);
  expect(new Map(dates.map((date, i) => [date, points[i]!.count]))).toEqual(expected);
  for (const [i, start] of starts.entries()) {
    expect(localDate(start - 1, zone), `bucket ${dates[i]} starts at its first instant`).not.toBe(dates[i]);
  }
  for (let i = 0; i + 1 < starts.length; i++) {
    const [start, next] = [starts[i]!, starts[i + 1]!];
    // Since 1980 every zone here keeps whole or half hours and changes them by 30 or 60 minutes, but for St. John's
    // double daylight time of 1988 (two hours: a 22-hour day in April, a 26-hour one in October); only Apia's
    // skipped 2011-12-30 makes two calendar days one step.
    if (daysBetween(dates[i]!, dates[i + 1]!) === 1 && Number(dates[i]!.slice(0, 4)) >= 1980) {
      const lengths = zone === 'America/St_Johns' && dates[i]!.startsWith('1988-') ? [22, 23, 24, 25, 26] : [23, 23.5, 24, 24.5, 25];
      expect(lengths, `length of ${dates[i]}`).toContain((next - start) / HOUR);
    }
    expect(localDate(next - 1, zone), `${dates[i]} lasts until the next bucket`).toBe(dates[i]);
    for (const at of instants.filter((instant) => localDate(instant, zone) === dates[i])) {
      expect(at >= start && at < next, `${new Date(at).toISOString()} within ${dates[i]}`).toBe(true);
    }
  }
}

for (const engine of ENGINES) {
  describe.skipIf(!engineAvailable(engine))(`local days on ${engine}`, () => {
    let ctx: ServiceContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ ctx, close } = await openEnginePlatform(engine));
    });
    afterAll(() => close?.());

    async function userIn(zone: string) {
      return (await aUser(ctx, { timezone: zone })).id;
    }

    it('assigns every sample to the local date Intl gives for it, in daily summaries and day buckets', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ zone, instants }) => {
          const userId = await userIn(zone);
          await ingestSamples(ctx, userId, heartRates(instants), { source: 'apple_health' });
          const summaries = await dailySummaries(ctx, userId, {}, { limit: 500 });
          expect(new Map(summaries.data.map((day) => [day.date, day.count]))).toEqual(expectedDays(instants, zone));
          const window = { from: new Date(instants[0]!), to: new Date(instants.at(-1)! + 1) };
          const days = await timeseries(ctx, userId, { metricType: 'heart_rate', bucket: 'day', agg: 'count', ...window });
          checkDayBuckets(days.data, instants, zone);
        }),
        // Found by this property: St. John's 22-hour 1988-04-03 (double daylight time), which the check disallowed.
        {
          numRuns: 40,
          examples: [
            [
              {
                zone: 'America/St_Johns',
                instants: [
                  576041461000, 576041462000, 576041463000, 576044783198, 576059843891, 576073983066, 576086263336, 576096591711,
                  576097519118, 576109672011, 576117124226, 576120600000,
                ],
              },
            ],
          ],
        },
      );
    });

    it('cuts the same days when the series is asked in a zone other than the user’s', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ zone, instants }) => {
          const userId = await userIn('UTC');
          await ingestSamples(ctx, userId, heartRates(instants), { source: 'apple_health' });
          const window = { from: new Date(instants[0]!), to: new Date(instants.at(-1)! + 1) };
          const days = await timeseries(ctx, userId, { metricType: 'heart_rate', bucket: 'day', agg: 'count', timezone: zone, ...window });
          checkDayBuckets(days.data, instants, zone);
        }),
        // Found by this property: a quarter hour cut by Monrovia's local midnight (00:43:08 UTC in 1918) was
        // dropped from the window, and its samples lost from the series.
        { numRuns: 40, examples: [[{ zone: 'Africa/Monrovia', instants: [-1609543011000, -1609543010000, -1609542100000] }]] },
      );
    });

    it('re-cuts the daily summaries into the new zone’s local dates when the user moves', async () => {
      await fc.assert(
        fc.asyncProperty(scenario, fc.constantFrom(...ZONES), async ({ zone, instants }, before) => {
          const userId = await userIn(before);
          await ingestSamples(ctx, userId, heartRates(instants), { source: 'apple_health' });
          await updateUser(ctx, userId, { timezone: zone });
          const summaries = await dailySummaries(ctx, userId, {}, { limit: 500 });
          expect(new Map(summaries.data.map((day) => [day.date, day.count]))).toEqual(expectedDays(instants, zone));
        }),
        // Found by this property: St John's midnight fell at 02:30:52 UTC on 1919-05-06, and the rebuild put the samples
        // of the quarter hour it cuts into the day before.
        {
          numRuns: 30,
          examples: [[{ zone: 'America/St_Johns', instants: [-1598650147000, -1598650140000, -1598649900000] }, 'America/New_York']],
        },
      );
    });
  });
}
