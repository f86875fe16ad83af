import { toConnection } from '@sky/server-kit';
import { isActiveDeliveryStatus, servedEta } from '../domain/delivery-status.ts';
import { pointOrNull } from '@sky/geo';
import { keysetKey, parseKeysetCursor, trackPageSize } from '../stores/keyset.ts';
import type { DeliveryResolvers } from '../__generated__/resolvers-types.ts';

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
    const size = trackPageSize(args);
    const rows = await stores.locationPoints.trackPage({
      parentId: delivery.id,
      take: size + 1,
      after: parseKeysetCursor(args.after),
    });
    return toConnection(rows, size, (point) => keysetKey(point.recordedAt, point.id));
  },
};
