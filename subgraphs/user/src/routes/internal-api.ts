import { addressForOrder } from '@sky/contracts';
import { notFound } from '@sky/errors';
import { implement, type InternalRoute } from '@sky/server-kit';
import { toSnapshot } from '../services/address-book.ts';
import { createUserStores, type UserPrisma } from '../stores/index.ts';

/**
 * The user subgraph's internal endpoints (`POST /internal/<name>`, service token checked before a
 * handler runs, the body parsed with its contract from @sky/contracts).
 */
export function userInternalApi(prisma: UserPrisma): InternalRoute[] {
  return [
    /**
     * `{ addressId, userId }` → the address to copy onto an order. `NOT_FOUND` both when the
     * address does not exist and when it is someone else's: the order subgraph passes the
     * customer's id from the verified token, so a foreign id is treated as absent.
     */
    implement(addressForOrder, async ({ addressId, userId }) => {
      const address = await createUserStores(prisma).addresses.findOwnedBy(addressId, userId);
      if (!address) throw notFound('Address');
      return toSnapshot(address);
    }),
  ];
}
