type Json = Record<string, any>;

const COMPONENT = '#/components/schemas/';

/**
 * An OpenAPI 3.0 schema as plain JSON Schema (2020-12), which MCP tools declare their input in: `nullable` becomes
 * a `null` type (or an `anyOf` with null beside a reference), `example` becomes `examples`, vendor keys go, and
 * references to the document's components point into `$defs`. `refs` collects the component names reached.
 */
export function toJsonSchema(schema: unknown, refs: Set<string>): unknown {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, refs));
  if (!schema || typeof schema !== 'object') return schema;
  const { nullable, example, ...rest } = schema as Json;
  const out: Json = {};
  for (const [key, value] of Object.entries(rest)) {
    if (key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT)) {
      refs.add(value.slice(COMPONENT.length));
      out.$ref = `#/$defs/${value.slice(COMPONENT.length)}`;
    } else if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value).map(([name, property]) => [name, toJsonSchema(property, refs)]));
    } else out[key] = toJsonSchema(value, refs);
  }
  if (example !== undefined) out.examples = [example];
  if (nullable !== true) return out;
  // A reference (wrapped in allOf by the document, with the referenced type beside it) or a composition: null is
  // one more alternative, since the referenced schema itself refuses null.
  if (out.$ref || out.allOf || out.anyOf || out.oneOf) {
    const { type: _type, description, ...alternative } = out;
    return { ...(description !== undefined && { description }), anyOf: [alternative, { type: 'null' }] };
  }
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  return out;
}

/** The components a set of schemas reaches, transitively, converted for `$defs`. */
export function definitions(components: Json, refs: Set<string>): Json {
  const defs: Json = {};
  const pending = [...refs];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (name in defs || !components[name]) continue;
    const reached = new Set<string>();
    defs[name] = toJsonSchema(components[name], reached);
    pending.push(...reached);
  }
  return defs;
}
