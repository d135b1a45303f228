import {
  coerceInputValue,
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
} from 'graphql';
import { BadRequest, Invalid } from '../../lib/errors.js';
import { ruleOf, ruleViolation, ruleStatus, ruleWords, type InputRule } from '../../lib/input-rules.js';

/** Where a REST request carries a value: how an error names it. */
export type Location = 'path' | 'query' | 'body';

const WHERE: Record<Location, string> = { path: 'path parameter', query: 'query parameter', body: 'body field' };

/** The raw REST input of one request: path parameters, the query string, the JSON body (already parsed). */
export interface RestInput {
  path: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown> | null;
}

/** Plain words for a named input type, as a REST client knows it (no GraphQL type names). */
const SCALAR_WORDS: Record<string, string> = {
  Int: 'an integer',
  Float: 'a number',
  Boolean: 'true or false',
  String: 'a string',
  ID: 'an id',
  DateTime: 'an ISO 8601 date-time with a zone, e.g. 2025-06-15T09:00:00.000Z',
  JSON: 'a JSON value',
};

function typeWords(type: GraphQLInputType, declared?: InputRule): string {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return `a list of ${plural(typeWords(nullable.ofType, declared))}`;
  if (declared?.enum) return declared.enumWords ?? `one of ${declared.enum.join(', ')}`;
  if (isEnumType(nullable))
    return `one of ${nullable
      .getValues()
      .map((value) => value.name)
      .join(', ')}`;
  if (isInputObjectType(nullable)) return `an object with the fields ${Object.keys(nullable.getFields()).join(', ')}`;
  if (declared?.pattern && declared.patternWords) return declared.patternWords;
  if (declared?.jsonType === 'object') return 'a JSON object';
  const words = SCALAR_WORDS[nullable.name] ?? `a ${nullable.name}`;
  const bounds = declared ? ruleWords(declared) : '';
  return bounds ? `${words} ${bounds}` : words;
}

function plural(words: string): string {
  return words.replace(/^an? (integer|number|string|id|ISO 8601 date-time)/, (_, noun: string) => `${noun}s`);
}

/** A refusal that names the value, where it was and the rule in plain words. */
function refuse(status: 400 | 422, where: Location, name: string, phrase: string): never {
  const message = `${WHERE[where]} ${name} ${phrase}`;
  throw status === 400 ? new BadRequest(message) : new Invalid(message);
}

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A path or query string as the JSON value its type takes, refused in REST words when it cannot be one. */
function fromText(text: string, type: GraphQLInputType, where: Location, name: string, declared?: InputRule): unknown {
  const named = getNamedType(type);
  const mistyped = () => refuse(400, where, name, `must be ${typeWords(named, declared)}`);
  if (isInputObjectType(named)) return refuse(400, where, name, 'must be sent in the JSON body');
  if (named.name === 'Int') {
    const value = Number(text);
    return INTEGER.test(text) && Number.isSafeInteger(value) && Math.abs(value) <= 2 ** 31 - 1 ? value : mistyped();
  }
  if (named.name === 'Float') return NUMBER.test(text) && Number.isFinite(Number(text)) ? Number(text) : mistyped();
  if (named.name === 'Boolean') return text === 'true' ? true : text === 'false' ? false : mistyped();
  return text;
}

/** Takes a value from where REST carries it: the path wins, then the query string, then (on writes) the body. */
function locate(arg: GraphQLArgument, input: RestInput): { where: Location; raw: unknown } {
  if (arg.name in input.path) return { where: 'path', raw: input.path[arg.name] };
  const fromQuery = input.query.getAll(arg.name);
  if (fromQuery.length > 0 || input.body === null) {
    if (fromQuery.length === 0) return { where: 'query', raw: undefined };
    if (fromQuery.some((text) => text === '')) refuse(400, 'query', arg.name, 'is empty: give it a value or leave it out');
    if (fromQuery.length > 1 && !isListType(getNullableType(arg.type))) refuse(400, 'query', arg.name, 'must be given once');
    return { where: 'query', raw: isListType(getNullableType(arg.type)) ? fromQuery : fromQuery[0] };
  }
  return { where: 'body', raw: input.body[arg.name] };
}

/** `samples[3].value` for an error at path [3, 'value'] under `samples`. */
function pathName(name: string, path: readonly (string | number)[]): string {
  return path.reduce<string>((joined, key) => (typeof key === 'number' ? `${joined}[${key}]` : `${joined}.${key}`), name);
}

/**
 * Checks a JSON value against its GraphQL input type (graphql-js' own coercion decides) and words the first
 * refusal for REST: missing and mistyped values are 400, a value outside an enum 422.
 */
function checkType(value: unknown, type: GraphQLInputType, where: Location, name: string, declared?: InputRule): void {
  let failure: { path: readonly (string | number)[]; invalid: unknown } | undefined;
  coerceInputValue(value, type, (path, invalid) => {
    failure ??= { path, invalid };
  });
  if (!failure) return;
  const { type: at, field } = typeAt(type, failure.path);
  const label = pathName(name, failure.path);
  const rule = failure.path.length === 0 ? declared : field ? ruleOf(field, getNamedType(field.type).name) : undefined;
  const nullable = getNullableType(at);
  if (isInputObjectType(nullable) && failure.invalid !== null && typeof failure.invalid === 'object' && !Array.isArray(failure.invalid)) {
    const given = failure.invalid as Record<string, unknown>;
    const fields = nullable.getFields();
    const unknown = Object.keys(given).find((key) => !Object.hasOwn(fields, key));
    if (unknown) refuse(400, where, label, `has no field ${unknown}; its fields are ${Object.keys(fields).join(', ')}`);
    const missing = Object.values(fields).find((f) => isNonNullType(f.type) && given[f.name] == null && f.defaultValue === undefined);
    if (missing) refuse(400, where, pathName(label, [missing.name]), given[missing.name] === null ? 'must not be null' : 'is required');
  }
  if (failure.invalid === undefined) refuse(400, where, label, 'is required');
  if (failure.invalid === null) refuse(400, where, label, 'must not be null');
  const status = isEnumType(nullable) && typeof failure.invalid === 'string' ? 422 : 400;
  refuse(status, where, label, `must be ${typeWords(at, rule)}`);
}

/** The input type (and the input field, when there is one) at a path inside a value of `type`. */
function typeAt(type: GraphQLInputType, path: readonly (string | number)[]): { type: GraphQLInputType; field?: GraphQLInputField } {
  let current = type;
  let field: GraphQLInputField | undefined;
  for (const key of path) {
    const nullable = getNullableType(current);
    if (typeof key === 'number' && isListType(nullable)) current = nullable.ofType;
    else if (typeof key === 'string' && isInputObjectType(nullable) && nullable.getFields()[key]) {
      const inner = nullable.getFields()[key]!;
      field = inner;
      current = inner.type;
    } else break;
  }
  return { type: current, field };
}

/** Checks the declared rules of a value and of every input field inside it (lists item by item). */
function checkRules(value: unknown, type: GraphQLInputType, declared: InputRule | undefined, where: Location, label: string): void {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable) && Array.isArray(value)) {
    // A repeated query parameter has no index a client could name; a body list does.
    value.forEach((item, index) => checkRules(item, nullable.ofType, declared, where, where === 'body' ? `${label}[${index}]` : label));
    return;
  }
  if (declared) {
    const broken = ruleViolation(value, declared, typeWords(nullable));
    if (broken) refuse(ruleStatus(declared, broken), where, label, broken);
  }
  if (isInputObjectType(nullable) && typeof value === 'object') {
    for (const field of Object.values(nullable.getFields())) {
      const inner = (value as Record<string, unknown>)[field.name];
      checkRules(inner, field.type, ruleOf(field, getNamedType(field.type).name), where, `${label}.${field.name}`);
    }
  }
}

/**
 * The GraphQL variables of one REST call, taken from the path, the query string and the body, each checked against
 * its argument's type and declared rules and refused in REST words (`query parameter limit must be an integer from
 * 1 to 500`). Generic over the schema: any field a route serves gets it, no per-route work.
 */
export function restVariables(args: readonly GraphQLArgument[], input: RestInput): Record<string, unknown> {
  const variables: Record<string, unknown> = {};
  for (const arg of args) {
    const { where, raw } = locate(arg, input);
    const declared = ruleOf(arg, getNamedType(arg.type).name);
    let value: unknown = raw;
    if (where !== 'body' && raw !== undefined) {
      value = Array.isArray(raw)
        ? raw.map((text: string) => fromText(text, arg.type, where, arg.name, declared))
        : fromText(raw as string, arg.type, where, arg.name, declared);
    }
    if (value === undefined) {
      if (isNonNullType(arg.type) && arg.defaultValue === undefined) refuse(400, where, arg.name, 'is required');
      continue;
    }
    // GraphQL takes a single value for a list (input coercion); a JSON body states its lists as arrays.
    if (where === 'body' && value !== null && !Array.isArray(value) && isListType(getNullableType(arg.type)))
      refuse(400, where, arg.name, `must be ${typeWords(arg.type, declared)}`);
    checkType(value, arg.type, where, arg.name, declared);
    checkRules(value, arg.type, declared, where, arg.name);
    variables[arg.name] = value;
  }
  return variables;
}
