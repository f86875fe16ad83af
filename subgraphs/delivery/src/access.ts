import { isAdmin, isStaffOf, type Viewer } from '@sky/auth';
import type { Delivery, Rider } from './__generated__/prisma/client.ts';
import type { DeliveryStores } from './stores/index.ts';

/**
 * Who may see what, written once and used twice: by the shield rules (which refuse with
 * FORBIDDEN) and by the fields whose contract says "null for anyone else" (which return null).
 * Rider checks go through the viewer's own rider profile, one cached lookup per request.
 */

/** The viewer's rider profile id, or null when the viewer is not a rider. */
async function viewerRiderId(viewer: Viewer, stores: DeliveryStores): Promise<string | null> {
  return (await stores.riders.loadByUserId(viewer.userId))?.id ?? null;
}

/** The viewer is the rider the delivery is offered to right now. */
export async function isOfferedRider(
  delivery: Delivery,
  viewer: Viewer,
  stores: DeliveryStores,
): Promise<boolean> {
  if (delivery.status !== 'OFFERED') return false;
  const [offer, riderId] = await Promise.all([
    stores.offers.loadPendingForDelivery(delivery.id),
    viewerRiderId(viewer, stores),
  ]);
  return offer !== null && riderId !== null && offer.riderId === riderId;
}

/** The order's customer, its merchant's staff, the assigned or offered rider, and admins. */
export async function canSeeDelivery(
  delivery: Delivery,
  viewer: Viewer,
  stores: DeliveryStores,
): Promise<boolean> {
  if (isAdmin(viewer) || delivery.customerId === viewer.userId) return true;
  if (isStaffOf(viewer, delivery.merchantId)) return true;
  if (delivery.riderId !== null && delivery.riderId === (await viewerRiderId(viewer, stores))) {
    return true;
  }
  return isOfferedRider(delivery, viewer, stores);
}

/** `currentOffer`: admins and the offered rider. */
export async function canSeeOffer(
  delivery: Delivery,
  viewer: Viewer,
  stores: DeliveryStores,
): Promise<boolean> {
  return isAdmin(viewer) || isOfferedRider(delivery, viewer, stores);
}

/** The rider themself or an admin (private rider fields, `rider(id)`, `User.rider`). */
export const isRiderSelfOrAdmin = (rider: Pick<Rider, 'userId'>, viewer: Viewer): boolean =>
  rider.userId === viewer.userId || isAdmin(viewer);

/**
 * A rider's position: the rider, admins, and the customer and merchant staff of the delivery the
 * rider is carrying out now (so they can watch it come).
 */
export async function canTrackRider(
  rider: Rider,
  viewer: Viewer,
  stores: DeliveryStores,
): Promise<boolean> {
  if (isRiderSelfOrAdmin(rider, viewer)) return true;
  const active = await stores.deliveries.loadActiveForRider(rider.id);
  return (
    active !== null && (active.customerId === viewer.userId || isStaffOf(viewer, active.merchantId))
  );
}

/** `courierLocation`: the order's customer and admins. */
export const canTrackCourier = (delivery: Pick<Delivery, 'customerId'>, viewer: Viewer): boolean =>
  delivery.customerId === viewer.userId || isAdmin(viewer);
