import { MISSING_KEY_MESSAGE } from '../../auth/authenticate.js';
import { isEnumType, isInputObjectType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';
import { DOMAIN_EVENT_TYPES } from '../../domain-events/catalogue.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../../lib/pagination.js';
import { STATUS_TEXT } from '../../lib/errors.js';
import { fileOperation } from './openapi-files.js';
import { applyArgumentRules, applyInputFieldRules } from './openapi-rules.js';
import { REST_BASE, REST_ROUTES, type RestRoute } from './routes.js';

type Json = Record<string, any>;

const DESCRIPTION = `The REST face of VitaSync: every route is a field of the GraphQL API (POST /graphql), served through SOFA.

**Authentication.** Send \`Authorization: Bearer vs_live_…\`. Keys carry one scope: \`read\`, \`write\` or \`admin\`
(admin ⊃ write ⊃ read); each operation names the scope it needs in \`x-required-scope\`. A key sees only its workspace:
another workspace's resources answer 404.

**Pagination.** Lists take \`limit\` (1–${MAX_LIMIT}, default ${DEFAULT_LIMIT}) with either \`offset\` (the page carries
\`total\`, \`limit\`, \`offset\`) or \`cursor\` (keyset pages, fast at any depth: follow \`nextCursor\` until it is null).
Offset pages carry \`nextCursor\` too. A cursor is opaque: a changed one is a 400.

**Errors.** Every error is JSON \`{ statusCode, error, message }\`: 400 malformed or mistyped input, 401 missing/invalid/
expired key, 403 insufficient scope, 404 unknown resource or route, 405 wrong method, 409 conflict, 413 body over
the size limit, 415 body that is not JSON, 416 byte range outside a file, 422 well-formed but semantically invalid input, 429 rate limit exceeded.

**Rate limits.** Per API key (per address without one). Every response carries \`RateLimit-Limit\`,
\`RateLimit-Remaining\` and \`RateLimit-Reset\`; a 429 also carries \`Retry-After\` (seconds).

**Formats.** IDs are ULIDs; timestamps are ISO 8601 UTC with milliseconds (\`2025-06-15T09:00:00.000Z\`);
calendar days are YYYY-MM-DD from 1900-01-01 to 2199-12-31. No text may contain the NUL character (U+0000): a 400.
Every response carries \`X-Request-Id\`.`;

const ERROR_SCHEMA = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 404 },
    error: { type: 'string', example: 'Not Found' },
    message: { type: 'string', example: 'user 01JZ0000000000000000000000 not found' },
    jobId: {
      type: 'string',
      description: 'On a 409 to a sync request: the backfill or sync of the connection still running (`GET /v1/jobs/{jobId}`).',
    },
  },
};

const ERROR_EXAMPLES: Record<number, string> = {
  400: 'limit must be an integer from 1 to 500 (default 50)',
  401: MISSING_KEY_MESSAGE,
  403: 'this API key\'s scope "read" does not allow this operation',
  404: 'user 01JZ0000000000000000000000 not found',
  413: 'request body exceeds the limit of 1048576 bytes',
  415: 'Content-Type must be application/json, got "text/plain"',
  416: 'Range "bytes=5000-" lies outside the file\'s 1200 bytes',
  422: 'timezone "Mars/Base" is not an IANA time zone (e.g. "Europe/Berlin", "UTC")',
  429: 'rate limit of 600 requests per 60 s exceeded; retry after 12 s',
  500: 'An unexpected error occurred; the request id in X-Request-Id identifies it in the server log.',
};

const RATE_HEADERS = {
  'RateLimit-Limit': { schema: { type: 'integer' }, description: 'Requests allowed in the window.' },
  'RateLimit-Remaining': { schema: { type: 'integer' }, description: 'Requests left in the window.' },
  'RateLimit-Reset': { schema: { type: 'integer' }, description: 'Seconds until the window resets.' },
};

function errorResponse(status: number, message = ERROR_EXAMPLES[status]): Json {
  return {
    description: STATUS_TEXT[status],
    headers:
      status === 429 ? { ...RATE_HEADERS, 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' } } : undefined,
    content: {
      'application/json': {
        schema: { $ref: '#/components/schemas/Error' },
        example: { statusCode: status, error: STATUS_TEXT[status], message },
      },
    },
  };
}

function errorStatuses(route: RestRoute): number[] {
  const statuses = [400];
  if (route.scope !== 'none') statuses.push(401, 403);
  if (route.path.includes(':')) statuses.push(404);
  if (route.conflict) statuses.push(409);
  if (['POST', 'PUT', 'PATCH'].includes(route.method)) statuses.push(413, 415);
  statuses.push(422, 429, 500);
  return statuses;
}

function nullable(property: Json, schema: GraphQLSchema): Json {
  // OpenAPI 3.0 wants `type` beside `nullable`, also around a $ref: the GraphQL type it names gives it.
  if (property.$ref) {
    const named = schema.getType(String(property.$ref).split('/').pop()!);
    const type = isEnumType(named) ? 'string' : isObjectType(named) || isInputObjectType(named) ? 'object' : undefined;
    return { ...(type && { type }), allOf: [{ $ref: property.$ref }], nullable: true };
  }
  // A schema without a type (the JSON scalar) takes null already; OpenAPI 3.0 allows `nullable` only beside `type`.
  if (!property.type) return property;
  // OpenAPI 3.0.3: an enum lists every value it takes, null too (`nullable` does not add it).
  if (property.enum && !property.enum.includes(null)) return { ...property, enum: [...property.enum, null], nullable: true };
  return { ...property, nullable: true };
}

/**
 * GraphQL nullability is lost in SOFA's schemas; OpenAPI 3.0 says it with `nullable`. Output fields that may be
 * null, and input fields that accept null (every optional one: GraphQL takes an explicit null there).
 */
function markNullable(doc: Json, schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    const component = doc.components.schemas[type.name];
    if (!(isObjectType(type) || isInputObjectType(type)) || !component?.properties) continue;
    for (const [name, field] of Object.entries(type.getFields())) {
      const property = component.properties[name];
      if (!property || isNonNullType(field.type)) continue;
      component.properties[name] = nullable(property, schema);
    }
  }
}

/**
 * SOFA's body schema holds every variable of the operation: the path parameters too (the path wins, so the body
 * never needs them) and optional ones that accept null. The body is required only when it has a required field.
 */
function fixRequestBody(operation: Json, schema: GraphQLSchema): void {
  const content = operation.requestBody?.content?.['application/json'];
  const body = content?.schema;
  if (!body?.properties) return;
  const inPath = new Set((operation.parameters ?? []).filter((p: Json) => p.in === 'path').map((p: Json) => p.name));
  const required = ((body.required ?? []) as string[]).filter((name) => !inPath.has(name));
  const properties: Json = {};
  for (const [name, property] of Object.entries<Json>(body.properties)) {
    if (inPath.has(name)) continue;
    properties[name] = required.includes(name) ? property : nullable(property, schema);
  }
  if (Object.keys(properties).length === 0) {
    delete operation.requestBody;
    return;
  }
  content.schema = { ...body, properties, ...(required.length ? { required } : {}) };
  if (!required.length) delete content.schema.required;
  operation.requestBody.required = required.length > 0;
}

const FLOW_RESULT = {
  type: 'object',
  description: 'The outcome when the connect link had no redirectUri (otherwise the same fields go to it as query parameters).',
  properties: {
    status: { type: 'string', enum: ['connected', 'error'] },
    connectionId: { type: 'string' },
    providerId: { type: 'string' },
    error: { type: 'string' },
    message: { type: 'string' },
  },
  required: ['status'],
};

/** Defaults the server applies (the bounds are the arguments' declared rules: openapi-rules.ts). */
const DEFAULTS: Record<string, Json> = { limit: { default: DEFAULT_LIMIT } };

/** A query parameter's schema as the REST handler takes it: never empty (400), with its default. */
function queryParameterSchema(name: string, schema: Json): Json {
  const nonEmpty = (s: Json): Json => (s.type === 'string' ? { ...s, minLength: 1 } : s);
  const bounded = { ...nonEmpty(schema), ...DEFAULTS[name] };
  return bounded.type === 'array' && bounded.items ? { ...bounded, items: nonEmpty(bounded.items) } : bounded;
}

function pushOperation(route: RestRoute): Json {
  const check = route.browser === 'push-check';
  return {
    operationId: check ? 'providerPushCheck' : 'providerPush',
    summary: route.summary,
    description: check
      ? "The provider's check of a push subscription (Fitbit's verify code, Strava's hub.challenge, Oura's challenge…), answered as its docs require."
      : "Where a provider posts its notifications. Verified with the provider's own signature scheme; starts an incremental sync of each named user's connection (bursts within a minute collapse into one).",
    tags: [route.tag],
    security: [],
    'x-required-scope': 'none',
    parameters: [{ name: 'providerId', in: 'path', required: true, schema: { type: 'string' } }],
    ...(check ? {} : { requestBody: { content: { 'application/json': { schema: {} } } } }),
    responses: {
      '200': check
        ? {
            description:
              'The challenge answer, in the form the provider expects (Strava: `{ "hub.challenge": … }`, Oura: `{ "challenge": … }`).',
            content: {
              'application/json': { schema: { type: 'object', additionalProperties: { type: 'string' } } },
              'text/plain': { schema: { type: 'string' } },
            },
          }
        : {
            description: 'Accepted.',
            content: {
              'application/json': { schema: { type: 'object', properties: { syncs: { type: 'integer' } }, required: ['syncs'] } },
            },
          },
      '204': { description: check ? 'Verified (Fitbit).' : 'Accepted (providers that require an empty answer).' },
      '400': errorResponse(400),
      '401': errorResponse(401),
      ...(check
        ? {
            '403': {
              ...errorResponse(403, 'hub.verify_token does not match STRAVA_WEBHOOK_VERIFY_TOKEN'),
              description: "The verify token is not this install's (Strava, Oura).",
            },
          }
        : {}),
      '404': check
        ? {
            description:
              "Unknown provider, or one without a subscription check (JSON); a verify code that is not this subscriber's (Fitbit: plain text, as its docs require).",
            content: {
              ...errorResponse(404, 'provider "acme" has no push subscription check').content,
              'text/plain': { schema: { type: 'string' }, example: 'unknown verification code' },
            },
          }
        : errorResponse(404),
      '413': errorResponse(413),
      '429': errorResponse(429),
    },
  };
}

/** The plain handlers are not GraphQL fields, so their operations are written here (files: openapi-files.ts). */
function browserOperation(route: RestRoute): Json {
  if (route.browser === 'push' || route.browser === 'push-check') return pushOperation(route);
  if (route.browser === 'upload' || route.browser === 'download') return fileOperation(route, errorResponse, RATE_HEADERS);
  const authorize = route.browser === 'authorize';
  const query = (name: string, description: string, required = false) => ({
    name,
    in: 'query',
    required,
    schema: { type: 'string', ...(required ? { minLength: 1 } : {}) },
    description,
  });
  return {
    operationId: authorize ? 'oauthAuthorize' : 'oauthCallback',
    summary: route.summary,
    description: authorize
      ? "Open in the user's browser (the `url` of POST /v1/users/{userId}/connect-links). Redirects to the provider's consent page with a signed, single-use state and PKCE (S256); providers without OAuth (demo) connect at once."
      : "The provider sends the browser here. VitaSync checks the state, exchanges the code, stores the connection (tokens encrypted), starts the backfill and redirects to the app's redirectUri with `status`, `connectionId` or `error`.",
    tags: [route.tag],
    security: [],
    'x-required-scope': 'none',
    parameters: [
      { name: 'providerId', in: 'path', required: true, schema: { type: 'string' } },
      ...(authorize
        ? [query('link', 'The signed connect link token.', true)]
        : [
            query('state', 'The state VitaSync sent.', true),
            query('code', 'The authorization code.'),
            query('error', 'Set by the provider when the user declined.'),
          ]),
    ],
    responses: {
      '302': { description: 'Redirect (to the provider, or back to the app).', headers: { Location: { schema: { type: 'string' } } } },
      '201': { description: 'Connected (no redirectUri).', content: { 'application/json': { schema: FLOW_RESULT } } },
      '400': errorResponse(400),
      // No key is needed, but one that is sent is checked like on every /v1 route.
      '401': errorResponse(401),
      '404': errorResponse(404),
      '409': { description: 'Already connected (no redirectUri).', content: { 'application/json': { schema: FLOW_RESULT } } },
      '422': errorResponse(422),
      '429': errorResponse(429),
      '502': { description: 'The provider failed (no redirectUri).', content: { 'application/json': { schema: FLOW_RESULT } } },
    },
  };
}

function decorateOperation(route: RestRoute, operation: Json, schema: GraphQLSchema): void {
  const [kind, field] = route.field!.split('.') as [string, string];
  const rootType = kind === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const success = operation.responses[String(route.status === 204 ? 200 : route.status)];
  operation.operationId = field;
  operation.summary = route.summary;
  operation.description = [
    rootType?.getFields()[field]?.description ?? '',
    `GraphQL: \`${kind.toLowerCase()} { ${field} }\`.`,
    route.scope === 'none' ? 'No API key needed.' : `Requires scope \`${route.scope}\`.`,
  ]
    .filter(Boolean)
    .join('\n\n');
  if (route.example && operation.requestBody) operation.requestBody.content['application/json'].example = route.example;
  operation.security = route.scope === 'none' ? [] : [{ bearerAuth: [] }];
  operation['x-required-scope'] = route.scope;
  // SOFA offers body fields as query parameters too; the contract takes them in the JSON body only.
  if (operation.requestBody) operation.parameters = (operation.parameters ?? []).filter((p: Json) => p.in === 'path');
  applyArgumentRules(operation, rootType?.getFields()[field]?.args ?? []);
  fixRequestBody(operation, schema);
  operation.parameters = operation.parameters?.map((p: Json) => {
    const parameter = p.in === 'query' ? { ...p, schema: queryParameterSchema(p.name, p.schema) } : p;
    // Nothing may stand beside a $ref (a GraphQL enum): its description belongs to the parameter.
    if (!parameter.schema.$ref || !parameter.schema.description) return parameter;
    const { description, ...schemaRef } = parameter.schema;
    return { ...parameter, description: parameter.description ?? description, schema: schemaRef };
  });
  const responses: Json = {};
  if (route.status === 204) responses['204'] = { description: 'No Content' };
  else responses[String(route.status)] = { ...success, description: STATUS_TEXT[route.status], headers: RATE_HEADERS };
  if (route.found) responses['200'] = { ...success, description: route.found };
  for (const status of errorStatuses(route)) responses[String(status)] = errorResponse(status, status === 409 ? route.conflict : undefined);
  operation.responses = responses;
}

/** Each tag's line in the reference; an area without one here is described by its name. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  Users: "Your app's end users, identified by your own externalId.",
  'API keys': "The workspace's API keys: create, list, rotate, delete.",
  'OAuth and connections': "Linking a user's provider account, and the connections' syncs and schedules.",
  'Health data': 'Samples pushed or synced, served raw, summarised, as timeseries and as daily summaries.',
  Events: 'Workouts, sleep sessions and activities.',
  'Personal records': "A user's bests, per metric type and per sport.",
  Providers: 'The wearable and health-app providers this install supports.',
  'Domain events': "The workspace's stream of changes and its catalogue.",
  Files: 'Uploads and signed downloads.',
};

function tagDescription(tag: string): string {
  return TAG_DESCRIPTIONS[tag] ?? `The ${tag} routes.`;
}

/** Component schemas no operation reaches (types only GraphQL subscriptions return): not part of /v1. */
function pruneUnusedSchemas(doc: Json): void {
  const schemas = doc.components.schemas as Json;
  const reached = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')) {
          const name = value.slice('#/components/schemas/'.length);
          if (!reached.has(name)) {
            reached.add(name);
            visit(schemas[name]);
          }
        } else visit(value);
      }
    }
  };
  visit({ ...doc, components: { ...doc.components, schemas: {} } });
  for (const name of Object.keys(schemas)) if (!reached.has(name)) delete schemas[name];
}

/** The OpenAPI document of /v1: SOFA's, plus auth, scopes, every error response and examples. */
export function buildOpenApiDocument(generated: Json, schema: GraphQLSchema): Json {
  const doc: Json = structuredClone(generated);
  doc.info = { title: 'VitaSync API', version: '1.0.0', description: DESCRIPTION };
  doc.servers = [{ url: REST_BASE }];
  for (const name of ['Query', 'Mutation', 'Subscription']) delete doc.components.schemas[name];
  doc.components.schemas.Error = ERROR_SCHEMA;
  doc.components.securitySchemes = {
    bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'vs_live_<secret>', description: 'An API key of the workspace.' },
  };
  markNullable(doc, schema);
  applyInputFieldRules(doc, schema);
  for (const route of REST_ROUTES) {
    const path = route.path.replace(/:([A-Za-z]+)/g, '{$1}');
    if (route.browser) {
      doc.paths[path] = { ...doc.paths[path], [route.method.toLowerCase()]: browserOperation(route) };
      continue;
    }
    const operation = doc.paths[path]?.[route.method.toLowerCase()];
    if (!operation) throw new Error(`route ${route.method} ${route.path} is missing from the SOFA document`);
    decorateOperation(route, operation, schema);
  }
  doc.tags = [...new Set(REST_ROUTES.map((route) => route.tag))].map((name) => ({ name, description: tagDescription(name) }));
  pruneUnusedSchemas(doc);
  // The event catalogue: what webhooks and other consumers receive, each type with its payload's schema.
  doc['x-domain-event-types'] = DOMAIN_EVENT_TYPES.map(({ type, description, payload }) => ({ type, description, payload }));
  return doc;
}
