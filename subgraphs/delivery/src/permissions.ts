import {
  hasAnyRole,
  isAdmin,
  isAuthenticated,
  isStaffOf,
  type Viewer,
  closed,
  fields,
  type RuleTree,
  denyByDefault,
} from '@sky/auth';
import { mayViewReport } from '@sky/server-kit';
import { forbidden, unauthenticated } from '@sky/errors';
import { allow, deny, rule } from 'graphql-shield';
import type { DeliveryContext } from './context.ts';
import type { Delivery, DeliveryStores, Rider } from './stores/index.ts';
import type { OfferEvent } from './live/offer-feed.ts';

/**
 * All of the delivery subgraph's authorization. Who may see what is written once and used twice:
 * by the shield rules (which refuse with FORBIDDEN) and by the fields whose contract says "null
 * for anyone else" (which return null). Rider checks go through the viewer's own rider profile,
 * one cached lookup per request.
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

/**
 * `ownerRule` from @sky/auth, with the request context passed on: the checks here load the
 * viewer's rider profile, offers and active deliveries through the request's DataLoaders. Cached
 * per parent ('strict'), so one entity's verdict never leaks to another.
 */
function entityRule<Parent>(
  name: string,
  check: (parent: Parent, viewer: Viewer, ctx: DeliveryContext) => boolean | Promise<boolean>,
) {
  return rule(name, { cache: 'strict' })(async (parent: Parent, _args, ctx: DeliveryContext) => {
    if (!ctx.viewer) return unauthenticated();
    return (await check(parent, ctx.viewer, ctx)) ? true : forbidden();
  });
}

const isRider = hasAnyRole('RIDER');

/** The order's customer, its merchant's staff, the assigned or offered rider, admins. */
const maySeeDelivery = entityRule<Delivery>('maySeeDelivery', (delivery, viewer, { stores }) =>
  canSeeDelivery(delivery, viewer, stores),
);
/** Admins and the rider the delivery is offered to. */
const maySeeOffer = entityRule<Delivery>('maySeeOffer', (delivery, viewer, { stores }) =>
  canSeeOffer(delivery, viewer, stores),
);
/** The rider an offer event is for. */
const mayReceiveOffer = entityRule<OfferEvent>(
  'mayReceiveOffer',
  async (event, viewer, { stores }) =>
    event.offer.riderId === (await viewerRiderId(viewer, stores)),
);
/** The rider themself and admins. */
const isRiderSelf = entityRule<Rider>('isRiderSelfOrAdmin', (rider, viewer) =>
  isRiderSelfOrAdmin(rider, viewer),
);
/** The rider, admins, and the customer and merchant staff of the rider's active delivery. */
const mayTrackRider = entityRule<Rider>('mayTrackRider', (rider, viewer, { stores }) =>
  canTrackRider(rider, viewer, stores),
);

/**
 * Deny by default: every type and root field is listed. Entity fields carry the visibility rules,
 * so `_entities` (allowed for the gateway) reveals no more than the entity's own rules allow.
 * Root fields and entity extensions whose contract answers "null for anyone else" require a
 * signed-in viewer here and return null for hidden entities in their resolvers.
 *
 * Every type closes its remaining fields with `'*': deny`, so a field added later answers
 * FORBIDDEN until it gets a rule; `rules` is exported for the test that names such fields.
 */
export const rules: RuleTree = {
  Query: {
    '*': deny,
    _service: allow,
    _entities: allow,
    rider: isAuthenticated,
    delivery: isAuthenticated,
    myRiderProfile: isAuthenticated,
    myActiveDelivery: isAuthenticated,
    myDeliveryOffer: isAuthenticated,
  },
  // Riders only; which delivery a rider may act on is checked by the services (FORBIDDEN).
  Mutation: {
    '*': deny,
    goOnline: isRider,
    goOffline: isRider,
    updateLocation: isRider,
    acceptDeliveryOffer: isRider,
    declineDeliveryOffer: isRider,
    arrivedAtMerchant: isRider,
    pickedUp: isRider,
    delivered: isRider,
  },
  // The subscribe resolver checks the order's customer itself; the Delivery rules run per event.
  Subscription: {
    '*': deny,
    courierLocation: isAuthenticated,
    // The subscribe resolver also requires the caller's rider profile (FORBIDDEN without one).
    deliveryOffers: isRider,
  },
  DeclineDeliveryOfferPayload: closed(fields('deliveryId rider', allow)),
  _Service: closed(fields('sdl', allow)),
  // Report contributions: every field checks the entity's key (scope) against the caller.
  BusinessReport: closed(fields('id deliveryDays deliveryTotals', mayViewReport)),
  DeliveryDayFigures: closed(fields('date figures', allow)),
  DeliveryFigures: closed(fields('delivered averageMinutes maxMinutes', allow)),
  User: {
    '*': deny,
    id: allow,
    rider: isAuthenticated,
  },
  Order: {
    '*': deny,
    id: allow,
    delivery: isAuthenticated,
  },
  Merchant: closed(fields('id', allow)),
  Rider: closed({
    ...fields('idleSince activeDelivery deliveries', isRiderSelf),
    id: isAuthenticated,
    user: isAuthenticated,
    status: isAuthenticated,
    vehicle: isAuthenticated,
    location: mayTrackRider,
    lastLocationAt: mayTrackRider,
  }),
  Delivery: closed({
    ...fields(
      'id order rider merchant customer status pickupLocation dropoffLocation distanceMeters etaSeconds estimatedArrivalAt riderLocation riderLocationAt track assignedAt arrivedAtMerchantAt pickedUpAt deliveredAt cancelledAt createdAt updatedAt version',
      maySeeDelivery,
    ),
    currentOffer: maySeeOffer,
  }),
  // Reached only through fields guarded above (Delivery.currentOffer, Delivery.track, ...).
  DeliveryOffer: closed(fields('delivery rider offeredAt expiresAt', allow)),
  // Each event is the subscriber's own offer (checked again here, per event).
  DeliveryOfferEvent: closed(
    fields(
      'kind at offerId deliveryId merchant pickupLocation pickupDistanceMeters deliveryDistanceMeters offeredAt expiresAt',
      mayReceiveOffer,
    ),
  ),
  DeliveryConnection: closed(fields('edges pageInfo', allow)),
  DeliveryEdge: closed(fields('cursor node', allow)),
  LocationPoint: closed(fields('location recordedAt', allow)),
  LocationPointConnection: closed(fields('edges pageInfo', allow)),
  LocationPointEdge: closed(fields('cursor node', allow)),
  GeoPoint: closed(fields('latitude longitude', allow)),
  PageInfo: closed(fields('hasNextPage endCursor', allow)),
};

export const permissions = denyByDefault(rules);
