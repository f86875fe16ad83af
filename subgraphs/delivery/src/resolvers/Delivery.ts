import { keysetCursorKey, pageSize, parseKeysetCursor, toConnection } from '@sky/server-kit';
import { isActiveDeliveryStatus, servedEta } from '../domain/delivery-status.ts';
import { pointOrNull } from '@sky/geo';
import type { DeliveryResolvers } from '../__generated__/resolvers-types.ts';

/** The longest page of a delivery's track: a whole route fits in a few pages. */
export const MAX_TRACK_PAGE_SIZE = 500;

export const Delivery: DeliveryResolvers = {
  __resolveReference: (reference, { stores }) => stores.deliveries.load(reference.id),
  order: (delivery) => ({ id: delivery.orderId }),
  rider: (delivery, _args, { stores }) =>
    delivery.riderId ? stores.riders.load(delivery.riderId) : null,
  merchant: (delivery) => ({ id: delivery.merchantId }),
  customer: (delivery) => ({ id: delivery.customerId }),
  pickupLocation: (delivery) => ({
    latitude: delivery.pickupLatitude,
    longitude: delivery.pickupLongitude,
  }),
  dropoffLocation: (delivery) => ({
    latitude: delivery.dropoffLatitude,
    longitude: delivery.dropoffLongitude,
  }),
  etaSeconds: (delivery) => servedEta(delivery).etaSeconds,
  estimatedArrivalAt: (delivery) => servedEta(delivery).estimatedArrivalAt,
  // The carrying rider's position is shown only while a rider carries the delivery.
  riderLocation: (delivery) =>
    isActiveDeliveryStatus(delivery.status)
      ? pointOrNull(delivery.riderLatitude, delivery.riderLongitude)
      : null,
  riderLocationAt: (delivery) =>
    isActiveDeliveryStatus(delivery.status) &&
    pointOrNull(delivery.riderLatitude, delivery.riderLongitude)
      ? delivery.riderLocationAt
      : null,
  currentOffer: (delivery, _args, { stores }) =>
    delivery.status === 'OFFERED' ? stores.offers.loadPendingForDelivery(delivery.id) : null,
  track: async (delivery, args, { stores }) => {
    const size = pageSize(args, { max: MAX_TRACK_PAGE_SIZE });
    const rows = await stores.locationPoints.trackPage({
      parentId: delivery.id,
      take: size + 1,
      after: parseKeysetCursor(args.after),
    });
    return toConnection(rows, size, (point) => keysetCursorKey(point.recordedAt, point.id));
  },
};
