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
