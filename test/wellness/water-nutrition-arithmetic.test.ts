import { describe, expect, it } from 'vitest';
import { requireMetricType } from '../../src/health/metric-types.js';
import { convertToCanonical } from '../../src/health/units.js';
import { loggedAt } from '../../src/wellness/logged-at.js';
import { BEVERAGES, WATER_UNITS } from '../../src/wellness/water/beverages.js';
import { NUTRIENTS } from '../../src/wellness/nutrition/nutrients.js';

const NOW = new Date('2025-06-10T12:00:00.000Z');

describe('water log amounts and local days', () => {
  it('converts each unit to ml by its definition (US fl oz 29.5735295625 ml, US cup 8 of them)', () => {
    const water = requireMetricType('water');
    const ml = (amount: number, unit: keyof typeof WATER_UNITS) => convertToCanonical(water, amount, WATER_UNITS[unit]);
    expect(ml(250, 'ml')).toBe(250);
    expect(ml(1.5, 'l')).toBe(1500);
    expect(ml(16, 'fl_oz')).toBeCloseTo(473.176473, 6);
    expect(ml(2, 'cup')).toBeCloseTo(473.176473, 6);
  });

  it('counts no drink for more than its volume', () => {
    expect(Math.max(...Object.values(BEVERAGES))).toBeLessThanOrEqual(1);
    expect(Math.min(...Object.values(BEVERAGES))).toBeGreaterThanOrEqual(0);
  });

  it('dates a log by the user’s zone at its instant: a minute either side of midnight, and across a DST change', () => {
    expect(loggedAt(new Date('2025-06-09T21:59:00Z'), NOW, 'Europe/Berlin').localDate).toBe('2025-06-09');
    expect(loggedAt(new Date('2025-06-09T22:01:00Z'), NOW, 'Europe/Berlin').localDate).toBe('2025-06-10');
    // New York springs forward at 02:00 on 9 March 2025 (UTC−5 → UTC−4): 04:59 UTC is 23:59 on the 8th…
    expect(loggedAt(new Date('2025-03-09T04:59:00Z'), NOW, 'America/New_York').localDate).toBe('2025-03-08');
    expect(loggedAt(new Date('2025-03-09T05:01:00Z'), NOW, 'America/New_York').localDate).toBe('2025-03-09');
    // …and the day ends at 04:00 UTC the next day (EDT).
    expect(loggedAt(new Date('2025-03-10T03:59:00Z'), NOW, 'America/New_York').localDate).toBe('2025-03-09');
    expect(loggedAt(new Date('2025-03-10T04:01:00Z'), NOW, 'America/New_York').localDate).toBe('2025-03-10');
  });

  it('defaults to now and refuses instants more than a day ahead or before 1900', () => {
    expect(loggedAt(null, NOW, 'UTC')).toEqual({ at: NOW, localDate: '2025-06-10' });
    expect(() => loggedAt(new Date('2025-06-11T12:00:01Z'), NOW, 'UTC')).toThrow(/at must not be more than a day/);
    expect(() => loggedAt(new Date('1899-12-31T23:59:59Z'), NOW, 'UTC')).toThrow(/at must be an instant from 1900/);
  });
});

describe('nutrients of a meal', () => {
  it('uses the units of the nutrition metric types', () => {
    for (const nutrient of NUTRIENTS) expect(requireMetricType(nutrient.metricType).unit, nutrient.field).toBe(nutrient.unit);
  });

  it('defaults to the EU reference intakes (sodium from 6 g salt / 2.5) and EFSA’s 25 g of fibre', () => {
    const targets = Object.fromEntries(NUTRIENTS.map((nutrient) => [nutrient.field, nutrient.target]));
    expect(targets).toEqual({ energy: 2000, protein: 50, carbohydrates: 260, fat: 70, fiber: 25, sugar: 90, sodium: 6000 / 2.5 });
  });
});
