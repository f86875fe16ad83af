import type { KeyPair } from '@sky/auth';
import type { Env } from '@sky/config';
import type { DomainEvent } from '@sky/events';
import type { LatLng } from '@sky/geo';
import {
  startTestSubgraph,
  type GraphQLResponse,
  type TestDatabase,
  type TestSubgraph,
} from '@sky/testkit';
import { createClient, type Client } from 'graphql-ws';
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { Delivery, Rider } from '../src/stores/index.ts';
import { loadConfig } from '../src/config.ts';
import { createDeliverySubgraph, type DeliverySubgraph } from '../src/server.ts';

/** The delivery subgraph in server mode on a fresh database, the machine's Redis, a random port. */
export type DeliveryHarness = TestSubgraph<DeliverySubgraph> & {
  /**
   * Delivers an order event to this subgraph's handler in a transaction (its after-commit work
   * runs once it committed), its payload parsed by its contract, as the consumer does, without
   * the processed-events bookkeeping.
   */
  deliverEvent(type: string, payload: Record<string, unknown>): Promise<void>;
};

/**
 * `database` runs a second instance on another instance's database (that instance drops it);
 * `embedded` runs on an in-memory PGlite database with in-process pub/sub instead.
 */
export async function startDeliverySubgraph(
  options: { env?: Env; keys?: KeyPair; database?: TestDatabase | null; embedded?: boolean } = {},
): Promise<DeliveryHarness> {
  const harness = await startTestSubgraph({
    name: 'delivery',
    ...options,
    // Most tests report positions back to back; the rate-limit tests set their own interval.
    env: { LOCATION_MIN_INTERVAL_MS: '0', ...options.env },
    build: (env) => createDeliverySubgraph(loadConfig(env)),
  });
  const { runtime } = harness.subgraph;
  return {
    ...harness,
    deliverEvent: async (type, payload) => {
      const event: DomainEvent = {
        id: randomUUID(),
        type,
        producer: 'order',
        aggregateType: 'Order',
        aggregateId: String(payload.orderId),
        payload,
        createdAt: new Date().toISOString(),
      };
      // Concurrency tests deliver many at once: they may queue for a connection a while.
      await harness.subgraph.handleEvent(event, (work) =>
        runtime.transaction(work, { timeoutMs: 20_000, maxWaitMs: 20_000 }),
      );
    },
  };
}

/** A point `northMeters` north and `eastMeters` east of `origin` (good to a meter over a few km). */
export function offset(origin: LatLng, northMeters: number, eastMeters = 0): LatLng {
  const metersPerDegree = 111_195;
  return {
    latitude: origin.latitude + northMeters / metersPerDegree,
    longitude:
      origin.longitude +
      eastMeters / (metersPerDegree * Math.cos((origin.latitude * Math.PI) / 180)),
  };
}

/**
 * A test's own patch of the map, far from every other test's (the dispatch radius is 5 km), so
 * riders left online by one test are never candidates in another.
 */
let areas = 0;
export function newArea(): LatLng {
  areas += 1;
  return { latitude: -60 + areas * 2, longitude: 10 + areas * 3 };
}

export const GO_ONLINE = `mutation GoOnline($location: GeoPointInput!, $vehicle: String) {
  goOnline(location: $location, vehicle: $vehicle) { id status idleSince vehicle location { latitude longitude } }
}`;
export const GO_OFFLINE = `mutation { goOffline { id status idleSince } }`;
export const UPDATE_LOCATION = `mutation UpdateLocation($location: GeoPointInput!, $recordedAt: DateTime) {
  updateLocation(location: $location, recordedAt: $recordedAt) { id status lastLocationAt location { latitude longitude } }
}`;
export const ACCEPT = `mutation Accept($id: ID!) { acceptDeliveryOffer(deliveryId: $id) { id status version rider { id status } etaSeconds } }`;
export const DECLINE = `mutation Decline($id: ID!) { declineDeliveryOffer(deliveryId: $id) { deliveryId rider { id status } } }`;
export const ARRIVED = `mutation Arrived($id: ID!) { arrivedAtMerchant(deliveryId: $id) { id status version etaSeconds } }`;
export const PICKED_UP = `mutation PickedUp($id: ID!) { pickedUp(deliveryId: $id) { id status version etaSeconds } }`;
export const DELIVERED = `mutation Delivered($id: ID!) { delivered(deliveryId: $id) { id status version etaSeconds rider { id status idleSince } } }`;
export const MY_OFFER = `query { myDeliveryOffer { expiresAt rider { id } delivery { id status orderId: order { id } } } }`;

/** A rider: a user id, a token with the RIDER role, and helpers for their operations. */
export interface TestRider {
  userId: string;
  token: string;
  id: string;
}

export async function riderOnline(harness: DeliveryHarness, location: LatLng): Promise<TestRider> {
  const userId = randomUUID();
  const token = harness.token({ userId, roles: ['RIDER'] });
  const response = await harness.run<{ goOnline: { id: string } }>(GO_ONLINE, { location }, token);
  if (!response.data?.goOnline) throw new Error(JSON.stringify(response.errors));
  return { userId, token, id: response.data.goOnline.id };
}

export interface TestOrder {
  orderId: string;
  customerId: string;
  merchantId: string;
}

/** Simulates order.confirmed (with the merchant's location as `pickup`). */
export async function confirmOrder(
  harness: DeliveryHarness,
  places: { pickup: LatLng | null; dropoff: LatLng },
): Promise<TestOrder> {
  const order = { orderId: randomUUID(), customerId: randomUUID(), merchantId: randomUUID() };
  await harness.deliverEvent('order.confirmed', {
    ...order,
    address: places.dropoff,
    pickup: places.pickup,
    at: new Date().toISOString(),
  });
  return order;
}

/** Simulates order.cancelled, as the order subgraph writes it, for an order it confirmed. */
export async function cancelOrder(
  harness: DeliveryHarness,
  orderId: string,
  reason: string | null,
): Promise<void> {
  await harness.deliverEvent('order.cancelled', {
    orderId,
    customerId: randomUUID(),
    merchantId: randomUUID(),
    previousStatus: 'CONFIRMED',
    wasPaid: true,
    actor: 'MERCHANT',
    reason,
    at: new Date().toISOString(),
  });
}

export const deliveryOf = (harness: DeliveryHarness, orderId: string): Promise<Delivery> =>
  harness.subgraph.prisma.delivery.findUniqueOrThrow({ where: { orderId } });

export const riderRow = (harness: DeliveryHarness, riderId: string): Promise<Rider> =>
  harness.subgraph.prisma.rider.findUniqueOrThrow({ where: { id: riderId } });

export const pendingOfferOf = (harness: DeliveryHarness, deliveryId: string) =>
  harness.subgraph.prisma.deliveryOffer.findUnique({ where: { pendingDeliveryId: deliveryId } });

/** The events this subgraph wrote about a delivery, oldest first. */
export async function eventsOf(
  harness: DeliveryHarness,
  deliveryId: string,
): Promise<{ type: string; payload: Record<string, unknown> }[]> {
  const rows = await harness.subgraph.prisma.outboxEvent.findMany({
    where: { aggregateId: deliveryId },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map((row) => ({ type: row.type, payload: row.payload as Record<string, unknown> }));
}

/** Polls `check` until it returns a value (not undefined/false), or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const codes = (response: GraphQLResponse): unknown[] =>
  (response.errors ?? []).map((error) => error.extensions?.code);

export function wsClient(
  harness: DeliveryHarness,
  token: string | null,
  onClose?: (code: number) => void,
): Client {
  return createClient({
    url: harness.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    on: { closed: (event) => onClose?.((event as { code: number }).code) },
  });
}
