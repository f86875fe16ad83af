import { EVENT_CONTRACTS, eventEnvelope, isEventType, type SubgraphName } from '@sky/contracts';
import type { Logger } from '@sky/logging';
import { inSpan, linkTo, ROOT_CONTEXT, SpanKind, type EventMetrics } from '@sky/telemetry';
import type { DomainEvent, EventPayload, EventsConsumedBy, EventType } from './routes.ts';
import type { SqlClient } from './sql.ts';
import type { RunInTransaction, TransactionScope } from './transaction.ts';
import type { StreamTransport } from './transport.ts';

/** An event whose payload has been parsed with its contract. */
export type ParsedEvent<Type extends EventType> = DomainEvent<EventPayload<Type>> & { type: Type };

/**
 * Handles one event inside the transaction that records it as processed. Events and timers go
 * through `scope.outbox`; `scope.afterCommit` runs a callback once that transaction has committed
 * (e.g. a live notification: a subscriber that re-reads on it must see the new state).
 */
export type EventHandler<Type extends EventType, Tx> = (
  event: ParsedEvent<Type>,
  scope: TransactionScope<Tx>,
) => Promise<void>;

/** One handler for every event type routed to `Consumer`: a missing one fails the typecheck. */
export type EventHandlers<Consumer extends SubgraphName, Tx> = {
  [Type in EventsConsumedBy<Consumer>]: EventHandler<Type, Tx>;
};

/** The handlers of any consumer, as the workers hold them. */
export type AnyEventHandlers<Tx> = { [Type in EventType]?: EventHandler<Type, Tx> };

/**
 * Reads an event's payload with its contract: the parsed event, or what is wrong with it (an
 * unknown type included).
 */
export function parseEvent(
  event: DomainEvent,
): { ok: true; event: ParsedEvent<EventType> } | { ok: false; problems: string } {
  if (!isEventType(event.type)) return { ok: false, problems: `unknown event type ${event.type}` };
  const result = EVENT_CONTRACTS[event.type].payload.safeParse(event.payload);
  if (!result.success) {
    const problems = result.error.issues
      .map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`)
      .join('; ');
    return { ok: false, problems };
  }
  // TypeScript cannot tie `result.data` to `event.type` across the union of event types; the
  // payload was just parsed with the schema of exactly that type.
  const parsed = { ...event, type: event.type, payload: result.data } as ParsedEvent<EventType>;
  return { ok: true, event: parsed };
}

/**
 * Runs the handler of `event.type` on an event already parsed, typed by its type (one call site
 * for the union of all handlers).
 */
export function runHandler<Tx>(
  handlers: AnyEventHandlers<Tx>,
  event: ParsedEvent<EventType>,
  scope: TransactionScope<Tx>,
): Promise<void> | null {
  // The same limit: the handler looked up by `event.type` takes exactly that type's event.
  const handler = handlers[event.type] as EventHandler<EventType, Tx> | undefined;
  return handler ? handler(event, scope) : null;
}

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
  handlers?: AnyEventHandlers<Tx>;
  jobs?: Record<string, JobHandler>;
  /** Counts publications, consumptions and job runs (the service's metrics). */
  metrics?: EventMetrics;
}

/**
 * What the consumer did with one event: handled it, dropped it as handled before, parked it as a
 * dead letter (its payload breaks its contract), or ignored it (not routed here).
 */
export type ConsumeOutcome = 'handled' | 'duplicate' | 'parked' | 'ignored';

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
/** Background work starts traces of its own, whatever context its loop was started in. */
const ROOT = ROOT_CONTEXT;
const acksStream = (producer: string) => `acks:${producer}`;

interface OutboxRow {
  id: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: Record<string, unknown>;
  createdAt: Date;
  traceContext: Record<string, string> | null;
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
  const { client, transaction, transport, logger, subgraph, metrics } = options;
  const abort = new AbortController();
  const loops: Promise<void>[] = [];
  const pollers: ReturnType<typeof poller>[] = [];
  let relay: ReturnType<typeof poller> | null = null;

  if (options.relay) {
    const publishDue = async () => {
      await transaction(async ({ tx }) => {
        const due = await tx.$queryRawUnsafe<OutboxRow[]>(
          `SELECT id, type, "aggregateType", "aggregateId", payload, "createdAt", "traceContext" FROM outbox_events
           WHERE "publishedAt" IS NULL
              OR ("deliveredAt" IS NULL AND "publishedAt" < now() - make_interval(secs => $1))
           ORDER BY "createdAt" LIMIT 100 FOR UPDATE SKIP LOCKED`,
          options.redeliverAfterMs / 1000,
        );
        if (due.length === 0) return;
        // One span per batch, linked to the requests that wrote its events.
        await inSpan(
          'outbox publish',
          {
            kind: SpanKind.PRODUCER,
            parent: ROOT,
            service: subgraph,
            links: due.flatMap((row) => linkTo(row.traceContext)),
            attributes: { 'messaging.batch.message_count': due.length },
          },
          async () => {
            for (const row of due) {
              const event: DomainEvent = {
                id: row.id,
                type: row.type,
                producer: subgraph,
                aggregateType: row.aggregateType,
                aggregateId: row.aggregateId,
                payload: row.payload,
                createdAt: new Date(row.createdAt).toISOString(),
                ...(row.traceContext ? { traceContext: row.traceContext } : {}),
              };
              await transport.append(EVENTS_STREAM, JSON.stringify(event));
              metrics?.published.inc();
            }
          },
        );
        await tx.$executeRawUnsafe(
          `UPDATE outbox_events SET "publishedAt" = now(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])`,
          due.map((row) => row.id),
        );
      });
    };
    const publishCounted = async () => {
      try {
        await publishDue();
      } catch (error) {
        metrics?.publishFailures.inc();
        throw error;
      }
    };
    relay = poller(options.pollIntervalMs, publishCounted, logger, 'outbox relay');
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
    // Not an event routed here: nobody waits for this consumer's acknowledgement.
    if (!isEventType(event.type) || !handlers[event.type]) return 'ignored';
    // A trace of its own, linked to the request that produced the event (which may have ended
    // long ago, or be redelivered): everything the handler does, SQL and logs, is under it.
    return inSpan(
      `consume ${event.type}`,
      {
        kind: SpanKind.CONSUMER,
        parent: ROOT,
        service: subgraph,
        links: linkTo(event.traceContext),
        attributes: {
          'messaging.operation.type': 'process',
          'messaging.destination.name': event.type,
          'messaging.message.id': event.id,
          'messaging.consumer.group.name': subgraph,
        },
      },
      async (span) => {
        const outcome = await handleRouted(event);
        span.setAttribute('sky.event.outcome', outcome);
        return outcome;
      },
    );
  };
  const handleRouted = async (event: DomainEvent): Promise<ConsumeOutcome> => {
    const parsed = parseEvent(event);
    const outcome = await transaction(async (scope): Promise<ConsumeOutcome> => {
      const inserted = await scope.tx.$executeRawUnsafe(
        `INSERT INTO processed_events ("eventId", consumer) VALUES ($1::uuid, $2)
         ON CONFLICT DO NOTHING`,
        event.id,
        subgraph,
      );
      if (inserted === 0) return 'duplicate';
      if (!parsed.ok) {
        // Handling it again cannot repair it: parked (and recorded as processed), never retried.
        await scope.tx.$executeRawUnsafe(
          `INSERT INTO dead_letter_events ("eventId", consumer, type, producer, payload, problems)
           VALUES ($1::uuid, $2, $3, $4, $5::jsonb, $6) ON CONFLICT DO NOTHING`,
          event.id,
          subgraph,
          event.type,
          event.producer,
          JSON.stringify(event.payload),
          parsed.problems,
        );
        return 'parked';
      }
      await runHandler(handlers, parsed.event, scope);
      return 'handled';
    });
    metrics?.consumed.inc({ type: event.type, outcome });
    if (outcome === 'parked') {
      logger.error(
        { eventId: event.id, type: event.type, problems: parsed.ok ? null : parsed.problems },
        'event payload breaks its contract; parked as a dead letter',
      );
    } else {
      logger.debug({ eventId: event.id, type: event.type, outcome }, 'event consumed');
    }
    await transport.append(
      acksStream(event.producer),
      JSON.stringify({ eventId: event.id, consumer: subgraph }),
    );
    return outcome;
  };
  /** A stream message that is not even an event cannot be recorded or acknowledged: dropped. */
  const readMessage = (body: string): DomainEvent | null => {
    let message: unknown;
    try {
      message = JSON.parse(body);
    } catch {
      message = null;
    }
    const envelope = eventEnvelope.safeParse(message);
    if (envelope.success) return envelope.data;
    logger.error({ body: body.slice(0, 1000) }, 'stream message is not an event; dropped');
    return null;
  };
  if (Object.keys(handlers).length > 0) {
    loops.push(
      transport.consume(
        EVENTS_STREAM,
        subgraph,
        async (body) => {
          const event = readMessage(body);
          if (!event) return;
          try {
            await consume(event);
          } catch (error) {
            metrics?.consumeFailures.inc();
            throw error;
          }
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
          await inSpan(
            `job ${job.kind}`,
            { parent: ROOT, service: subgraph, attributes: { 'sky.job.key': job.key } },
            () => handler(job),
          );
          // Unless the handler rescheduled the same key (which moves dueAt), the job is done.
          await client.$executeRawUnsafe(
            `DELETE FROM scheduled_jobs WHERE id = $1::uuid AND "dueAt" = $2`,
            job.id,
            job.dueAt,
          );
          metrics?.jobRuns.inc({ kind: job.kind, outcome: 'done' });
        } catch (error) {
          metrics?.jobRuns.inc({ kind: job.kind, outcome: 'failed' });
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
