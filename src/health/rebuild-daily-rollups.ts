/**
 * Daily rollups are kept in the user's time zone. When it changes, they are rebuilt from the 15-minute rollups, in
 * the same transaction as the change. A quarter hour lies within one local day while the zone's offsets are whole
 * quarter hours; one that a local midnight cuts (local mean time of old dates, Monrovia's -00:44:30 until 1972) is
 * taken apart into its samples, as ingestion does.
 */
export function rebuildDailyRollupsStatements(userId: string, timezone: string): [sql: string, ...params: string[]][] {
  const whole = (quarter: string) =>
    `(${quarter} AT TIME ZONE $2)::date = ((${quarter} + interval '899.999 seconds') AT TIME ZONE $2)::date`;
  return [
    [`DELETE FROM "DailyRollup" WHERE "userId" = $1`, userId],
    [
      `INSERT INTO "DailyRollup" ("userId", "metricType", source, day, timezone, count, sum, min, max, "lastAt", "lastValue")
     SELECT $1, "metricType", source, day, $2, sum(count), sum(sum), min(min), max(max), max("lastAt"), (array_agg("lastValue" ORDER BY "lastAt" DESC))[1]
     FROM (
       SELECT "metricType", source, ("bucketStart" AT TIME ZONE $2)::date AS day, count, sum, min, max, "lastAt", "lastValue"
       FROM "HealthRollup" WHERE "userId" = $1 AND ${whole('"bucketStart"')}
       UNION ALL
       SELECT s."metricType", s.source, (s."recordedAt" AT TIME ZONE $2)::date, 1, s.value, s.value, s.value, s."recordedAt", s.value
       FROM "HealthRollup" q JOIN "HealthSample" s ON s."userId" = $1 AND s."metricType" = q."metricType" AND s.source = q.source
         AND s."recordedAt" >= q."bucketStart" AND s."recordedAt" < q."bucketStart" + interval '15 minutes'
       WHERE q."userId" = $1 AND NOT ${whole('q."bucketStart"')}
     ) AS parts
     GROUP BY "metricType", source, day`,
      userId,
      timezone,
    ],
  ];
}
