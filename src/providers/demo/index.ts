import type { Provider, ProviderPage, SyncWindow } from '../provider.js';
import { activityDay, heartRateDay, sleepNight, workoutDay } from './generate.js';

const DAY_MS = 86_400_000;

/** Pages are whole UTC days; the page cursor is the start of the next day to send. */
function dayPage(
  window: SyncWindow,
  page: string | null,
  make: (dayStart: number) => Pick<ProviderPage, 'samples' | 'events'>,
): ProviderPage {
  const dayStart = page ? Number(page) : Math.floor(window.from.getTime() / DAY_MS) * DAY_MS;
  const made = make(dayStart);
  const inWindow = (at: Date) => at >= window.from && at < window.to;
  const next = dayStart + DAY_MS;
  return {
    samples: made.samples.filter((sample) => inWindow(sample.recordedAt)),
    events: made.events.filter((event) => inWindow(event.startAt) && event.endAt <= window.to),
    nextPage: next < window.to.getTime() ? String(next) : null,
  };
}

/** Needs no credentials: generates realistic, deterministic data so a fresh install can show the whole flow. */
export const demoProvider: Provider = {
  id: 'demo',
  name: 'VitaSync Demo',
  description: 'Synthetic but realistic wearable data (heart rate, steps, sleep, workouts, weight) for trying VitaSync.',
  authKind: 'none',
  dataTypes: ['heart_rate', 'resting_heart_rate', 'steps', 'active_energy', 'weight', 'sleep', 'workout'],
  // Synthetic data exists for any day asked.
  historyDays: null,
  isConfigured: () => true,
  streams: ['heart_rate', 'activity', 'sleep', 'workouts'],
  fetchPage: async (call, stream, window, page) => {
    const seed = call.connectionId;
    switch (stream) {
      case 'heart_rate':
        return dayPage(window, page, (day) => ({ samples: heartRateDay(seed, day), events: [] }));
      case 'activity':
        return dayPage(window, page, (day) => ({ samples: activityDay(seed, day), events: [] }));
      case 'sleep':
        return dayPage(window, page, (day) => ({ samples: [], events: [sleepNight(seed, day)] }));
      case 'workouts':
        return dayPage(window, page, (day) => ({ samples: [], events: workoutDay(seed, day) }));
      default:
        throw new Error(`demo provider has no stream ${stream}`);
    }
  },
};
