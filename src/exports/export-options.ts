/**
 * What an export can be asked for: its format and the kinds of data it holds. One table each, read by the GraphQL
 * enums, the OpenAPI document, the writers and the tests.
 */
export const EXPORT_FORMATS = ['json', 'ndjson', 'csv', 'fhir', 'omh'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_FORMAT_WORDS: Record<ExportFormat, string> = {
  json: 'one JSON document: {"export": {…}, "samples": […], "events": […], …}, a key per kind asked for',
  ndjson: 'newline-delimited JSON, one row a line with its "kind" (for large exports)',
  csv: 'one CSV file (RFC 4180, header row) with a "kind" column: kind, id, type, start, end, value, unit, source, device, details (JSON)',
  fhir: 'a FHIR R4 Bundle (type collection): a Patient and one Observation per sample (LOINC where the metric has a code, UCUM units)',
  omh: 'Open mHealth data points as NDJSON, for the samples (and workouts) whose metric has an Open mHealth schema; the rest is counted in skipped',
};

/** The kinds of data, in the order a file holds them. */
export const EXPORT_KINDS = ['samples', 'events', 'records', 'wellness', 'scores'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const EXPORT_KIND_WORDS: Record<ExportKind, string> = {
  samples: 'health samples (optionally only the metricTypes given), by recordedAt',
  events: 'workouts, sleep sessions and daily activity summaries, by startAt',
  records: 'personal records, by achievedAt',
  wellness: 'wellness logs (water, meals, medication doses, symptoms, mood, journal, habit completions), by their local day',
  scores: 'daily health scores, by their day',
};

export const EXPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type ExportStatus = (typeof EXPORT_STATUSES)[number];

/** The media type and file extension of each format. */
export const FORMAT_FILES: Record<ExportFormat, { contentType: string; extension: string }> = {
  json: { contentType: 'application/json', extension: 'json' },
  ndjson: { contentType: 'application/x-ndjson', extension: 'ndjson' },
  csv: { contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  fhir: { contentType: 'application/fhir+json', extension: 'fhir.json' },
  omh: { contentType: 'application/x-ndjson', extension: 'omh.ndjson' },
};
