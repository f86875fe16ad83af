import { EVENT_CONTRACTS, type EventType, type NewEventPayload } from '@sky/contracts';
import { randomUUID } from 'node:crypto';
import { traceCarrier } from '@sky/telemetry';
import { cancelJob, scheduleJob, type NewJob } from './jobs.ts';
import { consumersOf } from './routes.ts';
import type { SqlClient } from './sql.ts';

/** An event to write, its payload typed by its contract. */
export type NewEvent = {
  [Type in EventType]: {
    type: Type;
    aggregateType: string;
    aggregateId: string;
    payload: NewEventPayload<Type>;
  };
}[EventType];

/**
 * Records an event in the same transaction as the state change it describes (transactional
 * outbox): if the transaction commits, the event will be delivered; if not, it never existed.
 * The payload is parsed with its contract first, so a producer can never publish a payload its
 * consumers would have to refuse (a failure rolls the change back). The trace context of the
 * request writing it goes with it, so its consumers' spans link back to that request. Returns the
 * event id.
 */
async function appendToOutbox(tx: SqlClient, event: NewEvent): Promise<string> {
  const payload = EVENT_CONTRACTS[event.type].payload.parse(event.payload);
  const id = randomUUID();
  const consumers = [...consumersOf(event.type)];
  const trace = traceCarrier();
  await tx.$executeRawUnsafe(
    `INSERT INTO outbox_events (id, "aggregateType", "aggregateId", type, payload, "pendingConsumers", "deliveredAt", "traceContext")
     VALUES ($1::uuid, $2, $3::uuid, $4, $5::jsonb, $6::text[], CASE WHEN cardinality($6::text[]) = 0 THEN now() END, $7::jsonb)`,
    id,
    event.aggregateType,
    event.aggregateId,
    event.type,
    JSON.stringify(payload),
    consumers,
    trace.traceparent ? JSON.stringify(trace) : null,
  );
  return id;
}

/**
 * Everything a transaction writes for later: events (the outbox) and durable timers. One per
 * transaction; it remembers whether an event was written, so the relay can be kicked once the
 * transaction commits instead of waiting for its next poll.
 */
export class Outbox {
  private eventsAppended = 0;

  constructor(private readonly tx: SqlClient) {}

  async append(event: NewEvent): Promise<string> {
    const id = await appendToOutbox(this.tx, event);
    this.eventsAppended += 1;
    return id;
  }

  scheduleJob(job: NewJob): Promise<void> {
    return scheduleJob(this.tx, job);
  }

  cancelJob(key: string): Promise<void> {
    return cancelJob(this.tx, key);
  }

  /** Whether this transaction wrote at least one event. */
  get wroteEvents(): boolean {
    return this.eventsAppended > 0;
  }
}
