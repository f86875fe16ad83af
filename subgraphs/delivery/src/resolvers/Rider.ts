import { createdAtCursorKey, pageSize, parseKeysetCursor, toConnection } from '@sky/server-kit';
import { pointOrNull } from '@sky/geo';
import type { RiderResolvers } from '../__generated__/resolvers-types.ts';

export const Rider: RiderResolvers = {
  __resolveReference: (reference, { stores }) => stores.riders.load(reference.id),
  user: (rider) => ({ id: rider.userId }),
  location: (rider) => pointOrNull(rider.latitude, rider.longitude),
  // Only an AVAILABLE rider is idle, whatever an older row may still hold.
  idleSince: (rider) => (rider.status === 'AVAILABLE' ? rider.idleSince : null),
  activeDelivery: (rider, _args, { stores }) => stores.deliveries.loadActiveForRider(rider.id),
  deliveries: async (rider, args, { stores }) => {
    const size = pageSize(args);
    const rows = await stores.deliveries.pageForRider({
      parentId: rider.id,
      take: size + 1,
      after: parseKeysetCursor(args.after),
    });
    return toConnection(rows, size, (delivery) => createdAtCursorKey(delivery));
  },
};
