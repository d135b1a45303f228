import { inArea, route } from './route.js';

/** Analytics over the user's local days; baselines and sleep sit in the contract's "Reports, exports, scores and sleep" section. */
export const ANALYTICS_ROUTES = inArea('Analytics', [
  route(
    'GET /users/:userId/analytics/context',
    'Query.analyticsContext',
    'read',
    'LLM-ready biological context (baselines, trends, anomalies, correlations, health scores)',
  ),
  route(
    'POST /users/:userId/analytics/correlations',
    'Mutation.discoverCorrelations',
    'read',
    'Auto-discover metric correlations over a configurable time window',
    {
      status: 200,
      example: { from: '2025-03-18', to: '2025-06-15', maxLag: 3, minN: 14, alpha: 0.05 },
    },
  ),
  route(
    'POST /users/:userId/analytics/anomalies',
    'Mutation.detectAnomalies',
    'read',
    'Detect health anomalies using statistical and clinical thresholds',
    {
      status: 200,
      example: { from: '2025-06-09', to: '2025-06-15', metricTypes: ['resting_heart_rate', 'spo2'] },
    },
  ),
]);

export const BASELINE_ROUTES = inArea('Reports, exports, scores and sleep', [
  route('GET /users/:userId/baselines', 'Query.baselines', 'read', 'Biometric baselines'),
  route('GET /users/:userId/sleep-analysis/debt', 'Query.sleepDebt', 'read', 'Sleep debt analysis'),
  route('GET /users/:userId/sleep-analysis/quality', 'Query.sleepQuality', 'read', 'Sleep quality metrics'),
  route(
    'GET /users/:userId/health-scores',
    'Query.healthScores',
    'read',
    'Composite wellness scores (overall, sleep, activity, cardio, recovery)',
  ),
  route('POST /users/:userId/health-scores/compute', 'Mutation.computeHealthScore', 'write', 'Compute a new health score', {
    example: { asOf: '2025-06-14' },
  }),
  route('GET /users/:userId/snapshots', 'Query.snapshots', 'read', 'Health snapshots'),
  route('POST /users/:userId/snapshots', 'Mutation.createSnapshot', 'write', 'Create a health snapshot', {
    example: { label: 'Before the training block', note: 'Week 1 of the 10 km plan' },
  }),
  route('GET /users/:userId/insights', 'Query.insights', 'read', 'AI-generated health insights'),
]);
