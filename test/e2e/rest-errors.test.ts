import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  type GraphQLArgument,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../schema/index.js';
import { ruleOf, ULID_PATTERN, type InputRule } from '../../src/lib/input-rules.js';
import { REST_ROUTES, type RestRoute } from '../../src/server/rest/routes.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

// What a REST user must never read: GraphQL's variables, type names and enum wording.
const GRAPHQL_WORDS =
  /\$|[Vv]ariable|GraphQL|\b(String|Int|Float|Boolean|ID|DateTime|JSON)!|\benum\b|cannot represent|of type "|\[[A-Z]\w*!?\]/;

const SOME_ULID = '01JZ0000000000000000000000';

type Where = 'path' | 'query' | 'body';
interface Case {
  route: RestRoute;
  arg: GraphQLArgument;
  where: Where;
  kind: 'missing' | 'mistyped' | 'out of range';
  value: unknown;
}

function argsOf(route: RestRoute): readonly GraphQLArgument[] {
  const [kind, name] = route.field!.split('.') as ['Query' | 'Mutation', string];
  return (kind === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[name]!.args;
}

/** Strings a patterned argument may take: free text, a local time. */
const PATTERN_SAMPLES = ['x', '08:00'];

function ruleFor(arg: GraphQLArgument): InputRule | undefined {
  return ruleOf(arg, getNamedType(arg.type).name);
}

/** A value the argument takes, so a request fails only on the argument under test. */
function validValue(type: GraphQLInputType, rule?: InputRule): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [validValue(nullable.ofType, rule)];
  if (isEnumType(nullable)) return nullable.getValues()[0]!.name;
  if (isInputObjectType(nullable)) {
    const fields = Object.values(nullable.getFields()).filter((field) => isNonNullType(field.type));
    return Object.fromEntries(fields.map((field) => [field.name, validValue(field.type, ruleOf(field, getNamedType(field.type).name))]));
  }
  if (rule?.enum) return rule.enum[0];
  if (rule?.pattern === undefined && rule?.format === 'date') return '2025-06-15';
  if (rule?.patternWords === 'an email address') return 'a@example.com';
  // A string that holds an id (a rule's channelIds), declared with the ULID rule.
  if (rule?.pattern === ULID_PATTERN) return SOME_ULID;
  if (rule?.jsonType === 'object') return {};
  // A patterned string other than these (a local time HH:MM): the first sample it accepts.
  if (rule?.pattern && nullable.name === 'String') return PATTERN_SAMPLES.find((sample) => rule.pattern!.test(sample)) ?? 'x';
  switch (nullable.name) {
    case 'Int':
    case 'Float':
      return rule?.minimum ?? 1;
    case 'Boolean':
      return true;
    case 'DateTime':
      return '2025-06-15T09:00:00.000Z';
    case 'ID':
      return rule?.pattern ? SOME_ULID : 'some-id';
    default:
      return 'x';
  }
}

/** A value of the wrong type for the argument, as the location can carry it; undefined when there is none. */
function mistyped(type: GraphQLInputType, where: Where, rule?: InputRule): unknown {
  const named = getNamedType(type);
  if (isEnumType(named)) return 'superuser';
  if (isInputObjectType(named)) return where === 'body' ? 'text' : undefined;
  if (['Int', 'Float'].includes(named.name)) return 'abc';
  if (named.name === 'Boolean') return where === 'body' ? 'yes' : 'maybe';
  if (named.name === 'DateTime') return 'yesterday';
  if (rule?.pattern || rule?.format) return where === 'body' ? 42 : 'not a valid one!';
  if (rule?.jsonType === 'object') return where === 'body' ? 'text' : undefined;
  return where === 'body' ? 42 : undefined;
}

/** A value of the right type outside the argument's declared rule; undefined when it declares none. */
function outOfRange(rule?: InputRule): unknown {
  if (rule?.maximum !== undefined) return rule.maximum + 1;
  if (rule?.minimum !== undefined) return rule.minimum - 1;
  if (rule?.maxLength !== undefined) return 'x'.repeat(rule.maxLength + 1);
  if (rule?.enum) return 'no_such_value';
  return undefined;
}

function casesOf(route: RestRoute): Case[] {
  const cases: Case[] = [];
  for (const arg of argsOf(route)) {
    const where: Where = route.path.includes(`:${arg.name}`) ? 'path' : ['POST', 'PUT', 'PATCH'].includes(route.method) ? 'body' : 'query';
    const rule = ruleFor(arg);
    if (isNonNullType(arg.type) && where !== 'path') cases.push({ route, arg, where, kind: 'missing', value: undefined });
    const wrong = mistyped(arg.type, where, rule);
    if (wrong !== undefined)
      cases.push({
        route,
        arg,
        where,
        kind: 'mistyped',
        value: isListType(getNullableType(arg.type)) && where === 'body' ? [wrong] : wrong,
      });
    const outside = outOfRange(rule);
    if (outside !== undefined) cases.push({ route, arg, where, kind: 'out of range', value: outside });
  }
  return cases;
}

/** The request of a case: every other argument valid, the one under test missing or wrong. */
function requestOf(c: Case): { method: string; path: string; body?: Record<string, unknown> } {
  let path = c.route.path;
  const query = new URLSearchParams();
  const body: Record<string, unknown> = {};
  for (const arg of argsOf(c.route)) {
    const value = arg === c.arg ? c.value : isNonNullType(arg.type) ? validValue(arg.type, ruleFor(arg)) : undefined;
    if (value === undefined) continue;
    if (path.includes(`:${arg.name}`)) path = path.replace(`:${arg.name}`, encodeURIComponent(String(value)));
    else if (c.where === 'body' || (arg !== c.arg && ['POST', 'PUT', 'PATCH'].includes(c.route.method))) body[arg.name] = value;
    else for (const item of [value].flat()) query.append(arg.name, String(item));
  }
  const search = query.size ? `?${query}` : '';
  return { method: c.route.method, path: `/v1${path}${search}`, ...(['POST', 'PUT', 'PATCH'].includes(c.route.method) ? { body } : {}) };
}

const SERVED = REST_ROUTES.filter((route) => route.field);
const CASES = SERVED.flatMap(casesOf);

describe('REST errors name the parameter, where it was and the rule, in REST words', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer('pglite');
  });
  afterAll(() => t?.close());

  it('covers every served operation with a missing, a mistyped or an out-of-range value', () => {
    expect(CASES.length).toBeGreaterThan(0);
    const covered = new Set(CASES.map((c) => c.route));
    // Only a route whose every argument is free text (an opaque job id) has no wrong value to send.
    const freeText = (arg: GraphQLArgument) => getNamedType(arg.type).name === 'ID' && !ruleFor(arg);
    const withRules = SERVED.filter((route) => argsOf(route).some((arg) => !freeText(arg)));
    expect(withRules.filter((route) => !covered.has(route)).map((route) => route.path)).toEqual([]);
  });

  it('answers every case with 400 or 422 and a message naming the parameter, without GraphQL words', async () => {
    const failures: string[] = [];
    for (const c of CASES) {
      const request = requestOf(c);
      const response = await t.api(request.method, request.path, request.body ? { body: request.body } : {});
      const label = `${c.kind} ${c.where} ${c.arg.name} on ${request.method} ${request.path}: ${response.status} ${response.body?.message}`;
      const named = `${c.where === 'body' ? 'body field' : `${c.where} parameter`} ${c.arg.name}`;
      if (![400, 422].includes(response.status)) failures.push(`status: ${label}`);
      else if (GRAPHQL_WORDS.test(response.body.message)) failures.push(`GraphQL words: ${label}`);
      else if (!String(response.body.message).startsWith(named)) failures.push(`does not name ${named}: ${label}`);
    }
    expect(failures).toEqual([]);
  });

  it('words the examples of issue 24 as a REST user reads them', async () => {
    const user = await t.api('POST', '/v1/users', { body: { externalId: 'rest-words' } });
    const userId = user.body.id as string;
    const cases: [string, string, Record<string, unknown> | undefined, number, string][] = [
      ['GET', `/v1/users/${userId}/health/timeseries`, undefined, 400, 'query parameter metricType is required'],
      ['GET', `/v1/users/${userId}/health?limit=abc`, undefined, 400, 'query parameter limit must be an integer from 1 to 500'],
      ['POST', '/v1/api-keys', { name: 'k', scope: 'superuser' }, 422, 'body field scope must be one of read, write, admin'],
      ['POST', '/v1/users', { externalId: 42 }, 400, 'body field externalId must be a string'],
      [
        'POST',
        `/v1/api-keys/${SOME_ULID}/rotate`,
        { gracePeriodSeconds: 604801 },
        422,
        'body field gracePeriodSeconds must be an integer from 0 to 604800',
      ],
      ['GET', `/v1/users/${userId}/health?limit=501`, undefined, 400, 'query parameter limit must be an integer from 1 to 500'],
      ['GET', '/v1/users/not-a-user', undefined, 400, 'path parameter userId must be a ULID'],
      [
        'POST',
        `/v1/users/${userId}/health`,
        { samples: [{ metricType: 'heart_rate', recordedAt: '2025-06-15T09:00:00Z' }] },
        400,
        'body field samples[0].value is required',
      ],
    ];
    for (const [method, path, body, status, message] of cases) {
      const response = await t.api(method, path, body ? { body } : {});
      expect({ status: response.status, message: response.body.message }, `${method} ${path}`).toEqual({
        status,
        message: expect.stringContaining(message),
      });
    }
  });
});
