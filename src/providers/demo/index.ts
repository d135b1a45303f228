import type { Provider } from '../provider.js';

/** Needs no credentials: generates realistic, deterministic data so a fresh install can show the whole flow. */
export const demoProvider: Provider = {
  id: 'demo',
  name: 'VitaSync Demo',
  description: 'Synthetic but realistic wearable data (heart rate, steps, sleep, workouts, weight) for trying VitaSync.',
  authKind: 'none',
  dataTypes: ['heart_rate', 'resting_heart_rate', 'steps', 'active_energy', 'weight', 'sleep', 'workout'],
  isConfigured: () => true,
};
