import type { Platform } from '../jobs/platform.js';
import { getMetricType } from '../health/metric-types.js';
import { addDays, startOfLocalDay } from '../lib/time.js';
import type { ExportKind } from './export-options.js';

/**
 * One row of an export, whatever its kind, in the shape every writer takes: JSON and NDJSON write it as it is, CSV
 * as its columns (details as JSON), FHIR and Open mHealth map the samples (and workouts) onto their resources.
 */
export interface ExportRow {
  kind: ExportKind;
  id: string;
  /** samples: metric type; events: event type; records: metric type; wellness: the log (water, meal…); scores: health_score. */
  type: string;
  /** An instant (ISO 8601 UTC); for scores the local day (YYYY-MM-DD). */
  start: string;
  end: string | null;
  value: number | null;
  /** The canonical unit (src/health/metric-types.ts), or null. */
  unit: string | null;
  source: string | null;
  device: string | null;
  details: Record<string, unknown>;
}

export interface ExportScope {
  userId: string;
  timezone: string;
  from: string | null;
  to: string | null;
  metricTypes: string[];
  /** Rows per query (EXPORT_PAGE_ROWS): a page is all an export holds in memory at a time. */
  pageRows: number;
}

type Sql = Pick<Platform['sql'], 'query'>;
type Raw = Record<string, any>;

/** A timestamptz column as ISO 8601 UTC text with milliseconds, as Date.toISOString writes it. */
const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const iso = (value: unknown): string => (value instanceof Date ? value : new Date(String(value))).toISOString();
const num = (value: unknown): number | null => (value == null ? null : Number(value));

/** The scope's local days as instants: [from's local midnight, the local midnight after to), open ends infinite. */
function instantBounds(scope: ExportScope): [string, string] {
  const lower = scope.from ? new Date(startOfLocalDay(scope.timezone, scope.from)).toISOString() : '-infinity';
  const upper = scope.to ? new Date(startOfLocalDay(scope.timezone, addDays(scope.to, 1))).toISOString() : 'infinity';
  return [lower, upper];
}

/**
 * Pages of a table in keyset order (time column, id): each query starts strictly after the last row of the one
 * before, so a page costs the same at the start and at the end of a user-year, and nothing is read twice.
 */
async function* keysetPages(
  sql: Sql,
  scope: ExportScope,
  query: (afterParams: number) => string,
  params: unknown[],
  first: [string, string],
  timeOf: (row: Raw) => string,
) {
  let after = first;
  for (;;) {
    const rows = await sql.query<Raw>(query(params.length + 1), [...params, after[0], after[1], scope.pageRows]);
    if (rows.length > 0) yield rows;
    if (rows.length < scope.pageRows) return;
    const last = rows[rows.length - 1]!;
    after = [timeOf(last), String(last.id)];
  }
}

async function* samplePages(sql: Sql, scope: ExportScope): AsyncGenerator<ExportRow[]> {
  const [lower, upper] = instantBounds(scope);
  const metricFilter = scope.metricTypes.length ? `AND "metricType" = ANY($4::text[])` : '';
  const params: unknown[] = [scope.userId, lower, upper, ...(scope.metricTypes.length ? [scope.metricTypes] : [])];
  // Instants as ISO text from the database: parsing them into Dates and back is most of the per-row cost. Aliased
  // apart from the columns: ORDER BY "recordedAt" must name the indexed column, not the text.
  const query = (n: number) => `SELECT id, "metricType", ${isoText('"recordedAt"')} AS "startText", ${isoText('"endAt"')} AS "endText",
      value, source, device FROM "HealthSample"
    WHERE "userId" = $1 AND "recordedAt" >= $2::timestamptz AND "recordedAt" < $3::timestamptz ${metricFilter}
      AND ("recordedAt", id) > ($${n}::timestamptz, $${n + 1}::text)
    ORDER BY "recordedAt", id LIMIT $${n + 2}`;
  for await (const rows of keysetPages(sql, scope, query, params, ['-infinity', ''], (row) => row.startText)) {
    yield rows.map((row) => ({
      kind: 'samples',
      id: row.id,
      type: row.metricType,
      start: row.startText,
      end: row.endText,
      value: Number(row.value),
      unit: getMetricType(row.metricType)?.unit ?? null,
      source: row.source,
      device: row.device,
      details: {},
    }));
  }
}

async function* eventPages(sql: Sql, scope: ExportScope): AsyncGenerator<ExportRow[]> {
  const [lower, upper] = instantBounds(scope);
  const query = (n: number) => `SELECT id, type, "startAt", "endAt", source, device,
      jsonb_strip_nulls(jsonb_build_object('subtype', subtype, 'durationSeconds', "durationSeconds", 'distance', distance,
        'energy', energy, 'avgHeartRate', "avgHeartRate", 'maxHeartRate', "maxHeartRate", 'elevationGain', "elevationGain",
        'details', details)) AS details
    FROM "HealthEvent"
    WHERE "userId" = $1 AND "startAt" >= $2::timestamptz AND "startAt" < $3::timestamptz AND ("startAt", id) > ($${n}::timestamptz, $${n + 1}::text)
    ORDER BY "startAt", id LIMIT $${n + 2}`;
  for await (const rows of keysetPages(sql, scope, query, [scope.userId, lower, upper], ['-infinity', ''], (row) => iso(row.startAt))) {
    yield rows.map((row) => ({
      kind: 'events',
      id: row.id,
      type: row.type,
      start: iso(row.startAt),
      end: iso(row.endAt),
      value: num(row.details?.durationSeconds),
      unit: 's',
      source: row.source,
      device: row.device,
      details: row.details,
    }));
  }
}

async function* recordPages(sql: Sql, scope: ExportScope): AsyncGenerator<ExportRow[]> {
  const [lower, upper] = instantBounds(scope);
  const query = (n: number) => `SELECT id, "metricType", "achievedAt", value, unit, source,
      jsonb_strip_nulls(jsonb_build_object('recordKind', kind, 'qualifier', qualifier, 'previousValue', "previousValue",
        'previousAchievedAt', "previousAchievedAt", 'sampleId', "sampleId", 'eventId', "eventId")) AS details
    FROM "PersonalRecord"
    WHERE "userId" = $1 AND "achievedAt" >= $2::timestamptz AND "achievedAt" < $3::timestamptz AND ("achievedAt", id) > ($${n}::timestamptz, $${n + 1}::text)
    ORDER BY "achievedAt", id LIMIT $${n + 2}`;
  for await (const rows of keysetPages(sql, scope, query, [scope.userId, lower, upper], ['-infinity', ''], (row) => iso(row.achievedAt))) {
    yield rows.map((row) => ({
      kind: 'records',
      id: row.id,
      type: row.metricType,
      start: iso(row.achievedAt),
      end: null,
      value: Number(row.value),
      unit: row.unit,
      source: row.source,
      device: null,
      details: row.details,
    }));
  }
}

/** The wellness logs: table, the name rows carry as type, and the column that is the row's value (with its unit). */
const WELLNESS_TABLES: readonly { table: string; type: string; value: string | null; unit: string | null }[] = [
  { table: 'WaterLog', type: 'water', value: '"volumeMl"', unit: 'mL' },
  { table: 'Meal', type: 'meal', value: 'energy', unit: 'kcal' },
  { table: 'MedicationDose', type: 'medication_dose', value: null, unit: null },
  { table: 'SymptomLog', type: 'symptom', value: 'severity', unit: 'score' },
  { table: 'MoodEntry', type: 'mood', value: 'score', unit: 'score' },
  { table: 'JournalEntry', type: 'journal', value: null, unit: null },
  { table: 'HabitCompletion', type: 'habit_completion', value: 'count', unit: 'count' },
];

/** Wellness logs of the scope's local days (their stored localDate, as their own lists filter), table by table, each by (at, id). */
async function* wellnessPages(sql: Sql, scope: ExportScope): AsyncGenerator<ExportRow[]> {
  const params = [scope.userId, scope.from ?? '-infinity', scope.to ?? 'infinity'];
  for (const { table, type, value, unit } of WELLNESS_TABLES) {
    const query = (n: number) => `SELECT id, at, ${value ?? 'NULL'} AS value,
        to_jsonb(t) - ARRAY['id', 'workspaceId', 'userId', 'at', 'search'] AS details
      FROM "${table}" t
      WHERE "userId" = $1 AND "localDate" BETWEEN $2::date AND $3::date AND (at, id) > ($${n}::timestamptz, $${n + 1}::text)
      ORDER BY at, id LIMIT $${n + 2}`;
    for await (const rows of keysetPages(sql, scope, query, params, ['-infinity', ''], (row) => iso(row.at))) {
      yield rows.map((row) => ({
        kind: 'wellness',
        id: row.id,
        type,
        start: iso(row.at),
        end: null,
        value: num(row.value),
        unit,
        source: 'vitasync',
        device: null,
        details: row.details,
      }));
    }
  }
}

async function* scorePages(sql: Sql, scope: ExportScope): AsyncGenerator<ExportRow[]> {
  const params = [scope.userId, scope.from ?? '-infinity', scope.to ?? 'infinity'];
  const query = (n: number) => `SELECT id, to_char(day, 'YYYY-MM-DD') AS "dayText", overall,
      jsonb_build_object('sleep', sleep, 'activity', activity, 'cardio', cardio, 'recovery', recovery, 'computedAt', "computedAt",
        'areas', details) AS details
    FROM "HealthScore"
    WHERE "userId" = $1 AND day BETWEEN $2::date AND $3::date AND (day, id) > ($${n}::date, $${n + 1}::text)
    ORDER BY day, id LIMIT $${n + 2}`;
  for await (const rows of keysetPages(sql, scope, query, params, ['-infinity', ''], (row) => String(row.dayText))) {
    yield rows.map((row) => ({
      kind: 'scores',
      id: row.id,
      type: 'health_score',
      start: String(row.dayText),
      end: null,
      value: num(row.overall),
      unit: 'score',
      source: 'vitasync',
      device: null,
      details: row.details,
    }));
  }
}

const PAGES: Record<ExportKind, (sql: Sql, scope: ExportScope) => AsyncGenerator<ExportRow[]>> = {
  samples: samplePages,
  events: eventPages,
  records: recordPages,
  wellness: wellnessPages,
  scores: scorePages,
};

/** The rows of one kind of a user's data in the scope, a page at a time. */
export function exportPages(sql: Sql, kind: ExportKind, scope: ExportScope): AsyncGenerator<ExportRow[]> {
  return PAGES[kind](sql, scope);
}
