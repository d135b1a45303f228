import type { ServiceContext } from '../context.js';
import { METRIC_TYPES, requireMetricType } from '../health/metric-types.js';
import { BadRequest, Invalid } from '../lib/errors.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { getUser } from '../users/users.js';
import { benjaminiHochberg, correlationTest, midranks, pearson, pearsonR, spearman } from './correlation-tests.js';
import { dailySeries, EVENT_SERIES_IDS, type DailySeries } from './daily-series.js';

/**
 * Correlation discovery over a user's daily series. Every pair of series is tested at lags 0 to maxLag (series A on
 * day d against B on day d + lag: does A go with B a few days later?), on the days both have a value, when there
 * are at least minN of them. Each test gives Pearson's r and Spearman's ρ with two-sided p-values; each family
 * (Pearson, Spearman) is adjusted by Benjamini–Hochberg. A discovery is a Spearman q ≤ alpha — Spearman because it
 * is robust to the outlier days wearable data has — and discoveries are ranked by |ρ|.
 * Pairs that measure one quantity twice (steps and distance, sleep duration and time in bed, weight and BMI) are
 * not tested at lag 0: their correlation is definitional, not a finding.
 */
export interface CorrelationQuery {
  from?: string | null;
  to?: string | null;
  metricTypes?: readonly string[] | null;
  maxLag?: number | null;
  minN?: number | null;
  alpha?: number | null;
  limit?: number | null;
}

export interface Coefficient {
  r: number;
  p: number;
  /** Benjamini–Hochberg adjusted p-value within the family of tests of the request. */
  q: number;
}

export interface Correlation {
  /** The leading series (day d). */
  seriesA: string;
  /** The following series (day d + lagDays). */
  seriesB: string;
  lagDays: number;
  /** Days with both values. */
  n: number;
  pearson: Coefficient;
  spearman: Coefficient;
  direction: 'positive' | 'negative';
  /** |ρ| below 0.3 weak, below 0.5 moderate, else strong (Cohen 1988). */
  strength: 'weak' | 'moderate' | 'strong';
  sentence: string;
}

export interface CorrelationReport {
  userId: string;
  timezone: string;
  from: string;
  to: string;
  maxLag: number;
  minN: number;
  alpha: number;
  /** Series with data in the window. */
  series: string[];
  /** Tests run (pairs × lags with at least minN days). */
  tested: number;
  /** Discoveries (Spearman q ≤ alpha), before the limit. */
  discoveries: number;
  correlations: Correlation[];
}

export const DEFAULT_CORRELATION_DAYS = 90;
export const MAX_CORRELATION_DAYS = 366;

/** Series that measure one quantity (or a part of it) and so correlate by definition on the same day. */
const SAME_QUANTITY: readonly (readonly string[])[] = [
  [
    'steps',
    'distance',
    'active_energy',
    'active_minutes',
    'exercise_minutes',
    'moderate_intensity_minutes',
    'vigorous_intensity_minutes',
    'workout_minutes',
    'floors_climbed',
    'elevation_gain',
  ],
  [
    'sleep_duration',
    'time_in_bed',
    'deep_sleep_duration',
    'rem_sleep_duration',
    'light_sleep_duration',
    'sleep_minutes',
    'awake_duration',
    'sleep_efficiency',
  ],
  ['weight', 'bmi', 'lean_body_mass', 'muscle_mass', 'body_water', 'bone_mass', 'body_fat'],
  ['hrv_rmssd', 'hrv_sdnn'],
  ['body_temperature', 'skin_temperature', 'skin_temperature_deviation', 'basal_body_temperature'],
  ['dietary_energy', 'protein', 'carbohydrates', 'dietary_fat', 'fiber', 'sugar'],
];
const sameQuantity = (a: string, b: string) => SAME_QUANTITY.some((group) => group.includes(a) && group.includes(b));

export const CORRELATION_SERIES_IDS: readonly string[] = [...METRIC_TYPES.map((m) => m.id), ...EVENT_SERIES_IDS];

function settingsOf(query: CorrelationQuery) {
  const maxLag = query.maxLag ?? 3;
  if (!Number.isInteger(maxLag) || maxLag < 0 || maxLag > 3) throw new Invalid('maxLag must be an integer from 0 to 3');
  const minN = query.minN ?? 14;
  if (!Number.isInteger(minN) || minN < 5 || minN > MAX_CORRELATION_DAYS)
    throw new Invalid(`minN must be an integer from 5 to ${MAX_CORRELATION_DAYS}`);
  const alpha = query.alpha ?? 0.05;
  if (!(alpha > 0 && alpha <= 0.5)) throw new Invalid('alpha must be a number above 0, at most 0.5');
  const limit = query.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new Invalid('limit must be an integer from 1 to 500');
  return { maxLag, minN, alpha, limit };
}

function nameOf(id: string): string {
  if (id === 'workout_minutes') return 'workout minutes';
  if (id === 'sleep_minutes') return 'sleep minutes';
  return requireMetricType(id).name.toLowerCase();
}

function sentenceOf(c: Omit<Correlation, 'sentence'>): string {
  const a = nameOf(c.seriesA);
  const b = nameOf(c.seriesB);
  const when = c.lagDays === 0 ? 'the same day' : c.lagDays === 1 ? 'the next day' : `${c.lagDays} days later`;
  const tendency = c.direction === 'positive' ? 'higher' : 'lower';
  return (
    `On days with higher ${a}, ${b} tended to be ${tendency} ${when} ` +
    `(${c.strength} ${c.direction} correlation: Spearman ρ = ${c.spearman.r.toFixed(2)}, n = ${c.n} days, q = ${formatQ(c.spearman.q)}).`
  );
}

const formatQ = (q: number) => (q < 0.001 ? '< 0.001' : q.toFixed(3));

interface Test {
  seriesA: string;
  seriesB: string;
  lagDays: number;
  n: number;
  pearson: { r: number; p: number };
  spearman: { r: number; p: number };
}

/** A series as one slot per day of the window (NaN where it has no value), so pairs at a lag align by index. */
function slotsOf(series: DailySeries, from: string, days: number): Float64Array {
  const slots = new Float64Array(days).fill(Number.NaN);
  for (let i = 0, day = from; i < days; i++, day = addDays(day, 1)) {
    const value = series.values.get(day);
    if (value !== undefined) slots[i] = value;
  }
  return slots;
}

/**
 * A series' midranks over the first (head) or last (tail) `days − lag` slots, for each lag, where those slots all
 * have a value (null where one is missing). Two series complete over their slots at a lag pair up index by index,
 * so their Spearman ρ needs these ranks and no per-test sort: most series of a user with a device are complete.
 */
function ranksByLag(slots: Float64Array, maxLag: number) {
  const rank = (part: Float64Array) => (part.some(Number.isNaN) ? null : midranks(part));
  return Array.from({ length: maxLag + 1 }, (_, lag) => ({
    head: rank(slots.subarray(0, slots.length - lag)),
    tail: rank(slots.subarray(lag)),
  }));
}

/** The aligned pairs of two series at a lag: A on day d, B on day d + lag, for each d in the window with both. */
function aligned(a: Float64Array, b: Float64Array, lag: number): [number[], number[]] {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i + lag < a.length; i++) {
    const x = a[i]!;
    const y = b[i + lag]!;
    if (!Number.isNaN(x) && !Number.isNaN(y)) {
      xs.push(x);
      ys.push(y);
    }
  }
  return [xs, ys];
}

/** The tests of a pair with gaps: on the days both have a value, when there are at least minN. */
function testOfAligned(a: Float64Array, b: Float64Array, lag: number, minN: number) {
  const [xs, ys] = aligned(a, b, lag);
  return xs.length < minN ? null : { n: xs.length, p: pearson(xs, ys), s: spearman(xs, ys) };
}

export async function discoverCorrelations(ctx: ServiceContext, userId: string, query: CorrelationQuery): Promise<CorrelationReport> {
  const user = await getUser(ctx, userId);
  const settings = settingsOf(query);
  const to = query.to != null ? checkDay('to', query.to) : addDays(localDay(user.timezone, ctx.clock.now()), -1);
  const from = query.from != null ? checkDay('from', query.from) : addDays(to, -(DEFAULT_CORRELATION_DAYS - 1));
  if (from > to) throw new BadRequest('from must not be after to');
  if (addDays(from, MAX_CORRELATION_DAYS) <= to) throw new BadRequest(`from–to spans more than ${MAX_CORRELATION_DAYS} days`);
  const series = await dailySeries(ctx, user, from, to, query.metricTypes?.length ? query.metricTypes : null);

  let windowDays = 1;
  while (addDays(from, windowDays) <= to) windowDays++;
  const slots = series.map((entry) => slotsOf(entry, from, windowDays));
  const ranks = slots.map((entry) => ranksByLag(entry, settings.maxLag));
  const tests: Test[] = [];
  for (let i = 0; i < series.length; i++) {
    for (let j = 0; j < series.length; j++) {
      if (i === j) continue;
      const [a, b] = [series[i]!, series[j]!];
      for (let lag = 0; lag <= settings.maxLag; lag++) {
        // Lag 0 is symmetric: test each unordered pair once.
        if (lag === 0 && (j < i || sameQuantity(a.id, b.id))) continue;
        const head = ranks[i]![lag]!.head;
        const tail = ranks[j]![lag]!.tail;
        const n = windowDays - lag;
        const test =
          head && tail
            ? n < settings.minN
              ? null
              : {
                  n,
                  p: correlationTest(pearsonR(slots[i]!.subarray(0, n), slots[j]!.subarray(lag)), n),
                  s: correlationTest(pearsonR(head, tail), n),
                }
            : testOfAligned(slots[i]!, slots[j]!, lag, settings.minN);
        if (!test?.p || !test.s) continue;
        tests.push({ seriesA: a.id, seriesB: b.id, lagDays: lag, n: test.n, pearson: test.p, spearman: test.s });
      }
    }
  }
  const pearsonQ = benjaminiHochberg(tests.map((t) => t.pearson.p));
  const spearmanQ = benjaminiHochberg(tests.map((t) => t.spearman.p));
  const found = tests
    .map((test, i) => ({ ...test, pearson: { ...test.pearson, q: pearsonQ[i]! }, spearman: { ...test.spearman, q: spearmanQ[i]! } }))
    .filter((test) => test.spearman.q <= settings.alpha)
    .sort((a, b) => Math.abs(b.spearman.r) - Math.abs(a.spearman.r) || a.spearman.q - b.spearman.q);
  const correlations = found.slice(0, settings.limit).map((test): Correlation => {
    const rho = test.spearman.r;
    const described = {
      ...test,
      direction: rho >= 0 ? ('positive' as const) : ('negative' as const),
      strength: Math.abs(rho) < 0.3 ? ('weak' as const) : Math.abs(rho) < 0.5 ? ('moderate' as const) : ('strong' as const),
    };
    return { ...described, sentence: sentenceOf(described) };
  });

  return {
    userId: user.id,
    timezone: user.timezone,
    from,
    to,
    ...settings,
    series: series.map((s) => s.id),
    tested: tests.length,
    discoveries: found.length,
    correlations,
  };
}
