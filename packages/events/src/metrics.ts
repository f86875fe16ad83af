import { EVENT_CONTRACTS } from '@sky/contracts';
import type { EventMetrics } from '@sky/telemetry';
import type { SqlClient } from './sql.ts';

/**
 * Scrape-time readings of the outbox and the durable timers. Each scrape runs two small queries
 * on the service's own database, both bounded: they look at no more than `ROW_CAP` rows, so a
 * backlog of a million events costs a scrape no more than one of ten thousand. Past the cap the
 * depth reads `ROW_CAP`, and the ages come from the first `ROW_CAP` pending events in the
 * `("deliveredAt", "publishedAt")` index order (earliest published first), which holds the oldest
 * ones in practice.
 */
const ROW_CAP = 10_000;

/** The consumers of the events `producer` writes: their lag reads 0 when they are caught up. */
const consumersOfProducer = (producer: string): string[] => [
  ...new Set(
    Object.values(EVENT_CONTRACTS)
      .filter((contract) => contract.producer === producer)
      .flatMap((contract) => [...contract.consumers]),
  ),
];

interface ConsumerBacklog {
  consumer: string | null;
  pending: number;
  oldest_age_seconds: number | null;
}

/** Outbox depth and oldest pending age, and per consumer its pending events and lag. */
export async function sampleOutbox(
  client: SqlClient,
  producer: string,
  metrics: EventMetrics,
): Promise<void> {
  // One statement: the grouping set `()` is the whole outbox, `(consumer)` each consumer.
  const rows = await client.$queryRawUnsafe<ConsumerBacklog[]>(
    `WITH pending AS (
       SELECT "createdAt", "pendingConsumers" FROM outbox_events
       WHERE "deliveredAt" IS NULL ORDER BY "deliveredAt", "publishedAt" LIMIT ${ROW_CAP}
     ), per_consumer AS (
       SELECT consumer, count(*)::int AS pending,
              extract(epoch FROM now() - min("createdAt"))::float8 AS oldest_age_seconds
       FROM pending, unnest("pendingConsumers") AS consumer GROUP BY consumer
     )
     SELECT NULL::text AS consumer, count(*)::int AS pending,
            extract(epoch FROM now() - min("createdAt"))::float8 AS oldest_age_seconds
     FROM pending
     UNION ALL SELECT consumer, pending, oldest_age_seconds FROM per_consumer`,
  );
  const whole = rows.find((row) => row.consumer === null);
  metrics.outboxPending.set(whole?.pending ?? 0);
  metrics.outboxOldestPendingAge.set(Math.max(0, whole?.oldest_age_seconds ?? 0));
  for (const consumer of consumersOfProducer(producer)) {
    metrics.consumerLag.set({ consumer }, 0);
    metrics.consumerPending.set({ consumer }, 0);
  }
  for (const row of rows) {
    if (row.consumer === null) continue;
    metrics.consumerLag.set({ consumer: row.consumer }, Math.max(0, row.oldest_age_seconds ?? 0));
    metrics.consumerPending.set({ consumer: row.consumer }, row.pending);
  }
}

/** Durable timers due and not yet run (the backlog), and all waiting. */
export async function sampleJobs(client: SqlClient, metrics: EventMetrics): Promise<void> {
  const [row] = await client.$queryRawUnsafe<{ due: number; scheduled: number }[]>(
    `SELECT
       (SELECT count(*)::int FROM (SELECT 1 FROM scheduled_jobs WHERE "dueAt" <= now() LIMIT ${ROW_CAP}) d) AS due,
       (SELECT count(*)::int FROM (SELECT 1 FROM scheduled_jobs LIMIT ${ROW_CAP}) s) AS scheduled`,
  );
  metrics.jobsDue.set(row?.due ?? 0);
  metrics.jobsScheduled.set(row?.scheduled ?? 0);
}
