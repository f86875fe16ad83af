import type { Viewer } from '@sky/auth';
import type { AddressSnapshot } from '@sky/contracts';
import {
  badUserInput,
  domainError,
  ErrorCode,
  forbidden,
  notFound,
  unauthenticated,
} from '@sky/errors';
import type { Address } from '../stores/index.ts';
import {
  addAddressFingerprint,
  normalizeAddressPatch,
  normalizeIdempotencyKey,
  normalizeNewAddress,
  type AddressPatchInput,
  type NewAddressInput,
} from '../domain/address-input.ts';
import type { AddressStore, LockedAddressBook } from '../stores/address-store.ts';

/** Keeps `User.addresses` a short, unpaginated list and a book from growing without bound. */
export const MAX_ADDRESSES_PER_USER = 50;

export interface DeletedAddress {
  deletedAddressId: string;
  defaultAddress: Address | null;
}

function requireUserId(viewer: Viewer | null): string {
  if (!viewer) throw unauthenticated();
  return viewer.userId;
}

/** Reads an address for a change: it must exist and be the caller's own (admins included). */
async function ownAddress(book: LockedAddressBook, id: string): Promise<Address> {
  const address = await book.find(id);
  if (!address) throw notFound('Address');
  if (address.userId !== book.userId) throw forbidden('This address belongs to another user.');
  return address;
}

/**
 * The signed-in user's address book. Rule kept here: while a user has any address, exactly one
 * of them is the default (the first one added becomes it; deleting it promotes the newest).
 * Every change runs under the lock of the owner's row (AddressStore.inAddressBook).
 */
export class AddressBookService {
  constructor(private readonly addresses: AddressStore) {}

  async add(
    viewer: Viewer | null,
    input: NewAddressInput & { makeDefault?: boolean | null; idempotencyKey?: string | null },
  ): Promise<Address> {
    const userId = requireUserId(viewer);
    const fields = normalizeNewAddress(input);
    const makeDefault = input.makeDefault ?? false;
    const creationKey = normalizeIdempotencyKey(input.idempotencyKey);
    const fingerprint = creationKey ? addAddressFingerprint(fields, makeDefault) : null;
    return this.addresses.inAddressBook(userId, async (book) => {
      if (creationKey) {
        const earlier = await book.findByCreationKey(creationKey);
        if (earlier) {
          if (earlier.creationInputHash !== fingerprint) {
            throw domainError(
              ErrorCode.IDEMPOTENCY_KEY_REUSED,
              'This idempotency key was already used for a different address.',
            );
          }
          return earlier;
        }
      }
      const count = await book.count();
      if (count >= MAX_ADDRESSES_PER_USER) {
        throw badUserInput(
          `An address book holds at most ${MAX_ADDRESSES_PER_USER} addresses; delete one first.`,
        );
      }
      const isDefault = count === 0 || makeDefault;
      if (isDefault) await book.clearDefault();
      return book.create(fields, { isDefault, creationKey, creationInputHash: fingerprint });
    });
  }

  async update(viewer: Viewer | null, id: string, input: AddressPatchInput): Promise<Address> {
    const userId = requireUserId(viewer);
    const patch = normalizeAddressPatch(input);
    return this.addresses.inAddressBook(userId, async (book) => {
      const address = await ownAddress(book, id);
      return Object.keys(patch).length === 0 ? address : book.update(address.id, patch);
    });
  }

  async remove(viewer: Viewer | null, id: string): Promise<DeletedAddress> {
    const userId = requireUserId(viewer);
    return this.addresses.inAddressBook(userId, async (book) => {
      const address = await ownAddress(book, id);
      await book.remove(address.id);
      if (address.defaultForUserId === null) {
        return { deletedAddressId: address.id, defaultAddress: await book.currentDefault() };
      }
      const newest = await book.newest();
      return {
        deletedAddressId: address.id,
        defaultAddress: newest ? await book.makeDefault(newest.id) : null,
      };
    });
  }

  async setDefault(viewer: Viewer | null, id: string): Promise<Address> {
    const userId = requireUserId(viewer);
    return this.addresses.inAddressBook(userId, async (book) => {
      const address = await ownAddress(book, id);
      return address.defaultForUserId === userId ? address : book.makeDefault(address.id);
    });
  }
}

/** The copy of an address an order keeps (`address-for-order`). */
/** What `address-for-order` answers (its contract: @sky/contracts): the order keeps this copy. */
export function toSnapshot(address: Address): AddressSnapshot {
  return {
    id: address.id,
    contactName: address.contactName,
    phone: address.phone,
    detail: address.detail,
    label: address.label,
    latitude: address.latitude,
    longitude: address.longitude,
  };
}
