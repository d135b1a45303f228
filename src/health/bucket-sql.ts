/** SQL for the edges of timeseries buckets in an IANA zone (the zone is a parameter, `$5` unless given). */
export const BUCKETS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export type Bucket = (typeof BUCKETS)[number];

/**
 * The UTC instant a bucket of `instant` starts at, in zone $5. Hours step back from the instant itself by its local
 * minutes, so the repeated hour of an autumn DST change stays two buckets; days and longer go through local
 * midnight, which DST changes do not repeat.
 */
export function bucketStartSql(bucket: Bucket, instant: string, zone = '$5'): string {
  if (bucket === 'hour') return `(${instant} - ((${instant} AT TIME ZONE ${zone}) - date_trunc('hour', ${instant} AT TIME ZONE ${zone})))`;
  return `(date_trunc('${bucket}', ${instant} AT TIME ZONE ${zone}) AT TIME ZONE ${zone})`;
}

/**
 * The first instant of the bucket bucketStartSql labels `start`. Its label is that instant, except for an hour with an
 * offset change inside it: a change of less than an hour (Lord Howe's 30 minutes) leaves the hour it repeats or
 * shortens labelled before the change, where the wall clock reads a half hour. That label is still one per bucket, so
 * buckets are grouped by it and moved here on to the change (which comes at a full hour of the old offset).
 */
export function firstInstantSql(bucket: Bucket, start: string, zone: string): string {
  if (bucket !== 'hour') return start;
  const local = `(${start} AT TIME ZONE ${zone})`;
  const pastHour = `(${local} - date_trunc('hour', ${local}))`;
  return `(CASE WHEN ${pastHour} = interval '0' THEN ${start} ELSE ${start} + (interval '1 hour' - ${pastHour}) END)`;
}

/** The UTC instant the bucket of `instant` ends at (local calendar arithmetic for days and longer). */
export function bucketEndSql(bucket: Bucket, instant: string, zone: string): string {
  if (bucket === 'hour') return `(${bucketStartSql(bucket, instant, zone)} + interval '1 hour')`;
  return `((date_trunc('${bucket}', ${instant} AT TIME ZONE ${zone}) + interval '1 ${bucket}') AT TIME ZONE ${zone})`;
}
