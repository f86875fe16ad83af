/**
 * The raw-SQL surface of a generated PrismaClient (or its transaction client) that the outbox,
 * consumers and jobs use. Every subgraph has the same `outbox_events`, `processed_events` and
 * `scheduled_jobs` tables, so one implementation serves all of them.
 */
export interface SqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

export interface TransactionalSqlClient extends SqlClient {
  $transaction<R>(fn: (tx: never) => Promise<R>): Promise<R>;
}
