import type { ServiceContext } from '../context.js';
import { weighScores, type Weighted } from '../analytics/weighted-score.js';
import { mergedDays } from '../health/daily-summaries.js';
import { addDays, checkDay, localDay } from '../lib/time.js';
import { HISTORY_NIGHTS } from '../sleep/debt.js';
import { nightsBetween } from '../sleep/sleep-analysis.js';
import { getReadiness, READINESS_WEIGHTS } from '../training/readiness.js';
import { getUser } from '../users/users.js';
import { ACTIVITY_METRICS, ACTIVITY_WEIGHTS, activityComponents } from './activity-area.js';
import { CARDIO_HISTORY_DAYS, CARDIO_METRICS, CARDIO_WEIGHTS, cardioComponents } from './cardio-area.js';
import { SCORE_WINDOW_DAYS, type ScoreComponent, type ScoreComponentId, type Scored } from './components.js';
import { SLEEP_WEIGHTS, sleepComponents } from './sleep-area.js';

/**
 * Composite wellness scores, 0–100, for one local day of the user: four areas, each the weighted mean of its
 * components (src/scores/sleep-area.ts, activity-area.ts, cardio-area.ts; recovery is the day's readiness,
 * src/training/readiness.ts), and an overall score, the weighted mean of the areas with data. A missing component
 * or area gives its weight to the others (src/analytics/weighted-score.ts); none: null.
 *
 * Overall weights (VitaSync's): sleep 30%, activity 25%, cardio 25%, recovery 20%.
 *
 * This is a pure read: it stores nothing (POST …/health-scores/compute stores it; src/scores/score-store.ts).
 * Its return type, HealthScores, is kept stable for other modules (insights, context).
 */
export const AREA_WEIGHTS = { sleep: 0.3, activity: 0.25, cardio: 0.25, recovery: 0.2 } as const;
export type ScoreAreaId = keyof typeof AREA_WEIGHTS;
export const AREA_IDS = Object.keys(AREA_WEIGHTS) as ScoreAreaId[];

export const COMPONENT_WEIGHTS: Record<ScoreAreaId, Partial<Record<ScoreComponentId, number>>> = {
  sleep: SLEEP_WEIGHTS,
  activity: ACTIVITY_WEIGHTS,
  cardio: CARDIO_WEIGHTS,
  recovery: { readiness: 1 },
};

export interface AreaScore extends Weighted {
  area: ScoreAreaId;
  /** The area's score, 0–100: Σ component subScore × share, rounded. */
  subScore: number;
  components: ScoreComponent[];
  /** Components without data (their weight went to the others). */
  missing: ScoreComponentId[];
}

export interface HealthScores {
  userId: string;
  timezone: string;
  /** The scored local day; figures are taken over the SCORE_WINDOW_DAYS days ending on it. */
  asOf: string;
  overall: number | null;
  sleep: number | null;
  activity: number | null;
  cardio: number | null;
  recovery: number | null;
  /** The areas with data, each with its share of the overall score. */
  areas: AreaScore[];
  /** Areas without data (their weight went to the others). */
  missing: ScoreAreaId[];
}

/** The default scored day: the user's yesterday, the last complete local day (today's steps are still counting). */
export function defaultScoreDay(timeZone: string, now: Date): string {
  return addDays(localDay(timeZone, now), -1);
}

function area(id: ScoreAreaId, found: Scored[]): Omit<AreaScore, keyof Weighted> | null {
  const weights = COMPONENT_WEIGHTS[id];
  const { items, score } = weighScores(found, (c) => weights[c.component]!);
  if (score === null) return null;
  const ids = Object.keys(weights) as ScoreComponentId[];
  return { area: id, subScore: score, components: items, missing: ids.filter((c) => !found.some((f) => f.component === c)) };
}

async function recoveryComponents(ctx: ServiceContext, userId: string, asOf: string): Promise<Scored[]> {
  const readiness = await getReadiness(ctx, userId, { asOf });
  if (readiness.score === null) return [];
  return [
    {
      component: 'readiness',
      source: 'readiness',
      value: readiness.score,
      unit: 'score',
      reference: 100,
      referenceBasis: `readiness of the day (GET …/readiness): ${Object.keys(READINESS_WEIGHTS).join(', ')}`,
      baseline: null,
      from: asOf,
      to: asOf,
      n: readiness.signals.length,
      sources: readiness.signals.map((s) => s.source).sort(),
      subScore: readiness.score,
    },
  ];
}

/** The scores of a local day (default: the user's yesterday), computed from the stored data; stores nothing. */
export async function computeHealthScores(ctx: ServiceContext, userId: string, asOf?: string | null): Promise<HealthScores> {
  const user = await getUser(ctx, userId);
  const day = asOf == null ? defaultScoreDay(user.timezone, ctx.clock.now()) : checkDay('asOf', asOf);
  const [nights, activity, cardio, recovery] = await Promise.all([
    nightsBetween(ctx, user, addDays(day, 1 - SCORE_WINDOW_DAYS - HISTORY_NIGHTS), day),
    mergedDays(ctx, user.id, addDays(day, 1 - SCORE_WINDOW_DAYS), day, [...ACTIVITY_METRICS]),
    mergedDays(ctx, user.id, addDays(day, 1 - CARDIO_HISTORY_DAYS), day, [...CARDIO_METRICS]),
    recoveryComponents(ctx, user.id, day),
  ]);
  const found = [
    area('sleep', sleepComponents(nights, user.timezone, day)),
    area('activity', activityComponents(activity, day)),
    area('cardio', cardioComponents(cardio, day)),
    area('recovery', recovery),
  ].filter((a) => a !== null);
  const { items: areas, score: overall } = weighScores(found, (a) => AREA_WEIGHTS[a.area]);
  const scoreOf = (id: ScoreAreaId) => areas.find((a) => a.area === id)?.subScore ?? null;
  return {
    userId: user.id,
    timezone: user.timezone,
    asOf: day,
    overall,
    sleep: scoreOf('sleep'),
    activity: scoreOf('activity'),
    cardio: scoreOf('cardio'),
    recovery: scoreOf('recovery'),
    areas,
    missing: AREA_IDS.filter((id) => !found.some((a) => a.area === id)),
  };
}
