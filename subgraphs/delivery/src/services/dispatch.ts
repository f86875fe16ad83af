import type { Logger } from '@sky/logging';
import type { Delivery, Rider } from '../stores/index.ts';
import type { DispatchSettings } from '../config.ts';
import { estimateEtaSeconds } from '../domain/delivery-status.ts';
import { deliveredEvent, unassignedEvent, waitingEvent } from '../domain/delivery-events.ts';
import type { EventPayload } from '@sky/events';
import { distanceMeters, pointOrNull, type LatLng } from '@sky/geo';
import type { TxStores } from '../stores/tx-stores.ts';

/**
 * Dispatch: offering a delivery to the nearest available rider, moving on when an offer is
 * declined or lapses, and waiting (with a durable retry timer) while nobody is available. Every
 * function here runs inside the caller's transaction and holds the delivery's row lock.
 */

/** Durable job kinds (scheduled_jobs) of this subgraph. */
export const JOBS = {
  /** An offer not answered by its `expiresAt`: counts as a decline. */
  offerExpiry: 'delivery.offer_expiry',
  /** A delivery still waiting for a rider: dispatch tries again. */
  dispatchRetry: 'delivery.dispatch_retry',
  /** A delivery picked up but never marked delivered: the system completes it. */
  autoComplete: 'delivery.auto_complete',
} as const;

export const offerExpiryKey = (offerId: string) => `delivery-offer-expiry:${offerId}`;
export const dispatchRetryKey = (deliveryId: string) => `delivery-dispatch-retry:${deliveryId}`;
export const autoCompleteKey = (deliveryId: string) => `delivery-auto-complete:${deliveryId}`;

/** Riders one dispatch tries before giving up for this round (each refused by a concurrent offer). */
const MAX_CANDIDATES_PER_ROUND = 20;
/** Waiting deliveries a rider who just became available wakes up. */
const WAKE_LIMIT = 5;

const pickupOf = (delivery: Delivery): LatLng => ({
  latitude: delivery.pickupLatitude,
  longitude: delivery.pickupLongitude,
});
const dropoffOf = (delivery: Delivery): LatLng => ({
  latitude: delivery.dropoffLatitude,
  longitude: delivery.dropoffLongitude,
});
const addSeconds = (at: Date, seconds: number) => new Date(at.getTime() + seconds * 1000);

/** The ETA fields of a delivery in `status` with the rider at `rider`, as of `now`. */
export function etaFields(
  delivery: Delivery,
  status: Delivery['status'],
  rider: LatLng | null,
  now: Date,
  settings: DispatchSettings,
): { etaSeconds: number | null; estimatedArrivalAt: Date | null } {
  const etaSeconds = estimateEtaSeconds(
    { status, rider, pickup: pickupOf(delivery), dropoff: dropoffOf(delivery) },
    settings.riderSpeedMetersPerSecond,
  );
  return {
    etaSeconds,
    estimatedArrivalAt: etaSeconds === null ? null : addSeconds(now, etaSeconds),
  };
}

/**
 * Until when the offer to a rider `riderDistanceMeters` from the merchant is held, so that the
 * rider arrives around the time the food is expected ready: that time minus the ride to the
 * merchant. Null (offer now) once the food is marked ready or when no ready time is known.
 */
export function offerHeldUntil(
  delivery: Pick<Delivery, 'expectedReadyAt' | 'foodReadyAt'>,
  riderDistanceMeters: number,
  settings: Pick<DispatchSettings, 'riderSpeedMetersPerSecond'>,
): Date | null {
  if (delivery.foodReadyAt !== null || delivery.expectedReadyAt === null) return null;
  const rideMs = (riderDistanceMeters / settings.riderSpeedMetersPerSecond) * 1000;
  return new Date(delivery.expectedReadyAt.getTime() - Math.round(rideMs));
}

/**
 * Offers a WAITING_FOR_RIDER delivery to the nearest AVAILABLE rider within range who has no open
 * offer and has not been offered it before (ties: idle longest). The offer lapses at
 * `now + offerTimeoutSeconds` (a durable job). With nobody to offer it to, the delivery stays
 * WAITING_FOR_RIDER, `delivery.waiting` is announced when `announceWaiting` (it has just started
 * waiting), and a retry job tries again after `retrySeconds`. While the food will not be ready
 * before the nearest rider could get there, the offer is held: the retry job is set for the time
 * to send that rider (`offerHeldUntil`), and nothing is announced.
 */
export async function dispatch(
  stores: TxStores,
  delivery: Delivery,
  settings: DispatchSettings,
  options: { announceWaiting: boolean; now: Date },
): Promise<Delivery> {
  if (delivery.status !== 'WAITING_FOR_RIDER') return delivery;
  const { now } = options;
  const tried: string[] = [];
  while (tried.length < MAX_CANDIDATES_PER_ROUND) {
    const rider = await stores.riders.lockNearestCandidate({
      deliveryId: delivery.id,
      pickup: pickupOf(delivery),
      radiusMeters: settings.radiusMeters,
      excluding: tried,
    });
    if (!rider) break;
    const heldUntil = offerHeldUntil(delivery, rider.distanceMeters, settings);
    if (heldUntil !== null && heldUntil > now) {
      await stores.outbox.scheduleJob({
        kind: JOBS.dispatchRetry,
        key: dispatchRetryKey(delivery.id),
        dueAt: heldUntil,
        payload: { deliveryId: delivery.id },
      });
      return delivery;
    }
    const offer = await stores.offers.open({
      deliveryId: delivery.id,
      riderId: rider.id,
      offeredAt: now,
      expiresAt: addSeconds(now, settings.offerTimeoutSeconds),
      pickupDistanceMeters: Math.round(rider.distanceMeters),
    });
    if (!offer) {
      // A concurrent dispatch offered this rider another delivery first.
      tried.push(rider.id);
      continue;
    }
    await stores.outbox.cancelJob(dispatchRetryKey(delivery.id));
    await stores.outbox.scheduleJob({
      kind: JOBS.offerExpiry,
      key: offerExpiryKey(offer.id),
      dueAt: offer.expiresAt,
      payload: { offerId: offer.id, deliveryId: delivery.id },
    });
    return stores.deliveries.update(delivery, { status: 'OFFERED' });
  }
  if (options.announceWaiting) await stores.outbox.append(waitingEvent(delivery, now));
  await stores.outbox.scheduleJob({
    kind: JOBS.dispatchRetry,
    key: dispatchRetryKey(delivery.id),
    dueAt: addSeconds(now, settings.retrySeconds),
    payload: { deliveryId: delivery.id },
  });
  return delivery;
}

/** OFFERED → WAITING_FOR_RIDER after a decline or a lapse, then straight on to the next rider. */
export async function offerToNextRider(
  stores: TxStores,
  delivery: Delivery,
  settings: DispatchSettings,
  now: Date,
): Promise<Delivery> {
  const waiting = await stores.deliveries.update(delivery, { status: 'WAITING_FOR_RIDER' });
  return dispatch(stores, waiting, settings, { announceWaiting: true, now });
}

/**
 * order.confirmed: creates the order's delivery and dispatches it, once per order (a repeat finds
 * the delivery and does nothing). An order already known to be cancelled gets no delivery.
 */
export async function createDeliveryForOrder(
  stores: TxStores,
  confirmed: EventPayload<'order.confirmed'>,
  settings: DispatchSettings,
  now: Date,
  logger: Logger,
): Promise<Delivery | null> {
  if (await stores.deliveries.isOrderCancelled(confirmed.orderId)) {
    logger.info({ orderId: confirmed.orderId }, 'order.confirmed for a cancelled order; ignored');
    return null;
  }
  const dropoff = confirmed.address;
  let pickup = confirmed.pickup;
  if (!pickup) {
    // Orders placed before the merchant's location was kept carry none: the drop-off stands in
    // for it, so dispatch looks for riders near the customer, a few kilometers off at worst.
    logger.warn(
      { orderId: confirmed.orderId, merchantId: confirmed.merchantId },
      'order.confirmed without pickup; using the drop-off as the pickup point',
    );
    pickup = dropoff;
  }
  const { delivery, created } = await stores.deliveries.createForOrder({
    orderId: confirmed.orderId,
    merchantId: confirmed.merchantId,
    customerId: confirmed.customerId,
    pickup,
    dropoff,
    distanceMeters: Math.round(distanceMeters(pickup, dropoff)),
    expectedReadyAt: confirmed.readyAt ? new Date(confirmed.readyAt) : null,
    createdAt: now,
  });
  if (!created) return delivery;
  return dispatch(stores, delivery, settings, { announceWaiting: true, now });
}

/**
 * A rider became AVAILABLE at `location`: the deliveries waiting near them are dispatched again
 * now (their retry timers are moved to now) instead of at their next retry.
 */
export async function wakeWaitingDeliveriesNear(
  stores: TxStores,
  location: LatLng | null,
  settings: DispatchSettings,
  now: Date,
): Promise<void> {
  if (!location) return;
  const waiting = await stores.deliveries.waitingNear(location, settings.radiusMeters, WAKE_LIMIT);
  for (const delivery of waiting) {
    await stores.outbox.scheduleJob({
      kind: JOBS.dispatchRetry,
      key: dispatchRetryKey(delivery.id),
      dueAt: now,
      payload: { deliveryId: delivery.id },
    });
  }
}

/** BUSY → AVAILABLE (idle from now) and waiting deliveries near the rider woken. */
export async function releaseRider(
  stores: TxStores,
  riderId: string,
  settings: DispatchSettings,
  now: Date,
): Promise<void> {
  const rider = await stores.riders.release(riderId);
  if (rider) {
    await wakeWaitingDeliveriesNear(
      stores,
      pointOrNull(rider.latitude, rider.longitude),
      settings,
      now,
    );
  }
}

export type CancelOutcome = 'NO_DELIVERY' | 'CANCELLED' | 'ALREADY_FINAL' | 'ALREADY_PICKED_UP';

/**
 * order.cancelled: calls the delivery off unless the food is already picked up (or it is final):
 * an open offer is withdrawn, the timers dropped, and an assigned rider freed
 * (`delivery.unassigned`). The cancellation is remembered, so a late order.confirmed for the same
 * order creates nothing.
 */
export async function cancelDeliveryForOrder(
  stores: TxStores,
  cancelled: EventPayload<'order.cancelled'>,
  settings: DispatchSettings,
  now: Date,
): Promise<CancelOutcome> {
  await stores.deliveries.rememberCancelledOrder(cancelled.orderId, new Date(cancelled.at));
  const reason = cancelled.reason?.trim() ? cancelled.reason.slice(0, 500) : 'order cancelled';
  const delivery = await stores.deliveries.lockByOrderId(cancelled.orderId);
  if (!delivery) return 'NO_DELIVERY';
  if (delivery.status === 'DELIVERED' || delivery.status === 'CANCELLED') return 'ALREADY_FINAL';
  if (delivery.status === 'PICKED_UP') return 'ALREADY_PICKED_UP';

  const offer = await stores.offers.pendingForDelivery(delivery.id);
  if (offer) {
    await stores.offers.answer(offer.id, 'WITHDRAWN', now);
    await stores.outbox.cancelJob(offerExpiryKey(offer.id));
  }
  await stores.outbox.cancelJob(dispatchRetryKey(delivery.id));
  await stores.deliveries.update(delivery, {
    status: 'CANCELLED',
    cancelledAt: now,
    cancelReason: reason,
    activeRiderId: null,
    etaSeconds: null,
    estimatedArrivalAt: null,
  });
  if (delivery.activeRiderId) {
    const rider = await stores.riders.find(delivery.activeRiderId);
    if (rider) {
      await stores.outbox.append(unassignedEvent(delivery, rider, reason, now));
      await releaseRider(stores, rider.id, settings, now);
    }
  }
  return 'CANCELLED';
}

/**
 * The offer expiry timer: an offer still open counts as declined and the delivery goes to the next
 * rider. An offer answered in the meantime is left alone (the job may run more than once).
 */
export async function expireOffer(
  stores: TxStores,
  input: { offerId: string; deliveryId: string },
  settings: DispatchSettings,
  now: Date,
): Promise<boolean> {
  const delivery = await stores.deliveries.lock(input.deliveryId);
  if (!delivery) return false;
  if (!(await stores.offers.answer(input.offerId, 'EXPIRED', now))) return false;
  if (delivery.status === 'OFFERED') await offerToNextRider(stores, delivery, settings, now);
  return true;
}

/** The dispatch retry timer: tries again while the delivery is still waiting. */
export async function retryDispatch(
  stores: TxStores,
  deliveryId: string,
  settings: DispatchSettings,
  now: Date,
): Promise<Delivery | null> {
  const delivery = await stores.deliveries.lock(deliveryId);
  if (!delivery || delivery.status !== 'WAITING_FOR_RIDER') return delivery;
  return dispatch(stores, delivery, settings, { announceWaiting: false, now });
}

/**
 * order.food_ready: the kitchen is done, so a held offer goes out now (a delivery still waiting
 * for a rider is dispatched at once). Once per delivery; a delivery not created yet (the event
 * overtook order.confirmed) is left to its own timing.
 */
export async function foodReadyForOrder(
  stores: TxStores,
  ready: EventPayload<'order.food_ready'>,
  settings: DispatchSettings,
  now: Date,
): Promise<Delivery | null> {
  const delivery = await stores.deliveries.lockByOrderId(ready.orderId);
  if (!delivery || delivery.foodReadyAt !== null) return null;
  const updated = await stores.deliveries.update(delivery, { foodReadyAt: new Date(ready.at) });
  return dispatch(stores, updated, settings, { announceWaiting: false, now });
}

/**
 * PICKED_UP → DELIVERED by `by` (the rider's step, or the auto-complete timer): the rider is freed
 * and `delivery.delivered` says who completed it. The caller holds the delivery's lock and has
 * checked that it is PICKED_UP.
 */
export async function completeDelivery(
  stores: TxStores,
  delivery: Delivery,
  rider: Pick<Rider, 'id' | 'userId'>,
  by: 'RIDER' | 'SYSTEM',
  settings: DispatchSettings,
  now: Date,
): Promise<Delivery> {
  const updated = await stores.deliveries.update(delivery, {
    status: 'DELIVERED',
    deliveredAt: now,
    activeRiderId: null,
    etaSeconds: null,
    estimatedArrivalAt: null,
  });
  await stores.outbox.append(deliveredEvent(updated, rider, by, now));
  await stores.outbox.cancelJob(autoCompleteKey(delivery.id));
  await releaseRider(stores, rider.id, settings, now);
  return updated;
}

/** After pickup: the auto-complete timer, `autoCompleteSeconds` from now. */
export function scheduleAutoComplete(
  stores: TxStores,
  delivery: Pick<Delivery, 'id'>,
  settings: DispatchSettings,
  now: Date,
): Promise<void> {
  return stores.outbox.scheduleJob({
    kind: JOBS.autoComplete,
    key: autoCompleteKey(delivery.id),
    dueAt: addSeconds(now, settings.autoCompleteSeconds),
    payload: { deliveryId: delivery.id },
  });
}

/**
 * The auto-complete timer: a delivery still PICKED_UP is completed by the system (actor SYSTEM on
 * the order). A rider who marks it delivered at the same moment holds or waits for the row lock;
 * whoever comes second finds it DELIVERED and changes nothing.
 */
export async function autoCompleteDelivery(
  stores: TxStores,
  deliveryId: string,
  settings: DispatchSettings,
  now: Date,
): Promise<Delivery | null> {
  const delivery = await stores.deliveries.lock(deliveryId);
  if (!delivery || delivery.status !== 'PICKED_UP' || delivery.riderId === null) return null;
  const rider = await stores.riders.find(delivery.riderId);
  if (!rider) return null;
  return completeDelivery(stores, delivery, rider, 'SYSTEM', settings, now);
}
