-- CreateTable
CREATE TABLE "MergedDailyRollup" (
    "userId" TEXT NOT NULL,
    "metricType" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "timezone" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "sum" DOUBLE PRECISION NOT NULL,
    "min" DOUBLE PRECISION NOT NULL,
    "max" DOUBLE PRECISION NOT NULL,
    "lastAt" TIMESTAMPTZ(3) NOT NULL,
    "lastValue" DOUBLE PRECISION NOT NULL,
    "sources" TEXT[],

    CONSTRAINT "MergedDailyRollup_pkey" PRIMARY KEY ("userId","metricType","day")
);

-- AddForeignKey
ALTER TABLE "MergedDailyRollup" ADD CONSTRAINT "MergedDailyRollup_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Merged days of the data already stored (the same statement as src/health/merged-daily-rollups.ts at the time of
-- this migration), one user at a time.
DO $migration$
DECLARE
  stored record;
BEGIN
  FOR stored IN
    SELECT "userId", min(day) AS first, max(day) AS last FROM "DailyRollup" WHERE "metricType" = ANY(ARRAY['steps', 'distance', 'floors_climbed', 'elevation_gain', 'active_energy', 'basal_energy', 'active_minutes', 'exercise_minutes', 'moderate_intensity_minutes', 'vigorous_intensity_minutes', 'sedentary_minutes', 'stand_hours', 'cycling_distance', 'swimming_distance', 'swimming_strokes', 'wheelchair_pushes', 'wheelchair_distance', 'sleep_duration', 'time_in_bed', 'deep_sleep_duration', 'rem_sleep_duration', 'light_sleep_duration', 'awake_duration', 'awakenings', 'water', 'dietary_energy', 'protein', 'carbohydrates', 'dietary_fat', 'fiber', 'sugar', 'sodium', 'caffeine', 'mindful_minutes']::text[]) GROUP BY 1
  LOOP
    EXECUTE $refresh$
WITH target AS (
  SELECT u.timezone, w."sourcePriority" AS priorities, ($3::date)::timestamp AT TIME ZONE u.timezone AS "startAt",
    ($4::date + 1)::timestamp AT TIME ZONE u.timezone AS "endAt"
  FROM "User" u JOIN "Workspace" w ON w.id = u."workspaceId" WHERE u.id = $1
),
chosen AS (WITH long_samples AS (
      SELECT id, "metricType", source, "recordedAt" AS "startAt", "endAt", value FROM "HealthSample"
      WHERE "userId" = $1 AND "metricType" = ANY($2::text[]) AND "recordedAt" >= (SELECT "startAt" FROM target)::timestamptz - interval '1 day' AND "recordedAt" < (SELECT "endAt" FROM target)::timestamptz + interval '1 day'
        AND "endAt" > "recordedAt" + interval '1 hour'
    ),
    long_starts AS (SELECT DISTINCT "metricType", source, to_timestamp(floor(extract(epoch FROM "startAt") / 900) * 900) AS quarter FROM long_samples),
    fine AS (
      -- Every source's quarter hours without its long samples: those where a long sample starts are recomputed
      -- from the samples (few: one a day for a day total).
      SELECT r."metricType", r.source, r."bucketStart" AS quarter, r.count, r.sum, r.min, r.max, r."lastAt", r."lastValue"
      FROM "HealthRollup" r
      WHERE r."userId" = $1 AND r."metricType" = ANY($2::text[]) AND r."bucketStart" >= (SELECT "startAt" FROM target)::timestamptz - interval '1 day' AND r."bucketStart" < (SELECT "endAt" FROM target)::timestamptz + interval '1 day'
        AND NOT EXISTS (SELECT 1 FROM long_starts l WHERE l."metricType" = r."metricType" AND l.source = r.source AND l.quarter = r."bucketStart")
      UNION ALL
      SELECT s."metricType", s.source, l.quarter, count(*)::int, sum(s.value), min(s.value), max(s.value), max(s."recordedAt"),
        (array_agg(s.value ORDER BY s."recordedAt" DESC))[1]
      FROM long_starts l JOIN "HealthSample" s ON s."userId" = $1 AND s."metricType" = l."metricType" AND s.source = l.source
        AND s."recordedAt" >= l.quarter AND s."recordedAt" < l.quarter + interval '15 minutes'
      WHERE NOT coalesce(s."endAt" > s."recordedAt" + interval '1 hour', false)
      GROUP BY 1, 2, 3
    ),
    long_cover AS (
      SELECT id, "metricType", source, generate_series(to_timestamp(floor(extract(epoch FROM "startAt") / 900) * 900), "endAt" - interval '1 millisecond', interval '15 minutes') AS quarter
      FROM long_samples
    ),
    beaten AS (
      SELECT c.id FROM long_cover c JOIN fine f ON f."metricType" = c."metricType" AND f.quarter = c.quarter
      WHERE (coalesce(array_position((SELECT priorities FROM target)::text[], f.source), 2147483647), f.source) < (coalesce(array_position((SELECT priorities FROM target)::text[], c.source), 2147483647), c.source)
      UNION
      SELECT l.id FROM long_samples l JOIN long_samples o ON o."metricType" = l."metricType" AND o."startAt" < l."endAt" AND o."endAt" > l."startAt"
      WHERE (coalesce(array_position((SELECT priorities FROM target)::text[], o.source), 2147483647), o.source) < (coalesce(array_position((SELECT priorities FROM target)::text[], l.source), 2147483647), l.source)
    ),
    counted AS (SELECT * FROM long_samples WHERE id NOT IN (SELECT id FROM beaten)),
    claimed AS (SELECT DISTINCT "metricType", quarter, source FROM long_cover WHERE id IN (SELECT id FROM counted)),
    best AS (
      SELECT DISTINCT ON ("metricType", quarter) * FROM fine
      WHERE quarter >= (SELECT "startAt" FROM target)::timestamptz AND quarter < (SELECT "endAt" FROM target)::timestamptz
      ORDER BY "metricType", quarter, (coalesce(array_position((SELECT priorities FROM target)::text[], source), 2147483647), source)
    )
    SELECT "metricType", quarter, source, count, sum, min, max, "lastAt", "lastValue", false AS long FROM best b
    WHERE NOT EXISTS (SELECT 1 FROM claimed c WHERE c."metricType" = b."metricType" AND c.quarter = b.quarter AND c.source <> b.source)
    UNION ALL
    SELECT "metricType", to_timestamp(floor(extract(epoch FROM "startAt") / 900) * 900), source, 1, value, value, value, "startAt", value, true FROM counted
    WHERE "startAt" >= (SELECT "startAt" FROM target)::timestamptz AND "startAt" < (SELECT "endAt" FROM target)::timestamptz),
per_source AS (
  SELECT "metricType", (quarter AT TIME ZONE (SELECT timezone FROM target))::date AS day, source, sum(count) AS count, sum(sum) AS sum,
    min(min) AS min, max(max) AS max, max("lastAt") AS "lastAt", (array_agg("lastValue" ORDER BY "lastAt" DESC))[1] AS "lastValue"
  FROM chosen GROUP BY 1, 2, 3
)
INSERT INTO "MergedDailyRollup" ("userId", "metricType", day, timezone, count, sum, min, max, "lastAt", "lastValue", sources)
SELECT $1, "metricType", day, (SELECT timezone FROM target), sum(count), sum(sum), min(min), max(max), max("lastAt"),
  (array_agg("lastValue" ORDER BY "lastAt" DESC))[1], array_agg(source ORDER BY source)
FROM per_source GROUP BY 2, 3$refresh$
    USING stored."userId", ARRAY['steps', 'distance', 'floors_climbed', 'elevation_gain', 'active_energy', 'basal_energy', 'active_minutes', 'exercise_minutes', 'moderate_intensity_minutes', 'vigorous_intensity_minutes', 'sedentary_minutes', 'stand_hours', 'cycling_distance', 'swimming_distance', 'swimming_strokes', 'wheelchair_pushes', 'wheelchair_distance', 'sleep_duration', 'time_in_bed', 'deep_sleep_duration', 'rem_sleep_duration', 'light_sleep_duration', 'awake_duration', 'awakenings', 'water', 'dietary_energy', 'protein', 'carbohydrates', 'dietary_fat', 'fiber', 'sugar', 'sodium', 'caffeine', 'mindful_minutes']::text[], stored.first, stored.last;
  END LOOP;
END
$migration$;
