import pg from 'pg';
import type { SqlClient } from '../src/sql.ts';

/**
 * The raw-SQL surface of a PrismaClient over node-postgres, so the event machinery can be tested
 * against a real database without a subgraph's generated client.
 */
export function pgSqlClient(url: string) {
  const pool = new pg.Pool({ connectionString: url, max: 5 });
  const over = (run: (sql: string, values: unknown[]) => Promise<pg.QueryResult>): SqlClient => ({
    $executeRawUnsafe: async (sql, ...values) => (await run(sql, values)).rowCount ?? 0,
    $queryRawUnsafe: async <T>(sql: string, ...values: unknown[]) =>
      (await run(sql, values)).rows as T,
  });
  return {
    ...over((sql, values) => pool.query(sql, values)),
    async $transaction<R>(fn: (tx: SqlClient) => Promise<R>): Promise<R> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(over((sql, values) => client.query(sql, values)));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      } finally {
        client.release();
      }
    },
    end: () => pool.end(),
  };
}
