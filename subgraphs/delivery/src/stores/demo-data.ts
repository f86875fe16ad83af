import {
  addresses,
  DEMO_SEED_TRANSACTION,
  demoId,
  historyFor,
  merchants,
  orders,
  riders,
  type DemoAddress,
  type DemoOrder,
  type DemoSeedOptions,
} from '@sky/demo-data';
import type { DeliveryStatus, Prisma } from '../__generated__/prisma/client.ts';
import { estimateEtaSeconds, isActiveDeliveryStatus } from '../domain/delivery-status.ts';
import { distanceMeters, interpolate, type LatLng } from '@sky/geo';
import type { DeliveryPrisma } from './index.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/**
 * The life of a demo delivery, step by step, as offsets from its creation. A delivery in status
 * S has gone through every step up to S; each step is one change (one version).
 */
const TIMELINE: { status: DeliveryStatus; afterMs: number }[] = [
  { status: 'WAITING_FOR_RIDER', afterMs: 0 },
  { status: 'OFFERED', afterMs: 10 * SECOND },
  { status: 'ASSIGNED', afterMs: 30 * SECOND },
  { status: 'ARRIVED_AT_MERCHANT', afterMs: 9 * MINUTE },
  { status: 'PICKED_UP', afterMs: 14 * MINUTE },
  { status: 'DELIVERED', afterMs: 26 * MINUTE },
];
/** How long a demo offer stays open. */
const OFFER_TTL_MS = 60 * SECOND;
/** The merchant confirms a finished order this long after it was placed. */
const CONFIRMATION_DELAY_MS = 10 * MINUTE;
/** An active demo delivery made its last step this long before the seed ran. */
const ACTIVE_LAST_STEP_AGO_MS = 2 * MINUTE;

export interface DeliveryDemoData {
  riders: Prisma.RiderCreateManyInput[];
  deliveries: Prisma.DeliveryCreateManyInput[];
  offers: Prisma.DeliveryOfferCreateManyInput[];
  locationPoints: Prisma.LocationPointCreateManyInput[];
}

type DemoDelivery = NonNullable<DemoOrder['delivery']>;

/** Minutes from placement to DELIVERED in the usual demo timeline (confirmation, then the steps). */
const USUAL_DELIVERED_AFTER_MS = CONFIRMATION_DELAY_MS + TIMELINE.at(-1)!.afterMs;

function deliveryOf(
  order: DemoOrder,
  delivery: DemoDelivery,
  now: Date,
  address: DemoAddress,
  withRoute: boolean,
): DeliveryDemoData {
  const merchant = merchants.find((m) => m.id === order.merchantId)!;
  const rider = riders.find((r) => r.id === order.riderId) ?? null;
  const pickup: LatLng = { latitude: merchant.latitude, longitude: merchant.longitude };
  const dropoff: LatLng = { latitude: address.latitude, longitude: address.longitude };
  // An order with its own delivery time stretches or shrinks the timeline to end then.
  const pace = order.deliveredAfterMinutes
    ? (order.deliveredAfterMinutes * MINUTE) / USUAL_DELIVERED_AFTER_MS
    : 1;
  const steps = TIMELINE.slice(0, TIMELINE.findIndex((s) => s.status === delivery.status) + 1).map(
    (step) => ({ status: step.status, afterMs: Math.round(step.afterMs * pace) }),
  );
  const lastStep = steps.at(-1)!;
  const active = isActiveDeliveryStatus(delivery.status);
  // A finished delivery happened after the order; an active one is happening now.
  const createdAt = active
    ? new Date(
        Math.max(
          order.placedAt.getTime() + SECOND,
          now.getTime() - ACTIVE_LAST_STEP_AGO_MS - lastStep.afterMs,
        ),
      )
    : new Date(order.placedAt.getTime() + Math.round(CONFIRMATION_DELAY_MS * pace));
  const at = (status: DeliveryStatus): Date | null => {
    const step = steps.find((s) => s.status === status);
    return step ? new Date(createdAt.getTime() + step.afterMs) : null;
  };
  const updatedAt = at(lastStep.status)!;
  const riderPosition: LatLng | null = rider
    ? { latitude: rider.latitude, longitude: rider.longitude }
    : null;
  const etaSeconds = active
    ? estimateEtaSeconds({ status: delivery.status, rider: riderPosition, pickup, dropoff })
    : null;

  const data: DeliveryDemoData = {
    riders: [],
    deliveries: [
      {
        id: delivery.id,
        orderId: order.id,
        riderId: rider?.id ?? null,
        activeRiderId: active ? (rider?.id ?? null) : null,
        merchantId: order.merchantId,
        customerId: order.customerId,
        status: delivery.status,
        pickupLatitude: pickup.latitude,
        pickupLongitude: pickup.longitude,
        dropoffLatitude: dropoff.latitude,
        dropoffLongitude: dropoff.longitude,
        distanceMeters: Math.round(distanceMeters(pickup, dropoff)),
        etaSeconds,
        // Where the rider was at the delivery's last change (the position the ETA is from).
        riderLatitude: active ? (riderPosition?.latitude ?? null) : null,
        riderLongitude: active ? (riderPosition?.longitude ?? null) : null,
        riderLocationAt: active && riderPosition ? updatedAt : null,
        estimatedArrivalAt:
          etaSeconds === null ? null : new Date(updatedAt.getTime() + etaSeconds * SECOND),
        version: steps.length,
        createdAt,
        updatedAt,
        assignedAt: at('ASSIGNED'),
        arrivedAtMerchantAt: at('ARRIVED_AT_MERCHANT'),
        pickedUpAt: at('PICKED_UP'),
        deliveredAt: at('DELIVERED'),
      },
    ],
    offers: [],
    locationPoints: [],
  };

  // The history's thousands of past deliveries keep only the delivery rows (what reports read);
  // the live demo deliveries also get their offer and a route to draw.
  if (!withRoute) return data;
  const offeredAt = at('OFFERED');
  const assignedAt = at('ASSIGNED');
  if (rider && offeredAt && assignedAt) {
    // The offer this rider accepted; answered offers hold no pending ids.
    data.offers.push({
      id: demoId(`delivery-offer:${delivery.id}:${rider.id}`),
      deliveryId: delivery.id,
      riderId: rider.id,
      offeredAt,
      expiresAt: new Date(offeredAt.getTime() + OFFER_TTL_MS),
      response: 'ACCEPTED',
      respondedAt: assignedAt,
    });
  }

  const arrivedAt = at('ARRIVED_AT_MERCHANT');
  const pickedUpAt = at('PICKED_UP');
  const deliveredAt = at('DELIVERED');
  if (rider && riderPosition && assignedAt && arrivedAt && pickedUpAt && deliveredAt) {
    // A route to draw: from where the rider accepted, to the merchant, then to the customer.
    const between = (from: Date, to: Date, fraction: number) =>
      new Date(from.getTime() + (to.getTime() - from.getTime()) * fraction);
    const route: { location: LatLng; recordedAt: Date }[] = [
      { location: riderPosition, recordedAt: assignedAt },
      {
        location: interpolate(riderPosition, pickup, 0.5),
        recordedAt: between(assignedAt, arrivedAt, 0.5),
      },
      { location: pickup, recordedAt: arrivedAt },
      { location: pickup, recordedAt: pickedUpAt },
      {
        location: interpolate(pickup, dropoff, 1 / 3),
        recordedAt: between(pickedUpAt, deliveredAt, 1 / 3),
      },
      {
        location: interpolate(pickup, dropoff, 2 / 3),
        recordedAt: between(pickedUpAt, deliveredAt, 2 / 3),
      },
      { location: dropoff, recordedAt: deliveredAt },
    ];
    data.locationPoints = route.map((point, index) => ({
      id: demoId(`location-point:${delivery.id}:${index}`),
      deliveryId: delivery.id,
      riderId: rider.id,
      latitude: point.location.latitude,
      longitude: point.location.longitude,
      recordedAt: point.recordedAt,
      receivedAt: new Date(point.recordedAt.getTime() + SECOND),
    }));
  }
  return data;
}

/**
 * The delivery slice of the demo dataset as of `now`, the history's deliveries included (pure, so
 * it can be checked without a database).
 */
export function buildDeliveryDemoData(now: Date, options: DemoSeedOptions = {}): DeliveryDemoData {
  const data: DeliveryDemoData = { riders: [], deliveries: [], offers: [], locationPoints: [] };
  const history = historyFor(options, now);
  const addressById = new Map([...addresses, ...history.addresses].map((a) => [a.id, a]));
  const live = new Set(orders);
  for (const order of [...history.orders, ...orders]) {
    if (!order.delivery) continue;
    const address = addressById.get(order.addressId)!;
    const slice = deliveryOf(order, order.delivery, now, address, live.has(order));
    data.deliveries.push(...slice.deliveries);
    data.offers.push(...slice.offers);
    data.locationPoints.push(...slice.locationPoints);
  }
  const busy = new Set(data.deliveries.map((d) => d.activeRiderId).filter((id) => id != null));
  data.riders = riders.map((rider) => ({
    id: rider.id,
    userId: rider.userId,
    status: busy.has(rider.id) ? 'BUSY' : 'AVAILABLE',
    latitude: rider.latitude,
    longitude: rider.longitude,
    lastLocationAt: now,
    idleSince: busy.has(rider.id) ? null : now,
    vehicle: rider.vehicle,
    createdAt: now,
    updatedAt: now,
  }));
  return data;
}

/** Writes the delivery slice of the demo dataset; does nothing when it is already there. */
export async function seedDeliveryDemoData(
  subgraph: { prisma: DeliveryPrisma },
  options: DemoSeedOptions = {},
): Promise<boolean> {
  const { prisma } = subgraph;
  if ((await prisma.rider.count()) > 0) return false;
  const data = buildDeliveryDemoData(new Date(), options);
  await prisma.$transaction(async (tx) => {
    await tx.rider.createMany({ data: data.riders });
    await tx.delivery.createMany({ data: data.deliveries });
    await tx.deliveryOffer.createMany({ data: data.offers });
    await tx.locationPoint.createMany({ data: data.locationPoints });
  }, DEMO_SEED_TRANSACTION);
  return true;
}
