import { badUserInput, notFound } from '@sky/errors';
import type { InternalHandler } from '@sky/server-kit';
import type { PrismaClient } from './__generated__/prisma/client.ts';
import { toSnapshot, type AddressSnapshot } from './address-book.ts';
import { createUserStores } from './stores/index.ts';

function requireString(body: Record<string, unknown>, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    throw badUserInput(`${field} must be a non-empty string.`, field);
  }
  return value;
}

/**
 * The user subgraph's internal endpoints (docs/contracts.md, `POST /internal/<name>`, service
 * token checked by mountInternalApi before a handler runs).
 */
export function userInternalApi(prisma: PrismaClient): Record<string, InternalHandler> {
  return {
    /**
     * `{ addressId, userId }` → the address to copy onto an order. `NOT_FOUND` both when the
     * address does not exist and when it is someone else's: the order subgraph passes the
     * customer's id from the verified token, so a foreign id is treated as absent.
     */
    'address-for-order': async (body): Promise<AddressSnapshot> => {
      const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<
        string,
        unknown
      >;
      const addressId = requireString(fields, 'addressId');
      const userId = requireString(fields, 'userId');
      const address = await createUserStores(prisma).addresses.findOwnedBy(addressId, userId);
      if (!address) throw notFound('Address');
      return toSnapshot(address);
    },
  };
}
