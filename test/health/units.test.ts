import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Invalid } from '../../src/lib/errors.js';
import { METRIC_TYPES, requireMetricType } from '../../src/health/metric-types.js';
import { acceptedUnits, convertFromCanonical, convertToCanonical } from '../../src/health/units.js';
import { thrownBy } from '../helpers/thrown.js';

const toCanonical = (id: string, value: number, unit?: string | null) => convertToCanonical(requireMetricType(id), value, unit);

describe('unit conversion', () => {
  it('converts known values exactly as the definitions say', () => {
    expect(toCanonical('distance', 1, 'mi')).toBe(1609.344);
    expect(toCanonical('weight', 150, 'lb')).toBeCloseTo(68.0388555, 9);
    expect(toCanonical('body_temperature', 98.6, 'degF')).toBeCloseTo(37, 9);
    expect(toCanonical('body_temperature', 310.15, 'K')).toBeCloseTo(37, 9);
    expect(toCanonical('blood_glucose', 5.5, 'mmol/L')).toBeCloseTo(99.088, 9);
    expect(toCanonical('active_energy', 100, 'kJ')).toBeCloseTo(23.9006, 4);
    expect(toCanonical('spo2', 0.97, 'fraction')).toBeCloseTo(97, 9);
    expect(toCanonical('water', 16, 'fl_oz_us')).toBeCloseTo(473.176473, 6);
    expect(toCanonical('running_speed', 10, 'km/h')).toBeCloseTo(2.777778, 6);
    expect(toCanonical('sleep_duration', 7.5, 'h')).toBe(450);
    expect(toCanonical('hrv_rmssd', 0.042, 's')).toBeCloseTo(42, 9);
    expect(toCanonical('blood_pressure_systolic', 16, 'kPa')).toBeCloseTo(120.0099, 4);
  });

  it('scales a temperature deviation without the Fahrenheit zero point', () => {
    expect(toCanonical('skin_temperature_deviation', 1, 'degF')).toBeCloseTo(0.5556, 4);
    expect(toCanonical('skin_temperature_deviation', -0.9, '°F')).toBeCloseTo(-0.5, 9);
    expect(toCanonical('skin_temperature_deviation', 0.5, 'K')).toBe(0.5);
    expect(convertFromCanonical(requireMetricType('skin_temperature_deviation'), 0.5, 'degF')).toBeCloseTo(0.9, 9);
  });

  it('leaves a value alone when the unit is omitted or canonical in any spelling', () => {
    for (const unit of [undefined, null, 'bpm', 'BPM', ' bpm ', 'count/min', 'beats/min']) {
      expect(toCanonical('heart_rate', 61.7, unit), String(unit)).toBe(61.7);
    }
  });

  it('understands the spellings providers send', () => {
    expect(toCanonical('respiratory_rate', 15, 'count/min')).toBe(15);
    expect(toCanonical('dietary_energy', 500, 'Cal')).toBe(500);
    expect(toCanonical('dietary_energy', 500, 'kilocalories')).toBe(500);
    expect(toCanonical('body_temperature', 37, '°C')).toBe(37);
    expect(toCanonical('body_temperature', 98.6, 'fahrenheit')).toBeCloseTo(37, 9);
    expect(toCanonical('blood_glucose', 5.5, 'mmol/l')).toBeCloseTo(99.088, 9);
    expect(toCanonical('blood_glucose', 99, 'mg/dl')).toBe(99);
    expect(toCanonical('weight', 150, 'lbs')).toBeCloseTo(68.0388555, 9);
    expect(toCanonical('weight', 11, 'st')).toBeCloseTo(69.85322498, 8);
    expect(toCanonical('caffeine', 0.1, 'g')).toBeCloseTo(100, 9);
    expect(toCanonical('water', 1.5, 'L')).toBe(1500);
    expect(toCanonical('water', 8, 'fl oz')).toBeCloseTo(236.5882365, 9);
    expect(toCanonical('vo2max', 45, 'ml/(kg*min)')).toBe(45);
    expect(toCanonical('bmi', 23, 'count')).toBe(23);
    expect(toCanonical('sleep_efficiency', 88, 'percent')).toBe(88);
    expect(toCanonical('height', 6, 'ft')).toBeCloseTo(182.88, 9);
  });

  it('lists accepted units canonical first, without repeats', () => {
    expect(acceptedUnits(requireMetricType('weight'))).toEqual(['kg', 'g', 'mg', 'mcg', 'lb', 'oz', 'st']);
    expect(acceptedUnits(requireMetricType('height'))[0]).toBe('cm');
    expect(acceptedUnits(requireMetricType('steps'))).toEqual(['count']);
    for (const metric of METRIC_TYPES) {
      const units = acceptedUnits(metric);
      expect(new Set(units).size, metric.id).toBe(units.length);
    }
  });

  it('refuses a unit of another dimension with a 422 naming the unit, the metric type and the accepted units', () => {
    const error = thrownBy(() => toCanonical('distance', 3, 'kg'));
    expect(error).toBeInstanceOf(Invalid);
    expect((error as Invalid).message).toBe(
      'unit "kg" cannot be used for metric type "distance"; accepted units: m, km, cm, mm, mi, yd, ft, in',
    );
    for (const [id, unit] of [
      ['steps', 'm'],
      ['heart_rate', 'breaths/min'],
      ['body_fat', 'kg'],
      ['water', 'oz'],
      ['weight', ''],
    ] as const) {
      expect(() => toCanonical(id, 1, unit), `${id} in "${unit}"`).toThrow(Invalid);
    }
    expect(() => convertFromCanonical(requireMetricType('weight'), 70, 'furlong')).toThrow(Invalid);
  });

  it('refuses names of object properties as units', () => {
    for (const unit of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(() => toCanonical('weight', 70, unit), unit).toThrow(Invalid);
    }
  });
});

describe('unit conversion properties', () => {
  // Wide, but clear of overflow (1e200 × 1609 is still finite) and of subnormals, where any factor loses digits.
  const wideDouble = fc
    .double({ min: -1e200, max: 1e200, noNaN: true, noDefaultInfinity: true })
    .filter((x) => x === 0 || Math.abs(x) >= 1e-200);

  it('round-trips every value through every accepted unit of every metric type', () => {
    for (const metric of METRIC_TYPES) {
      for (const unit of acceptedUnits(metric)) {
        // A temperature scale's zero point makes its rounding error absolute near zero, hence a floor of 1.
        const affine = convertToCanonical(metric, 0, unit) !== 0 || convertFromCanonical(metric, 0, unit) !== 0;
        const floor = affine ? 1 : 0;
        fc.assert(
          fc.property(wideDouble, (x) => {
            const back = convertFromCanonical(metric, convertToCanonical(metric, x, unit), unit);
            return Math.abs(back - x) <= 1e-9 * Math.max(Math.abs(x), floor);
          }),
          { numRuns: 100 },
        );
      }
    }
  });

  it('answers any unit string with a number or Invalid, never another error', () => {
    const metric = fc.constantFrom(...METRIC_TYPES);
    fc.assert(
      fc.property(metric, fc.string({ unit: 'binary' }), fc.double({ noNaN: true }), (m, unit, value) => {
        const error = thrownBy(() => convertToCanonical(m, value, unit));
        return error === undefined || error instanceof Invalid;
      }),
    );
  });

  it('refuses every unit no provider spells', () => {
    // No accepted spelling contains a '§', so each of these is unknown.
    const unknownUnit = fc.string({ unit: 'grapheme' }).map((s) => `${s}§`);
    fc.assert(
      fc.property(fc.constantFrom(...METRIC_TYPES), unknownUnit, (metric, unit) => {
        expect(() => convertToCanonical(metric, 1, unit)).toThrow(Invalid);
        expect(() => convertFromCanonical(metric, 1, unit)).toThrow(Invalid);
      }),
    );
  });
});
