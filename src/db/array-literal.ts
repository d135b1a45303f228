/**
 * PostgreSQL array literals for the hot ingestion path, built directly instead of through node-postgres' generic
 * value preparation (which type-checks and escapes element by element): tens of thousands of elements a call,
 * where that preparation was a fifth of the client's time. Elements the caller vouches for as plain tokens
 * (ULIDs, metric type ids, numbers) are joined as they are; free text is quoted and escaped.
 */
export function plainArray(values: readonly (string | number)[]): string {
  return `{${values.join(',')}}`;
}

/** Numbers that may be missing: NULL for null. */
export function nullableNumberArray(values: readonly (number | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : value)).join(',')}}`;
}

/** Any text (device names, external ids from providers), NULL for null. */
export function textArray(values: readonly (string | null)[]): string {
  return `{${values.map((value) => (value === null ? 'NULL' : `"${value.replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;
}
