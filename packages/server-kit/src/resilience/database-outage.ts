import { serviceUnavailable } from '@sky/errors';
import type { GraphQLError } from 'graphql';

/**
 * pg-pool's refusal when every pooled connection stayed busy for DATABASE_POOL_TIMEOUT_MS (a
 * lock held on a hot table, a traffic spike). Prisma passes it on as the message of its own
 * error, so the text is what is matched, along the cause chain.
 */
const POOL_EXHAUSTED = /timeout exceeded when trying to connect/i;
/** The database server itself cannot be reached, or it dropped or refuses our connections. */
const DATABASE_UNREACHABLE =
  /ECONNREFUSED|Can't reach database server|the database system is (starting up|shutting down)|Connection terminated|terminating connection due to administrator command|is not currently accepting connections/i;
/**
 * The same, as Prisma's pg adapter classifies it (`DriverAdapterError.cause.kind`) and as
 * PostgreSQL codes it (SQLSTATE class 08 connection exceptions; 57P01-57P03 shutdown and "cannot
 * connect now"; 53300 too many connections): structured, where a message may change.
 */
const UNREACHABLE_KINDS = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
]);
const UNREACHABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

function isUnreachable(error: object): boolean {
  const { kind, code, originalCode, message } = error as Record<string, unknown>;
  return (
    (typeof kind === 'string' && UNREACHABLE_KINDS.has(kind)) ||
    [code, originalCode].some((c) => typeof c === 'string' && UNREACHABLE_SQLSTATE.test(c)) ||
    DATABASE_UNREACHABLE.test(String(message ?? ''))
  );
}

/** How long a client should wait before it tries again after the database was busy. */
const DATABASE_RETRY_AFTER_SECONDS = 2;

/**
 * The coded error for a failure of this service's own database that is not a bug: pool exhaustion
 * and an unreachable server are SERVICE_UNAVAILABLE with a reason and a retry hint, so a client
 * (and the gateway's partial data) can tell "busy, try again" from a defect. Null for anything
 * else.
 */
export function databaseOutage(error: unknown): GraphQLError | null {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const message = String((current as { message?: unknown }).message ?? '');
    if (POOL_EXHAUSTED.test(message)) {
      return serviceUnavailable(
        'The service is busy; try again shortly.',
        DATABASE_RETRY_AFTER_SECONDS,
        'DATABASE_POOL_EXHAUSTED',
      );
    }
    if (typeof current === 'object' && isUnreachable(current)) {
      return serviceUnavailable(
        'The service cannot reach its database; try again shortly.',
        DATABASE_RETRY_AFTER_SECONDS,
        'DATABASE_UNAVAILABLE',
      );
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
