import { describe, expect, it } from 'vitest';
import { QUARTER_HOUR_OFFSETS_SINCE } from '../../src/health/timeseries.js';

const WEEK = 7 * 86_400_000;
const QUARTER_HOUR = 15 * 60_000;

/** The zone's UTC offset at `at`, in ms, as the IANA data (through Intl) gives it. */
function offsetAt(format: Intl.DateTimeFormat, at: number): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, Number(part.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - at;
}

describe('the premise of the timeseries fast path', () => {
  it('every IANA zone keeps its offsets in whole quarter hours from 1980 on', () => {
    const odd: string[] = [];
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const format = new Intl.DateTimeFormat('en-CA', {
        timeZone: zone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        hourCycle: 'h23',
      });
      // Weekly: no offset of the data since 1980 lasts less than a week.
      for (let at = QUARTER_HOUR_OFFSETS_SINCE.getTime(); at < Date.UTC(2040, 0, 1); at += WEEK) {
        const offset = offsetAt(format, at);
        if (offset % QUARTER_HOUR !== 0) {
          odd.push(`${zone} ${new Date(at).toISOString()} ${offset / 60_000} min`);
          break;
        }
      }
    }
    expect(odd).toEqual([]);
  }, 120_000);

  it('would notice a zone that did not (Kiritimati was -10:40 until October 1979)', () => {
    const format = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Pacific/Kiritimati',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      hourCycle: 'h23',
    });
    expect(offsetAt(format, Date.UTC(1979, 0, 1)) / 60_000).toBe(-640);
    expect(offsetAt(format, QUARTER_HOUR_OFFSETS_SINCE.getTime()) / 60_000).toBe(-600);
  });
});
