import type { GraphQLArgument, GraphQLInputField } from 'graphql';
import { DAY_RANGE_PATTERN, DAY_WORDS, FIRST_DAY, LAST_DAY } from './time.js';

/**
 * The single-value rules an argument or input field obeys beyond its GraphQL type: ranges, lengths, enums, formats,
 * patterns. Declared once on the argument (`...rule({ minimum: 1 })` in schema/<area>.ts); the REST layer checks
 * them before anything runs and the OpenAPI document states them, both read from the same declaration, so the two
 * cannot drift. Services keep their own checks for callers that are not the API (GraphQL words its errors its way).
 */
export interface InputRule {
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** Only these values (422 otherwise: well-formed but not one of them). */
  enum?: readonly string[];
  /** How `enum` reads in an error when the list is long (e.g. "a metric type of GET /v1/metric-types"). */
  enumWords?: string;
  /** JSON Schema `format`: `date` (YYYY-MM-DD), `email`, `uri`. */
  format?: 'date' | 'email' | 'uri';
  pattern?: RegExp;
  /** The pattern in plain words ("a ULID: 26 characters of 0-9 and A-Z without I, L, O, U"). */
  patternWords?: string;
  /** A JSON value of this JSON type (the JSON scalar takes anything otherwise). */
  jsonType?: 'object';
  /** An ID argument that is not a ULID (job ids are business keys): no ULID pattern. */
  opaqueId?: true;
  /** The status of a violation: 422 (well-formed but invalid) unless the contract said 400 (pagination bounds). */
  status?: 400 | 422;
}

export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const ULID_WORDS = 'a ULID (26 characters of 0-9 and A-Z without I, L, O, U)';
export const ULID_RULE: InputRule = { pattern: ULID_PATTERN, patternWords: ULID_WORDS, status: 400 };

/** A name or id that is trimmed before use: something other than white space. */
export const NOT_BLANK = { pattern: /\S/, patternWords: 'a string with a character other than white space' } as const;

/** The options fragment that declares a rule on a Pothos argument or input field. */
export function rule(declared: InputRule): { extensions: { rule: InputRule } } {
  return { extensions: { rule: declared } };
}

/** The rule declared on an argument or input field; ID arguments are ULIDs unless declared opaque. */
export function ruleOf(field: GraphQLArgument | GraphQLInputField, namedTypeName: string): InputRule | undefined {
  const declared = field.extensions?.rule as InputRule | undefined;
  if (namedTypeName === 'ID' && !declared?.opaqueId) return { ...ULID_RULE, ...declared };
  return declared?.opaqueId ? undefined : declared;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What the rule allows, in plain words, without the value's type (`from 1 to 500`, `of 1 to 100 characters`). */
export function ruleWords(declared: InputRule): string {
  const parts: string[] = [];
  const { minimum: min, maximum: max, minLength, maxLength } = declared;
  if (min !== undefined && max !== undefined) parts.push(`from ${min} to ${max}`);
  else if (min !== undefined) parts.push(`of at least ${min}`);
  else if (max !== undefined) parts.push(`of at most ${max}`);
  if (minLength !== undefined && maxLength !== undefined) parts.push(`of ${minLength} to ${maxLength} characters`);
  else if (minLength !== undefined) parts.push(`of at least ${minLength} characters`);
  else if (maxLength !== undefined) parts.push(`of at most ${maxLength} characters`);
  return parts.join(' ');
}

/** The rule's broken part in plain words ("must be one of read, write, admin"), or null when the value obeys it. */
export function ruleViolation(value: unknown, declared: InputRule, typeWords: string): string | null {
  const bounds = ruleWords(declared);
  const full = `must be ${typeWords}${bounds ? ' ' + bounds : ''}`;
  if (typeof value === 'number') {
    if (declared.minimum !== undefined && value < declared.minimum) return full;
    if (declared.maximum !== undefined && value > declared.maximum) return full;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (declared.minLength !== undefined && length < declared.minLength) return full;
    if (declared.maxLength !== undefined && length > declared.maxLength) return full;
    if (declared.enum && !declared.enum.includes(value)) {
      return `must be ${declared.enumWords ?? 'one of ' + declared.enum.join(', ')}`;
    }
    if (declared.pattern && !declared.pattern.test(value))
      return `must be ${declared.patternWords ?? `a string matching ${declared.pattern.source}`}`;
    if (
      declared.format === 'date' &&
      (!DATE.test(value) || Number.isNaN(Date.parse(value + 'T00:00:00Z')) || value < FIRST_DAY || value > LAST_DAY)
    ) {
      return `must be ${DAY_WORDS}`;
    }
    if (declared.format === 'email' && !EMAIL.test(value)) return 'must be an email address';
    if (declared.format === 'uri' && !URL.canParse(value)) return 'must be an absolute URL';
  }
  if (declared.jsonType === 'object' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    return 'must be a JSON object';
  }
  return null;
}

/** The status of a rule's violation: enums and semantic rules are 422, malformed ids and the page bounds 400. */
export function ruleStatus(declared: InputRule, broken: string): 400 | 422 {
  if (declared.enum && broken.startsWith('must be ' + (declared.enumWords ?? 'one of'))) return 422;
  return declared.status ?? 422;
}

/** The rule as JSON Schema keywords, for the OpenAPI document. */
export function ruleSchema(declared: InputRule): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'format'] as const) {
    if (declared[key] !== undefined) schema[key] = declared[key];
  }
  if (declared.enum) schema.enum = [...declared.enum];
  if (declared.pattern) schema.pattern = declared.pattern.source;
  else if (declared.format === 'date') schema.pattern = DAY_RANGE_PATTERN.source;
  if (declared.jsonType) schema.type = declared.jsonType;
  return schema;
}
