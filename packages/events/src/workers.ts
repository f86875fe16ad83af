import type { Logger } from '@sky/logging';
import type { DomainEvent } from './routes.ts';
import type { SqlClient } from './sql.ts';
import type { RunInTransaction, TransactionScope } from './transaction.ts';
import type { StreamTransport } from './transport.ts';

/**
 * Handles one event inside the transaction that records it as processed. Events and timers go
 * through `scope.outbox`; `scope.afterCommit` runs a callback once that transaction has committed
 * (e.g. a live notification: a subscriber that re-reads on it must see the new state).
 */
export type EventHandler<Tx> = (event: DomainEvent, scope: TransactionScope<Tx>) => Promise<void>;

export interface DueJob {
  id: string;
  kind: string;
  key: string;
  payload: Record<string, unknown>;
  attempts: number;
}
/** Runs a due job; must be idempotent (it runs again if the process dies before it is deleted). */
export type JobHandler = (job: DueJob) => Promise<void>;

export interface EventWorkerOptions<Tx> {
  subgraph: string;
  /** Statements outside a transaction (acknowledgements, the job queue). */
  client: SqlClient;
  /** The subgraph's transaction helper: handlers that write events kick the relay. */
  transaction: RunInTransaction<Tx>;
  transport: StreamTransport;
  logger: Logger;
  pollIntervalMs: number;
  redeliverAfterMs: number;
  /** Publishes this subgraph's outbox and takes consumers' acknowledgements. */
  relay: boolean;
  handlers?: Record<string, EventHandler<Tx>>;
  jobs?: Record<string, JobHandler>;
}

/** What the consumer did with one event. */
export type ConsumeOutcome = 'handled' | 'duplicate' | 'ignored';

export interface EventWorkers {
  /** Runs the relay now instead of at the next poll (after a commit that wrote events). */
  kick(): void;
  /**
   * Consumes one event as if it had arrived on the stream (deduplicated, handled in its
   * transaction, acknowledged to its producer): the consumer's whole path without the transport.
   */
  consume(event: DomainEvent): Promise<ConsumeOutcome>;
  stop(): Promise<void>;
}

const EVENTS_STREAM = 'events';
const acksStream = (producer: string) => `acks:${producer}`;

interface OutboxRow {
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** A loop that runs `tick` every `intervalMs`, never two at once, and on demand. */
function poller(intervalMs: number, tick: () => Promise<void>, logger: Logger, name: string) {
  let running: Promise<void> | null = null;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .catch((error) => logger.warn({ err: error }, `${name} failed; retrying`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          run();
        }
      });
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    kick: run,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * The event machinery of one subgraph (docs/architecture.md, section 2.2):
 * - relay: publishes outbox rows, and publishes again what a consumer has not acknowledged
 *   within `redeliverAfterMs` (Redis may have lost it); acknowledgements clear them;
 * - consumer: handles each event once, recording its id in `processed_events` in the handler's
 *   transaction, and acknowledges it to the producer (again for a duplicate, whose first
 *   acknowledgement may have been lost);
 * - jobs: durable timers from `scheduled_jobs`.
 */
export function startEventWorkers<Tx extends SqlClient>(
  options: EventWorkerOptions<Tx>,
): EventWorkers {
  const { client, transaction, transport, logger, subgraph } = options;
  const abort = new AbortController();
  const loops: Promise<void>[] = [];
  const pollers: ReturnType<typeof poller>[] = [];
  let relay: ReturnType<typeof poller> | null = null;

  if (options.relay) {
    const publishDue = async () => {
      await transaction(async ({ tx }) => {
        const due = await tx.$queryRawUnsafe<OutboxRow[]>(
          `SELECT id, type, "aggregateType", "aggregateId", payload, "createdAt" FROM outbox_events
           WHERE "publishedAt" IS NULL
              OR ("deliveredAt" IS NULL AND "publishedAt" < now() - make_interval(secs => $1))
           ORDER BY "createdAt" LIMIT 100 FOR UPDATE SKIP LOCKED`,
          options.redeliverAfterMs / 1000,
        );
        if (due.length === 0) return;
        for (const row of due) {
          const event: DomainEvent = {
            id: row.id,
            type: row.type,
            producer: subgraph,
            aggregateType: row.aggregateType,
            aggregateId: row.aggregateId,
            payload: row.payload,
            createdAt: new Date(row.createdAt).toISOString(),
          };
          await transport.append(EVENTS_STREAM, JSON.stringify(event));
        }
        await tx.$executeRawUnsafe(
          `UPDATE outbox_events SET "publishedAt" = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`,
          due.map((row) => row.id),
        );
      });
    };
    relay = poller(options.pollIntervalMs, publishDue, logger, 'outbox relay');
    pollers.push(relay);
    loops.push(
      transport.consume(
        acksStream(subgraph),
        subgraph,
        async (body) => {
          const ack = JSON.parse(body) as { eventId: string; consumer: string };
          await client.$executeRawUnsafe(
            `UPDATE outbox_events
             SET "pendingConsumers" = array_remove("pendingConsumers", $2),
                 "deliveredAt" = CASE WHEN cardinality(array_remove("pendingConsumers", $2)) = 0
                                      THEN coalesce("deliveredAt", now()) ELSE "deliveredAt" END
             WHERE id = $1::uuid`,
            ack.eventId,
            ack.consumer,
          );
        },
        abort.signal,
      ),
    );
  }

  const handlers = options.handlers ?? {};
  const consume = async (event: DomainEvent): Promise<ConsumeOutcome> => {
    const handler = handlers[event.type];
    // Not an event routed here: nobody waits for this consumer's acknowledgement.
    if (!handler) return 'ignored';
    const handled = await transaction(async (scope) => {
      const inserted = await scope.tx.$executeRawUnsafe(
        `INSERT INTO processed_events ("eventId", consumer) VALUES ($1::uuid, $2)
         ON CONFLICT DO NOTHING`,
        event.id,
        subgraph,
      );
      if (inserted === 0) return false;
      await handler(event, scope);
      return true;
    });
    logger.debug({ eventId: event.id, type: event.type, handled }, 'event consumed');
    await transport.append(
      acksStream(event.producer),
      JSON.stringify({ eventId: event.id, consumer: subgraph }),
    );
    return handled ? 'handled' : 'duplicate';
  };
  if (Object.keys(handlers).length > 0) {
    loops.push(
      transport.consume(
        EVENTS_STREAM,
        subgraph,
        async (body) => {
          await consume(JSON.parse(body) as DomainEvent);
        },
        abort.signal,
      ),
    );
  }

  const jobs = options.jobs ?? {};
  if (Object.keys(jobs).length > 0) {
    const runDueJobs = async () => {
      const due = await client.$queryRawUnsafe<(DueJob & { dueAt: Date })[]>(
        `UPDATE scheduled_jobs SET "lockedUntil" = now() + interval '60 seconds', attempts = attempts + 1
         WHERE id IN (SELECT id FROM scheduled_jobs
                      WHERE "dueAt" <= now() AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
                      ORDER BY "dueAt" LIMIT 20 FOR UPDATE SKIP LOCKED)
         RETURNING id, kind, key, payload, attempts, "dueAt"`,
      );
      for (const job of due) {
        const handler = jobs[job.kind];
        try {
          if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
          await handler(job);
          // Unless the handler rescheduled the same key (which moves dueAt), the job is done.
          await client.$executeRawUnsafe(
            `DELETE FROM scheduled_jobs WHERE id = $1::uuid AND "dueAt" = $2`,
            job.id,
            job.dueAt,
          );
        } catch (error) {
          logger.warn({ err: error, job: job.kind, key: job.key }, 'job failed; will retry');
          const backoffSeconds = Math.min(300, 2 ** Math.min(job.attempts, 8));
          await client.$executeRawUnsafe(
            `UPDATE scheduled_jobs SET "dueAt" = now() + make_interval(secs => $2), "lockedUntil" = NULL,
               "lastError" = $3 WHERE id = $1::uuid`,
            job.id,
            backoffSeconds,
            String((error as Error).message).slice(0, 1000),
          );
        }
      }
    };
    pollers.push(poller(options.pollIntervalMs, runDueJobs, logger, 'job runner'));
  }

  return {
    kick: () => relay?.kick(),
    consume,
    stop: async () => {
      abort.abort();
      for (const p of pollers) await p.stop();
      await Promise.all(loops);
    },
  };
}
