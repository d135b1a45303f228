import { describe, expect, it } from 'vitest';
import { QUARTER_HOUR_OFFSETS_SINCE } from '../../src/health/timeseries.js';
import { zoneOffsetAt } from '../../src/lib/time.js';

const WEEK = 7 * 86_400_000;
const QUARTER_HOUR = 15 * 60_000;

describe('the premise of the timeseries fast path', () => {
  it('every IANA zone keeps its offsets in whole quarter hours from 1980 on', () => {
    const odd: string[] = [];
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      // Weekly: no offset of the data since 1980 lasts less than a week.
      for (let at = QUARTER_HOUR_OFFSETS_SINCE.getTime(); at < Date.UTC(2040, 0, 1); at += WEEK) {
        const offset = zoneOffsetAt(zone, at);
        if (offset % QUARTER_HOUR !== 0) {
          odd.push(`${zone} ${new Date(at).toISOString()} ${offset / 60_000} min`);
          break;
        }
      }
    }
    expect(odd).toEqual([]);
  }, 120_000);

  it('would notice a zone that did not (Kiritimati was -10:40 until October 1979)', () => {
    expect(zoneOffsetAt('Pacific/Kiritimati', Date.UTC(1979, 0, 1)) / 60_000).toBe(-640);
    expect(zoneOffsetAt('Pacific/Kiritimati', QUARTER_HOUR_OFFSETS_SINCE.getTime()) / 60_000).toBe(-600);
  });
});
