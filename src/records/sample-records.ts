import type { SqlSession } from '../db/client.js';
import type { IngestedMetric } from '../health/ingest-sql.js';
import { getMetricType, METRIC_TYPES } from '../health/metric-types.js';
import { upsertRecord, type PersonalRecordRow, type RecordCandidate } from './upsert-record.js';

/**
 * Records a sample batch can set: the highest or lowest single value of metrics with a direction (resting heart
 * rate lower, HRV and VO2max higher), and the best daily total of accumulating metrics (most steps in a day).
 * A daily total is one source's total for the user's local day, so two sources never add up to a fake record.
 */
/**
 * The metrics whose single highest (lowest) sample can be a record: what ingestion must point out per batch
 * (INGEST_SAMPLES_SQL $12 and $13). Totals set daily-total records instead; metrics without a direction none.
 */
export const SINGLE_VALUE_RECORD_METRICS = {
  highest: METRIC_TYPES.filter((type) => type.kind !== 'total' && type.higherIsBetter === true).map((type) => type.id),
  lowest: METRIC_TYPES.filter((type) => type.kind !== 'total' && type.higherIsBetter === false).map((type) => type.id),
};

export async function updateSampleRecords(
  tx: SqlSession,
  userId: string,
  metrics: IngestedMetric[],
  source: string,
): Promise<PersonalRecordRow[]> {
  const set: PersonalRecordRow[] = [];
  for (const metric of metrics) {
    const type = getMetricType(metric.metricType);
    if (!type || type.higherIsBetter === undefined) continue;
    const candidate =
      type.kind === 'total'
        ? await bestDailyTotal(tx, userId, metric, type.unit, source)
        : singleValue(metric, type.unit, type.higherIsBetter, source);
    if (!candidate) continue;
    const record = await upsertRecord(tx, userId, candidate);
    if (record) set.push(record);
  }
  return set;
}

function singleValue(metric: IngestedMetric, unit: string, higherIsBetter: boolean, source: string): RecordCandidate {
  return higherIsBetter
    ? {
        metricType: metric.metricType,
        kind: 'highest',
        value: metric.maxValue,
        unit,
        achievedAt: metric.maxAt!,
        sampleId: metric.maxId!,
        source,
      }
    : {
        metricType: metric.metricType,
        kind: 'lowest',
        value: metric.minValue,
        unit,
        achievedAt: metric.minAt!,
        sampleId: metric.minId!,
        source,
      };
}

async function bestDailyTotal(
  tx: SqlSession,
  userId: string,
  metric: IngestedMetric,
  unit: string,
  source: string,
): Promise<RecordCandidate | null> {
  // Only the days this batch touched can have changed; a day's edge in any zone is within 14 hours of UTC.
  const [best] = await tx.query<{ day: string; sum: number; timezone: string }>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum, timezone FROM "DailyRollup"
     WHERE "userId" = $1 AND "metricType" = $2 AND source = $3
       AND day BETWEEN ($4::timestamptz - interval '14 hours')::date AND ($5::timestamptz + interval '14 hours')::date
     ORDER BY sum DESC, day ASC LIMIT 1`,
    [userId, metric.metricType, source, metric.firstAt.toISOString(), metric.lastAt.toISOString()],
  );
  if (!best) return null;
  const [start] = await tx.query<{ at: Date }>(`SELECT ($1::date::timestamp AT TIME ZONE $2) AS at`, [best.day, best.timezone]);
  return { metricType: metric.metricType, kind: 'highest_daily_total', value: best.sum, unit, achievedAt: new Date(start!.at), source };
}
