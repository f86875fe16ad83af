/**
 * Which subgraph produces each event type and which subgraphs consume it. The producer keeps an
 * event pending in its outbox until every consumer listed here has acknowledged it, and publishes
 * it again meanwhile, so an event survives Redis, a consumer or the producer being down
 * (docs/architecture.md, section 2.2).
 */
export const EVENT_ROUTES = {
  'order.placed': { producer: 'order', consumers: ['payment'] },
  'order.cancelled': { producer: 'order', consumers: ['payment', 'catalog', 'delivery'] },
  'order.status_changed': { producer: 'order', consumers: [] },
  'order.confirmed': { producer: 'order', consumers: ['delivery'] },
  'order.reminded': { producer: 'order', consumers: [] },
  'payment.succeeded': { producer: 'payment', consumers: ['order'] },
  'payment.declined': { producer: 'payment', consumers: [] },
  'payment.refunded': { producer: 'payment', consumers: ['order'] },
  'delivery.assigned': { producer: 'delivery', consumers: ['order'] },
  'delivery.unassigned': { producer: 'delivery', consumers: ['order'] },
  'delivery.picked_up': { producer: 'delivery', consumers: ['order'] },
  'delivery.delivered': { producer: 'delivery', consumers: ['order'] },
  'delivery.waiting': { producer: 'delivery', consumers: ['order'] },
} as const satisfies Record<string, { producer: string; consumers: readonly string[] }>;

export type EventType = keyof typeof EVENT_ROUTES;

const routeOf = (type: string) =>
  (EVENT_ROUTES as Record<string, (typeof EVENT_ROUTES)[EventType]>)[type];

export const consumersOf = (type: string): readonly string[] => routeOf(type)?.consumers ?? [];

/** Whether `subgraph` writes events of any type (and so needs an outbox relay). */
export const producesEvents = (subgraph: string): boolean =>
  Object.values(EVENT_ROUTES).some((route) => route.producer === subgraph);

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
