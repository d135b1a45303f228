/**
 * A provider's number as sent: a JSON number, or a string holding a decimal number. Google's APIs write int64
 * fields as strings (proto3 JSON mapping) and Dexcom's v3 schema types event values as strings, so a client that
 * takes only `typeof value === 'number'` drops them. Null for anything else (an empty or non-numeric string).
 */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || !/^\s*-?\d+(\.\d+)?([eE][-+]?\d+)?\s*$/.test(value)) return null;
  return Number(value);
}
