import type { SqlClient } from './sql.ts';

/** A durable timer to write; scheduling the same `key` again moves it. */
export interface NewJob {
  kind: string;
  dueAt: Date;
  payload: Record<string, unknown>;
  key: string;
}

/**
 * Durable timers (payment timeout, dispatch retries) live in PostgreSQL, never in Redis. A job
 * with a `key` is unique: scheduling it again moves it, cancelling it removes it.
 */
export async function scheduleJob(tx: SqlClient, job: NewJob): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO scheduled_jobs (id, kind, key, "dueAt", payload, attempts)
     VALUES (gen_random_uuid(), $1, $2, $3, $4::jsonb, 0)
     ON CONFLICT (key) DO UPDATE SET "dueAt" = EXCLUDED."dueAt", payload = EXCLUDED.payload,
       attempts = 0, "lockedUntil" = NULL`,
    job.kind,
    job.key,
    job.dueAt,
    JSON.stringify(job.payload),
  );
}

export async function cancelJob(tx: SqlClient, key: string): Promise<void> {
  await tx.$executeRawUnsafe(`DELETE FROM scheduled_jobs WHERE key = $1`, key);
}
