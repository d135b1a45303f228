import { GraphQLError, Kind, valueFromASTUntyped } from 'graphql';
import { builder } from './builder.js';

// ISO 8601 with a zone (Z or ±hh:mm); a timestamp without one would be read in the server's zone.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value) || Number.isNaN(Date.parse(value))) {
    throw new GraphQLError(
      `DateTime must be an ISO 8601 string with a zone, e.g. "2025-06-15T09:00:00.000Z"; got ${JSON.stringify(value)}`,
    );
  }
  return new Date(value);
}

builder.scalarType('DateTime', {
  description: 'ISO 8601 timestamp in UTC with milliseconds, e.g. "2025-06-15T09:00:00.000Z". Input may carry any zone.',
  // REST (SOFA) passes inputs through serialize as well, so it accepts the input form too.
  serialize: (value) => (value instanceof Date ? value : parseDateTime(value)).toISOString(),
  parseValue: parseDateTime,
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('DateTime must be a string');
    return parseDateTime(ast.value);
  },
});

builder.scalarType('JSON', {
  description: 'Any JSON value.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
