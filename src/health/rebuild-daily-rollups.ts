/**
 * Daily rollups are kept in the user's time zone. When it changes, they are rebuilt from the 15-minute rollups
 * (whose buckets divide every zone's days), in the same transaction as the change.
 */
export function rebuildDailyRollupsStatements(userId: string, timezone: string): [sql: string, ...params: string[]][] {
  return [
    [`DELETE FROM "DailyRollup" WHERE "userId" = $1`, userId],
    [`INSERT INTO "DailyRollup" ("userId", "metricType", source, day, timezone, count, sum, min, max, "lastAt", "lastValue")
     SELECT "userId", "metricType", source, ("bucketStart" AT TIME ZONE $2)::date, $2, sum(count), sum(sum), min(min), max(max),
       max("lastAt"), (array_agg("lastValue" ORDER BY "lastAt" DESC))[1]
     FROM "HealthRollup" WHERE "userId" = $1 GROUP BY "userId", "metricType", source, 4`, userId, timezone],
  ];
}
