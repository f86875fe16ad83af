import { z } from 'zod';
import {
  geoPoint,
  isoDateTime,
  money,
  orderActor,
  orderStatus,
  uuid,
  type SubgraphName,
} from './common.ts';

/**
 * Every domain event: which subgraph produces it, which subgraphs consume it, and its payload.
 * Producers write payloads typed (and checked) against these schemas; consumers parse what they
 * receive, and park a payload that does not parse as a dead letter instead of handling it.
 */

const orderParties = { orderId: uuid, customerId: uuid, merchantId: uuid };

const riderEvent = z.object({
  deliveryId: uuid,
  orderId: uuid,
  riderId: uuid,
  /** The rider's account: the order subgraph lets it read the order while it is assigned. */
  riderUserId: uuid,
  at: isoDateTime,
});

const route = <
  const Producer extends SubgraphName,
  const Consumers extends readonly SubgraphName[],
  Payload extends z.ZodObject,
>(
  producer: Producer,
  consumers: Consumers,
  payload: Payload,
) => ({ producer, consumers, payload });

export const EVENT_CONTRACTS = {
  'order.placed': route(
    'order',
    ['payment'],
    z.object({
      ...orderParties,
      orderNumber: z.string(),
      total: money,
      placedAt: isoDateTime,
      paymentDueAt: isoDateTime.nullable(),
    }),
  ),
  'order.status_changed': route(
    'order',
    [],
    z.object({
      ...orderParties,
      from: orderStatus.nullable(),
      to: orderStatus,
      version: z.number().int().positive(),
      actor: orderActor,
      reason: z.string().nullable(),
      at: isoDateTime,
    }),
  ),
  'order.confirmed': route(
    'order',
    ['delivery'],
    z.object({
      ...orderParties,
      /** Where the order goes. */
      address: geoPoint,
      /** Where the rider picks it up (the merchant); null for orders placed before it was kept. */
      pickup: geoPoint.nullable(),
      /**
       * When the merchant expects the food to be ready (acceptance + prep time); dispatch times the
       * rider's offer so the rider arrives around then. Absent from events written before prep
       * times existed: dispatch then offers at once.
       */
      readyAt: isoDateTime.nullish(),
      at: isoDateTime,
    }),
  ),
  /** The merchant marked the food ready (markFoodReady): dispatch offers a held delivery now. */
  'order.food_ready': route('order', ['delivery'], z.object({ ...orderParties, at: isoDateTime })),
  'order.reminded': route('order', [], z.object({ ...orderParties, at: isoDateTime })),
  'order.cancelled': route(
    'order',
    ['payment', 'catalog', 'delivery'],
    z.object({
      ...orderParties,
      /** Null for a placement that never created its order (only its stock is released). */
      previousStatus: orderStatus.nullable(),
      wasPaid: z.boolean(),
      actor: orderActor,
      reason: z.string().nullable(),
      at: isoDateTime,
    }),
  ),
  /**
   * A merchant's staff or an admin approved an after-sale refund request: payment refunds
   * `amount` of the order's succeeded payment (once per request, `refundRequestId`).
   */
  'order.refund_approved': route(
    'order',
    ['payment'],
    z.object({
      ...orderParties,
      refundRequestId: uuid,
      amount: money,
      reason: z.string(),
      at: isoDateTime,
    }),
  ),
  'payment.succeeded': route(
    'payment',
    ['order'],
    z.object({ paymentId: uuid, orderId: uuid, amount: money, paidAt: isoDateTime }),
  ),
  /** The provider declined an attempt; the order shows it live (the customer may pay again). */
  'payment.declined': route(
    'payment',
    ['order'],
    z.object({ paymentId: uuid, orderId: uuid, reason: z.string(), at: isoDateTime.optional() }),
  ),
  /**
   * An attempt will not complete (no confirmation from the provider in time, or its order was
   * cancelled meanwhile); the order shows it live while it waits for payment.
   */
  'payment.failed': route(
    'payment',
    ['order'],
    z.object({ paymentId: uuid, orderId: uuid, reason: z.string(), at: isoDateTime }),
  ),
  'payment.refunded': route(
    'payment',
    ['order'],
    z.object({
      paymentId: uuid,
      refundId: uuid,
      orderId: uuid,
      amount: money,
      at: isoDateTime,
      /** Set when the refund paid an after-sale refund request (order.refund_approved). */
      refundRequestId: uuid.nullable().optional(),
    }),
  ),
  'delivery.assigned': route('delivery', ['order'], riderEvent),
  'delivery.unassigned': route('delivery', ['order'], riderEvent.extend({ reason: z.string() })),
  'delivery.picked_up': route('delivery', ['order'], riderEvent),
  'delivery.delivered': route(
    'delivery',
    ['order'],
    riderEvent.extend({
      /**
       * Who completed it: the rider, or the platform's auto-completion timer (SYSTEM) when the
       * rider never marked it delivered. Absent means RIDER (events written before the timer).
       */
      by: z.enum(['RIDER', 'SYSTEM']).default('RIDER'),
    }),
  ),
  /** No rider is available yet; dispatch keeps trying. */
  'delivery.waiting': route(
    'delivery',
    ['order'],
    z.object({ deliveryId: uuid, orderId: uuid, at: isoDateTime }),
  ),
} as const;

export type EventType = keyof typeof EVENT_CONTRACTS;

/** The payload of an event of `Type` as a consumer receives it (parsed). */
export type EventPayload<Type extends EventType> = z.output<
  (typeof EVENT_CONTRACTS)[Type]['payload']
>;
/** The payload of an event of `Type` as a producer writes it. */
export type NewEventPayload<Type extends EventType> = z.input<
  (typeof EVENT_CONTRACTS)[Type]['payload']
>;

/** The event types `Consumer` consumes (the handlers its event workers must have). */
export type EventsConsumedBy<Consumer extends SubgraphName> = {
  [Type in EventType]: Consumer extends (typeof EVENT_CONTRACTS)[Type]['consumers'][number]
    ? Type
    : never;
}[EventType];

/** The event types `Producer` writes. */
export type EventsProducedBy<Producer extends SubgraphName> = {
  [Type in EventType]: (typeof EVENT_CONTRACTS)[Type]['producer'] extends Producer ? Type : never;
}[EventType];

export const isEventType = (type: string): type is EventType =>
  Object.hasOwn(EVENT_CONTRACTS, type);

/** The subgraphs that consume events of `type` (none for an unknown type). */
export const consumersOf = (type: string): readonly SubgraphName[] =>
  isEventType(type) ? EVENT_CONTRACTS[type].consumers : [];

/** Whether `subgraph` produces events of any type (and so needs an outbox relay). */
export const producesEvents = (subgraph: string): boolean =>
  Object.values(EVENT_CONTRACTS).some((contract) => contract.producer === subgraph);

/** An event as it travels between subgraphs; the outbox row's id is what consumers deduplicate on. */
export const eventEnvelope = z.object({
  id: uuid,
  type: z.string().min(1),
  producer: z.string().min(1),
  aggregateType: z.string(),
  aggregateId: z.string(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  /** W3C `traceparent` / `tracestate` of the producing request: consumers link their span to it. */
  traceContext: z.record(z.string(), z.string()).optional(),
});
