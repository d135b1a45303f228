import { Invalid } from '../lib/errors.js';
import type { MetricType } from './metric-types.js';

/**
 * Unit conversion into a metric's canonical unit. Units are grouped by dimension; within one, each unit is a
 * factor (and for temperature scales a zero point) relative to the dimension's base:
 *   base = (value − zero) × factor
 * so any unit converts into any other of its dimension, and units of different dimensions never convert.
 * A spelling is looked up only within the metric's dimension, which lets HealthKit's 'count/min' mean beats
 * for heart rate and breaths for respiratory rate.
 */
interface Unit {
  /** The canonical spelling, as listed by acceptedUnits(). */
  symbol: string;
  /** Other spellings providers send, matched like the symbol: trimmed and case-insensitive. */
  aliases: readonly string[];
  factor: number;
  /** This unit's reading at the base's zero; only temperature scales have one. */
  zero?: number;
}

const defineUnit = (symbol: string, factor: number, aliases: readonly string[] = [], zero?: number): Unit => ({
  symbol,
  factor,
  aliases,
  zero,
});

const DIMENSIONS: Record<string, readonly Unit[]> = {
  count: [defineUnit('count', 1)],
  score: [defineUnit('score', 1)],
  // International yard and pound (1959): exact by definition.
  length: [
    defineUnit('m', 1, ['meter', 'meters', 'metre', 'metres']),
    defineUnit('km', 1000, ['kilometer', 'kilometers', 'kilometre', 'kilometres']),
    defineUnit('cm', 0.01, ['centimeter', 'centimeters', 'centimetre', 'centimetres']),
    defineUnit('mm', 0.001, ['millimeter', 'millimeters', 'millimetre', 'millimetres']),
    defineUnit('mi', 1609.344, ['mile', 'miles']),
    defineUnit('yd', 0.9144, ['yard', 'yards']),
    defineUnit('ft', 0.3048, ['foot', 'feet']),
    defineUnit('in', 0.0254, ['inch', 'inches']),
  ],
  mass: [
    defineUnit('kg', 1, ['kgs', 'kilogram', 'kilograms']),
    defineUnit('g', 1e-3, ['gram', 'grams']),
    defineUnit('mg', 1e-6, ['milligram', 'milligrams']),
    defineUnit('mcg', 1e-9, ['µg', 'μg', 'ug', 'microgram', 'micrograms']),
    defineUnit('lb', 0.45359237, ['lbs', 'pound', 'pounds']),
    defineUnit('oz', 0.028349523125, ['ounce', 'ounces']),
    defineUnit('st', 6.35029318, ['stone', 'stones']),
  ],
  // Thermochemical calorie: 1 kcal = 4.184 kJ exactly. 'Cal' (capital, HealthKit's food calorie) and 'cal' both
  // mean kcal here: health data never carries small calories, and reading a kcal value as small calories would
  // silently shrink it 1000× into a plausible range, whereas the reverse mistake lands far outside any range.
  energy: [
    defineUnit('kcal', 4184, ['cal', 'kcals', 'kilocalorie', 'kilocalories', 'calorie', 'calories']),
    defineUnit('kJ', 1000, ['kilojoule', 'kilojoules']),
    defineUnit('J', 1, ['joule', 'joules']),
  ],
  duration: [
    defineUnit('s', 1, ['sec', 'secs', 'second', 'seconds']),
    defineUnit('ms', 1e-3, ['msec', 'millisecond', 'milliseconds']),
    defineUnit('min', 60, ['mins', 'minute', 'minutes']),
    defineUnit('h', 3600, ['hr', 'hrs', 'hour', 'hours']),
  ],
  // Celsius is the base; Fahrenheit reads 32 and kelvin 273.15 at 0 °C.
  temperature: [
    defineUnit('degC', 1, ['°C', '℃', 'C', 'Cel', 'celsius']),
    defineUnit('degF', 5 / 9, ['°F', '℉', 'F', '[degF]', 'fahrenheit'], 32),
    defineUnit('K', 1, ['kelvin'], 273.15),
  ],
  // 'fl oz' (and 'cup') without a qualifier is the US unit, as in HealthKit and US nutrition labels.
  volume: [
    defineUnit('mL', 1, ['milliliter', 'milliliters', 'millilitre', 'millilitres']),
    defineUnit('L', 1000, ['liter', 'liters', 'litre', 'litres']),
    defineUnit('fl_oz_us', 29.5735295625, ['fl oz', 'fl. oz', 'floz', 'fl_oz', 'fl oz us']),
    defineUnit('fl_oz_imp', 28.4130625, ['fl oz imp', 'fl oz uk']),
    // The US customary cup: 8 US fl oz exactly.
    defineUnit('cup_us', 236.5882365, ['cup', 'cups']),
  ],
  speed: [
    defineUnit('m/s', 1, ['mps', 'meters per second']),
    defineUnit('km/h', 1 / 3.6, ['kph', 'kmh', 'km/hr']),
    defineUnit('mph', 0.44704, ['mi/h', 'mi/hr']),
  ],
  power: [defineUnit('W', 1, ['watt', 'watts'])],
  // 1 mmHg = 133.322387415 Pa by definition.
  pressure: [defineUnit('mmHg', 133.322387415, ['mm hg']), defineUnit('kPa', 1000)],
  // Glucose only: C6H12O6 has a molar mass of 180.156 g/mol, so 1 mmol/L = 180.156 mg/L ≈ 18.016 mg/dL.
  // Other blood values (cholesterol, ketones) need their own molar mass and so their own dimension.
  glucose_concentration: [defineUnit('mg/dL', 1), defineUnit('mmol/L', 18.016)],
  percent: [defineUnit('%', 1, ['percent', 'pct']), defineUnit('fraction', 100)],
  heart_beat_rate: [defineUnit('bpm', 1, ['count/min', 'beats/min', 'beats per minute'])],
  breathing_rate: [defineUnit('breaths/min', 1, ['count/min', 'brpm', 'breaths per minute'])],
  step_rate: [defineUnit('steps/min', 1, ['count/min', 'spm', 'steps per minute'])],
  revolution_rate: [defineUnit('rpm', 1, ['count/min', 'rev/min', 'revolutions per minute'])],
  // HealthKit's VO2 max unit is 'ml/(kg*min)'.
  oxygen_uptake: [defineUnit('mL/kg/min', 1, ['ml/(kg*min)', 'ml/(kg·min)', 'ml/kg·min'])],
  // HealthKit stores BMI with the unit 'count'.
  body_mass_index: [defineUnit('kg/m2', 1, ['kg/m^2', 'kg/m²', 'count'])],
};

interface Dimension {
  units: readonly Unit[];
  bySpelling: ReadonlyMap<string, Unit>;
}

const normalizeSpelling = (spelling: string): string => spelling.trim().toLowerCase();

function indexDimensions(): Map<string, Dimension> {
  const bySymbol = new Map<string, Dimension>();
  for (const [name, units] of Object.entries(DIMENSIONS)) {
    const bySpelling = new Map<string, Unit>();
    for (const u of units) {
      for (const spelling of [u.symbol, ...u.aliases].map(normalizeSpelling)) {
        // A spelling with two meanings in one dimension would convert silently wrong; fail at startup instead.
        if (bySpelling.has(spelling)) throw new Error(`unit spelling "${spelling}" is ambiguous in dimension ${name}`);
        bySpelling.set(spelling, u);
      }
      if (bySymbol.has(u.symbol)) throw new Error(`unit symbol "${u.symbol}" belongs to two dimensions`);
    }
    for (const u of units) bySymbol.set(u.symbol, { units, bySpelling });
  }
  return bySymbol;
}

const dimensionBySymbol = indexDimensions();

function dimensionOf(metric: MetricType): Dimension {
  const dimension = dimensionBySymbol.get(metric.unit);
  // The registry test covers every canonical unit, so this is a programming error (500), not bad input.
  if (!dimension) throw new Error(`metric type ${metric.id} has canonical unit "${metric.unit}", which units.ts does not know`);
  return dimension;
}

/** Canonical spellings of the units a metric accepts, canonical unit first. */
export function acceptedUnits(metric: MetricType): string[] {
  const symbols = dimensionOf(metric).units.map((u) => u.symbol);
  return [metric.unit, ...symbols.filter((symbol) => symbol !== metric.unit)];
}

function findUnit(metric: MetricType, spelling: string): Unit {
  const found = dimensionOf(metric).bySpelling.get(normalizeSpelling(spelling));
  if (!found) {
    throw new Invalid(
      `unit ${JSON.stringify(spelling)} cannot be used for metric type "${metric.id}"; accepted units: ${acceptedUnits(metric).join(', ')}`,
    );
  }
  return found;
}

// A difference of temperatures has no zero point to shift: 1 °F of deviation is 5/9 °C of deviation.
const zeroOf = (metric: MetricType, u: Unit): number => (metric.delta ? 0 : (u.zero ?? 0));

function convert(metric: MetricType, value: number, from: Unit, to: Unit): number {
  if (from === to) return value;
  const base = (value - zeroOf(metric, from)) * from.factor;
  return base / to.factor + zeroOf(metric, to);
}

/** The value in the metric's canonical unit; no unit means it is already canonical. */
export function convertToCanonical(metric: MetricType, value: number, unit?: string | null): number {
  if (unit === undefined || unit === null) return value;
  return convert(metric, value, findUnit(metric, unit), findUnit(metric, metric.unit));
}

/** The canonical value expressed in another accepted unit (for exports and round-trip tests). */
export function convertFromCanonical(metric: MetricType, value: number, unit: string): number {
  return convert(metric, value, findUnit(metric, metric.unit), findUnit(metric, unit));
}
