import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { openPGlite } from './pglite-template.ts';

/** Server mode: a PostgreSQL URL. Embedded mode: a PGlite data directory (or memory for tests). */
export type DatabaseTarget =
  | {
      kind: 'postgres';
      url: string;
      poolSize?: number;
      /** How long a query waits for a free connection when all are in use. */
      poolTimeoutMs?: number;
      statementTimeoutMs?: number;
    }
  | {
      kind: 'pglite';
      dataDir: string | null;
      /**
       * Where prepared, migrated data directories are cached (see pglite-template.ts); an empty
       * `dataDir` is copied from there instead of being built. Null: always build.
       */
      templateDir?: string | null;
    };

/** One session on the database, for the migration runner and tests (not for domain code). */
export interface SqlSession {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<void>;
}

/** What the connection pool holds now (for metrics). */
export interface PoolStats {
  /** Connections open; `idle` of them free (null where the driver does not say: PGlite). */
  total: number;
  idle: number | null;
  /** Queries waiting for a connection; null where the driver does not say. */
  waiting: number | null;
  max: number;
}

export interface Database {
  target: DatabaseTarget;
  poolStats(): PoolStats;
  /** Hand this to the subgraph's generated PrismaClient. */
  adapter: SqlMigrationAwareDriverAdapterFactory;
  /** Runs `work` on one dedicated session (advisory locks need the same session). */
  withSession<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: target.url,
      max: target.poolSize ?? 10,
      // Past this wait pg-pool rejects with "timeout exceeded when trying to connect", which the
      // server kit answers as SERVICE_UNAVAILABLE (reason DATABASE_POOL_EXHAUSTED).
      connectionTimeoutMillis: target.poolTimeoutMs ?? 5_000,
      // A runaway statement must not hold a connection forever.
      statement_timeout: target.statementTimeoutMs ?? 15_000,
    });
    // An idle client whose server connection is terminated (database dropped or restarted) must
    // not crash the process: the pool discards it and opens a new one when needed.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    return {
      target,
      adapter: new PrismaPg(pool),
      poolStats: () => ({
        total: pool.totalCount,
        idle: pool.idleCount,
        waiting: pool.waitingCount,
        max: pool.options.max ?? 10,
      }),
      async withSession(work) {
        const client = await pool.connect();
        try {
          return await work({
            query: async (sql, params) => (await client.query(sql, params)).rows,
            exec: async (sql) => {
              await client.query(sql);
            },
          });
        } finally {
          client.release();
        }
      },
      close: () => pool.end(),
    };
  }
  const pglite = await openPGlite(target.dataDir ?? undefined);
  return {
    target,
    adapter: new PrismaPGlite(pglite),
    // PGlite is one connection inside this process; it queues queries without saying how many.
    poolStats: () => ({ total: 1, idle: null, waiting: null, max: 1 }),
    withSession: (work) =>
      work({
        query: async <Row>(sql: string, params?: unknown[]) =>
          (await pglite.query<Row>(sql, params)).rows,
        exec: async (sql) => {
          await pglite.exec(sql);
        },
      }),
    close: () => pglite.close(),
  };
}
