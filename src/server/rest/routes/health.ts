import { inArea, route } from './route.js';

const INGEST_HEALTH_SAMPLES_EXAMPLE = {
  source: 'healthkit',
  samples: [
    { metricType: 'heart_rate', value: 62, unit: 'count/min', recordedAt: '2025-06-15T09:00:00.000Z', device: 'Apple Watch' },
    { metricType: 'steps', value: 840, recordedAt: '2025-06-15T09:00:00.000Z', endAt: '2025-06-15T09:15:00.000Z' },
  ],
};

/** Health data: samples, summaries, timeseries. */
export const HEALTH_ROUTES = inArea('Health data', [
  route('GET /users/:userId/health', 'Query.healthSamples', 'read', 'Raw health metrics (paginated)'),
  route('GET /users/:userId/health/summary', 'Query.healthSummary', 'read', 'Count per metric type'),
  route('GET /users/:userId/health/timeseries', 'Query.healthTimeseries', 'read', 'Aggregated timeseries data'),
  route('GET /users/:userId/health/daily-summaries', 'Query.dailySummaries', 'read', 'Per-day metric totals'),
  route('DELETE /users/:userId/health', 'Mutation.deleteHealthData', 'admin', 'Delete all health data (GDPR)'),
  route('POST /users/:userId/health', 'Mutation.ingestHealthSamples', 'write', 'Push health samples (HealthKit, Health Connect…)', {
    example: INGEST_HEALTH_SAMPLES_EXAMPLE,
    beyondContract: true,
  }),
]);
