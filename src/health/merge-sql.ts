import { METRIC_TYPES } from './metric-types.js';

/**
 * Cross-source merge of cumulative metrics. A watch worn 8:00–12:00 and a phone carried all day both count the
 * morning's steps; one source per day would drop either the phone's afternoon or the watch's morning. So the
 * merge is made per quarter hour: each quarter hour takes the highest-priority source (the workspace's
 * sourcePriority, then the alphabetically first) that has data there, and coarser buckets sum the quarter hours.
 *
 * A sample longer than an hour (a provider's day total, a workout's energy) cannot be cut into quarter hours
 * without inventing how it was spread, so it counts whole or not at all: whole when no higher-priority source has
 * data anywhere within its span (it then claims every quarter hour of the span from lower-priority sources), not
 * at all otherwise (the other sources fill its span). It counts in the quarter hour where it starts. Spans are
 * looked for up to a day around the window, so samples are taken to last at most a day.
 */
export const MERGED_METRICS: readonly string[] = METRIC_TYPES.filter((metric) => metric.kind === 'total').map((metric) => metric.id);

export function isMergedMetric(metricType: string): boolean {
  return MERGED_METRICS.includes(metricType);
}

/** Longer than this, a sample is a span that counts whole or not at all (see above). */
const LONG = `interval '1 hour'`;
/** Whether a sample row (alias `s`) is a long sample. */
export const IS_LONG_SAMPLE = `coalesce(s."endAt" > s."recordedAt" + ${LONG}, false)`;
export const QUARTER = (instant: string) => `to_timestamp(floor(extract(epoch FROM ${instant}) / 900) * 900)`;

export interface MergeParams {
  /** SQL expressions (usually placeholders) for the user id, the metric type ids (text[]), the window and the priority list (text[]). */
  user: string;
  metrics: string;
  start: string;
  end: string;
  priorities: string;
}

/**
 * A query of the quarter hours chosen in [start, end): one row per metric and quarter hour with the chosen source's
 * aggregates ("metricType", quarter, source, count, sum, min, max, "lastAt", "lastValue"), plus one row per long
 * sample that counts (`long` true, at the quarter hour where it starts).
 */
export function mergedQuartersSql(p: MergeParams): string {
  const rank = (source: string) => `(coalesce(array_position(${p.priorities}::text[], ${source}), 2147483647), ${source})`;
  const near = (column: string) =>
    `${column} >= ${p.start}::timestamptz - interval '1 day' AND ${column} < ${p.end}::timestamptz + interval '1 day'`;
  return `WITH long_samples AS (
      SELECT id, "metricType", source, "recordedAt" AS "startAt", "endAt", value FROM "HealthSample"
      WHERE "userId" = ${p.user} AND "metricType" = ANY(${p.metrics}::text[]) AND ${near('"recordedAt"')}
        AND "endAt" > "recordedAt" + ${LONG}
    ),
    long_starts AS (SELECT DISTINCT "metricType", source, ${QUARTER('"startAt"')} AS quarter FROM long_samples),
    fine AS (
      -- Every source's quarter hours without its long samples: those where a long sample starts are recomputed
      -- from the samples (few: one a day for a day total).
      SELECT r."metricType", r.source, r."bucketStart" AS quarter, r.count, r.sum, r.min, r.max, r."lastAt", r."lastValue"
      FROM "HealthRollup" r
      WHERE r."userId" = ${p.user} AND r."metricType" = ANY(${p.metrics}::text[]) AND ${near('r."bucketStart"')}
        AND NOT EXISTS (SELECT 1 FROM long_starts l WHERE l."metricType" = r."metricType" AND l.source = r.source AND l.quarter = r."bucketStart")
      UNION ALL
      SELECT s."metricType", s.source, l.quarter, count(*)::int, sum(s.value), min(s.value), max(s.value), max(s."recordedAt"),
        (array_agg(s.value ORDER BY s."recordedAt" DESC))[1]
      FROM long_starts l JOIN "HealthSample" s ON s."userId" = ${p.user} AND s."metricType" = l."metricType" AND s.source = l.source
        AND s."recordedAt" >= l.quarter AND s."recordedAt" < l.quarter + interval '15 minutes'
      WHERE NOT ${IS_LONG_SAMPLE}
      GROUP BY 1, 2, 3
    ),
    long_cover AS (
      SELECT id, "metricType", source, generate_series(${QUARTER('"startAt"')}, "endAt" - interval '1 millisecond', interval '15 minutes') AS quarter
      FROM long_samples
    ),
    beaten AS (
      SELECT c.id FROM long_cover c JOIN fine f ON f."metricType" = c."metricType" AND f.quarter = c.quarter
      WHERE ${rank('f.source')} < ${rank('c.source')}
      UNION
      SELECT l.id FROM long_samples l JOIN long_samples o ON o."metricType" = l."metricType" AND o."startAt" < l."endAt" AND o."endAt" > l."startAt"
      WHERE ${rank('o.source')} < ${rank('l.source')}
    ),
    counted AS (SELECT * FROM long_samples WHERE id NOT IN (SELECT id FROM beaten)),
    claimed AS (SELECT DISTINCT "metricType", quarter, source FROM long_cover WHERE id IN (SELECT id FROM counted)),
    best AS (
      SELECT DISTINCT ON ("metricType", quarter) * FROM fine
      WHERE quarter >= ${p.start}::timestamptz AND quarter < ${p.end}::timestamptz
      ORDER BY "metricType", quarter, ${rank('source')}
    )
    SELECT "metricType", quarter, source, count, sum, min, max, "lastAt", "lastValue", false AS long FROM best b
    WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c."metricType" = b."metricType" AND c.quarter = b.quarter AND c.source <> b.source)
    UNION ALL
    SELECT "metricType", ${QUARTER('"startAt"')}, source, 1, value, value, value, "startAt", value, true FROM counted
    WHERE "startAt" >= ${p.start}::timestamptz AND "startAt" < ${p.end}::timestamptz`;
}
