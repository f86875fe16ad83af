/**
 * Which subgraphs consume which event type. The producer keeps an event pending in its outbox
 * until every consumer listed here has acknowledged it, and publishes it again meanwhile, so an
 * event survives Redis, a consumer or the producer being down (DESIGN.md §2).
 */
export const EVENT_CONSUMERS: Record<string, readonly string[]> = {
  'order.placed': ['payment'],
  'order.cancelled': ['payment', 'catalog', 'delivery'],
  'order.status_changed': [],
  'order.confirmed': ['delivery'],
  'order.reminded': [],
  'payment.succeeded': ['order'],
  'payment.declined': [],
  'payment.refunded': ['order'],
  'delivery.assigned': ['order'],
  'delivery.unassigned': ['order'],
  'delivery.picked_up': ['order'],
  'delivery.delivered': ['order'],
  'delivery.waiting': ['order'],
};

export const consumersOf = (type: string): readonly string[] => EVENT_CONSUMERS[type] ?? [];

/** An event as it travels: the outbox row's id is the id consumers deduplicate on. */
export interface DomainEvent<Payload = Record<string, unknown>> {
  id: string;
  type: string;
  producer: string;
  aggregateType: string;
  aggregateId: string;
  payload: Payload;
  createdAt: string;
}
