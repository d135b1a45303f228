import { describe, expect, it } from 'vitest';
import { Invalid } from '../../src/lib/errors.js';
import { assertTimeZone, isIanaTimeZone } from '../../src/lib/time.js';

describe('time zones', () => {
  it('accepts IANA zone names, including :30 and :45 offset zones', () => {
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Asia/Kathmandu', 'Etc/GMT+5']) {
      expect(isIanaTimeZone(zone), zone).toBe(true);
    }
  });

  it('refuses unknown names and raw offsets with a 422 that names the value', () => {
    for (const zone of ['Mars/Base', '+05:30', 'utc+1', '', 'Europe']) {
      expect(isIanaTimeZone(zone), zone).toBe(false);
    }
    expect(() => assertTimeZone('Mars/Base')).toThrow(Invalid);
    expect(() => assertTimeZone('Mars/Base')).toThrow(/Mars\/Base/);
  });
});
