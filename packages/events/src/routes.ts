/**
 * Which subgraph produces each event type and which consume it comes from the contracts
 * (@sky/contracts): the producer keeps an event pending in its outbox until every consumer
 * listed there has acknowledged it, and publishes it again meanwhile, so an event survives
 * Redis, a consumer or the producer being down (docs/architecture.md, section 2.2).
 */
export {
  consumersOf,
  producesEvents,
  type EventPayload,
  type EventType,
  type EventsConsumedBy,
} from '@sky/contracts';

/** An event as it travels: the outbox row's id is the id consumers deduplicate on. */
export interface DomainEvent<Payload = Record<string, unknown>> {
  id: string;
  type: string;
  producer: string;
  aggregateType: string;
  aggregateId: string;
  payload: Payload;
  createdAt: string;
  /** W3C trace context of the request that produced it (absent when it was not traced). */
  traceContext?: Record<string, string>;
}
