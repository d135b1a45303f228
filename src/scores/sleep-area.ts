import { sleepNeed } from '../sleep/debt.js';
import type { Night } from '../sleep/nights.js';
import { sleepQuality } from '../sleep/quality.js';
import { addDays } from '../lib/time.js';
import { clip, mean, round, SCORE_WINDOW_DAYS, type Scored } from './components.js';

/**
 * Sleep, 0–100, over the 7 nights ending on the scored day (a night belongs to the morning it ends):
 *
 * | component | value | sub-score | weight |
 * |---|---|---|---|
 * | duration | mean time asleep / the nightly need (src/sleep/debt.ts: 8 h, or the personal need within NSF's 7–9 h) | 200 × ratio − 100 (the need 100, half of it 0), as readiness scores last night | 50% |
 * | efficiency | mean sleep efficiency, % | 50 + 5 × (eff − 75): 85% (NSF "appropriate", Ohayon et al. 2017) 100, 75% (its lower bound of "uncertain") 50, 65% 0 | 25% |
 * | regularity | SD of the main sleep's local midpoint across nights, min (Fischer et al. 2021), from 3 nights | 100 − (SD − 30) × 100 / 60: 30 min or less 100, 90 min or more 0 (VitaSync's bands) | 25% |
 */
export const SLEEP_WEIGHTS = { duration: 0.5, efficiency: 0.25, regularity: 0.25 } as const;
export const MIN_REGULARITY_NIGHTS = 3;

export function sleepComponents(nights: ReadonlyMap<string, Night>, timeZone: string, asOf: string): Scored[] {
  const from = addDays(asOf, 1 - SCORE_WINDOW_DAYS);
  const inWindow = [...nights.values()].filter((night) => night.date >= from && night.date <= asOf);
  if (inWindow.length === 0) return [];
  const quality = sleepQuality(nights, timeZone, asOf, SCORE_WINDOW_DAYS);
  const window = { from, to: asOf, baseline: null, sources: quality.sources };
  const need = sleepNeed(nights, from);
  const asleep = round(mean(inWindow.map((night) => night.asleepMinutes)));
  const found: Scored[] = [
    {
      component: 'duration',
      source: 'sleep_minutes',
      value: asleep,
      unit: 'min',
      reference: need.minutes,
      referenceBasis:
        need.basis === 'personal'
          ? `personal need: 75th percentile of ${need.historyNights} nights ${need.historyFrom}–${need.historyTo}, within 7–9 h`
          : 'default need 8 h (NSF 7–9 h for adults, Hirshkowitz et al. 2015)',
      ...window,
      n: inWindow.length,
      subScore: round(clip(200 * (asleep / need.minutes) - 100)),
    },
  ];
  const efficiency = quality.efficiency.mean;
  if (efficiency !== null) {
    found.push({
      component: 'efficiency',
      source: 'sleep_efficiency',
      value: efficiency,
      unit: '%',
      reference: 85,
      referenceBasis: 'NSF appropriate from 85%, inappropriate under 75% (Ohayon et al. 2017)',
      ...window,
      n: quality.efficiency.n,
      subScore: round(clip(50 + 5 * (efficiency - 75))),
    });
  }
  const sd = quality.regularity.midpointSdMinutes;
  if (sd !== null && quality.regularity.n >= MIN_REGULARITY_NIGHTS) {
    found.push({
      component: 'regularity',
      source: 'sleep_midpoint_sd',
      value: sd,
      unit: 'min',
      reference: 30,
      referenceBasis: 'SD of the sleep midpoint: 30 min or less full marks, 90 min or more none (Fischer et al. 2021; VitaSync bands)',
      ...window,
      n: quality.regularity.n,
      subScore: round(clip(100 - ((sd - 30) * 100) / 60)),
    });
  }
  return found;
}
