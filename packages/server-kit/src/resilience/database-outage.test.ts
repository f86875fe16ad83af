import { describe, expect, it } from 'vitest';
import { databaseOutage } from './database-outage.ts';

/** What Prisma throws: its driver adapter error, the adapter's classification as the cause. */
const prismaError = (cause: Record<string, unknown>) =>
  Object.assign(new Error('driver adapter error'), { cause });

describe('databaseOutage', () => {
  it.each([
    ['a refused connection', prismaError({ kind: 'DatabaseNotReachable', host: '127.0.0.1' })],
    ['a connection closed under us', prismaError({ kind: 'ConnectionClosed' })],
    [
      'a backend terminated by the administrator',
      prismaError({
        kind: 'postgres',
        code: '57P01',
        message: 'terminating connection due to administrator command',
      }),
    ],
    [
      'a database closed to connections',
      prismaError({
        kind: 'postgres',
        code: '55000',
        message: 'database "sky_delivery" is not currently accepting connections',
      }),
    ],
    ['the pool losing its connection', new Error('Connection terminated unexpectedly')],
  ])('%s is SERVICE_UNAVAILABLE (DATABASE_UNAVAILABLE)', (_case, error) => {
    expect(databaseOutage(error)?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      reason: 'DATABASE_UNAVAILABLE',
      retryAfterSeconds: expect.any(Number),
    });
  });

  it('a pool that stayed busy is SERVICE_UNAVAILABLE (DATABASE_POOL_EXHAUSTED)', () => {
    expect(
      databaseOutage(new Error('timeout exceeded when trying to connect'))?.extensions,
    ).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'DATABASE_POOL_EXHAUSTED' });
  });

  it('leaves a bug or a constraint violation alone', () => {
    expect(databaseOutage(new TypeError('x is undefined'))).toBeNull();
    expect(
      databaseOutage(prismaError({ kind: 'UniqueConstraintViolation', originalCode: '23505' })),
    ).toBeNull();
  });
});
