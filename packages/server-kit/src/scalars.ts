import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** ISO-8601 timestamps in UTC on the wire, `Date` inside resolvers. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 timestamp in UTC, e.g. 2026-11-25T08:30:00.000Z.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(value as string);
    if (Number.isNaN(date.getTime()))
      throw new GraphQLError('DateTime cannot represent this value.');
    return date.toISOString();
  },
  parseValue(value) {
    const date = typeof value === 'string' ? new Date(value) : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      throw new GraphQLError('DateTime must be an ISO-8601 string.', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return date;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING || Number.isNaN(new Date(ast.value).getTime())) {
      throw new GraphQLError('DateTime must be an ISO-8601 string.', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return new Date(ast.value);
  },
});

/**
 * Integers JavaScript and JSON represent exactly (|n| <= 2^53 - 1), for aggregates that can pass
 * GraphQL's 32-bit Int. Out of range is an error rather than a silently rounded number.
 */
export const SafeIntScalar = new GraphQLScalarType<number, number>({
  name: 'SafeInt',
  description: 'An integer between -(2^53 - 1) and 2^53 - 1 (exact in JSON and JavaScript).',
  serialize(value) {
    const number = typeof value === 'bigint' ? Number(value) : (value as number);
    if (typeof value === 'bigint' && BigInt(number) !== value) {
      throw new GraphQLError('SafeInt cannot represent this value.');
    }
    if (!Number.isSafeInteger(number))
      throw new GraphQLError('SafeInt cannot represent this value.');
    return number;
  },
  parseValue(value) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
      throw new GraphQLError('SafeInt must be an integer within ±(2^53 - 1).', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return value;
  },
  parseLiteral(ast) {
    const value = ast.kind === Kind.INT ? Number(ast.value) : NaN;
    if (!Number.isSafeInteger(value)) {
      throw new GraphQLError('SafeInt must be an integer within ±(2^53 - 1).', {
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
    return value;
  },
});
