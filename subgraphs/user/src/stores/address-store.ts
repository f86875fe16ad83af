import { Prisma, type Address, type PrismaClient } from '../__generated__/prisma/client.ts';
import { isUuid, rowsById, rowsByParent } from '@sky/database';
import { conflict, unauthenticated } from '@sky/errors';
import type { AddressFields } from '../domain/address-input.ts';

/** Newest first: the address promoted when the default one is deleted. */
const NEWEST_FIRST = [
  { createdAt: 'desc' },
  { id: 'desc' },
] satisfies Prisma.AddressOrderByWithRelationInput[];

/** Waits long enough for a connection and for the owner's lock under a burst of calls. */
const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 };

/**
 * One user's address book inside a transaction that holds the lock on that user's row, so every
 * read here stays true until the transaction ends (no other write to this book can interleave).
 */
export class LockedAddressBook {
  constructor(
    private readonly tx: Prisma.TransactionClient,
    readonly userId: string,
  ) {}

  /** Any address by id (ownership is the caller's check), or null. */
  find(id: string): Promise<Address | null> {
    return isUuid(id) ? this.tx.address.findUnique({ where: { id } }) : Promise.resolve(null);
  }

  findByCreationKey(creationKey: string): Promise<Address | null> {
    return this.tx.address.findUnique({
      where: { userId_creationKey: { userId: this.userId, creationKey } },
    });
  }

  count(): Promise<number> {
    return this.tx.address.count({ where: { userId: this.userId } });
  }

  currentDefault(): Promise<Address | null> {
    return this.tx.address.findUnique({ where: { defaultForUserId: this.userId } });
  }

  newest(): Promise<Address | null> {
    return this.tx.address.findFirst({ where: { userId: this.userId }, orderBy: NEWEST_FIRST });
  }

  /** Clears the current default, if any (before another address takes its place). */
  async clearDefault(): Promise<void> {
    await this.tx.address.updateMany({
      where: { defaultForUserId: this.userId },
      data: { defaultForUserId: null },
    });
  }

  create(
    fields: AddressFields,
    options: { isDefault: boolean; creationKey: string | null; creationInputHash: string | null },
  ): Promise<Address> {
    return this.tx.address.create({
      data: {
        ...fields,
        userId: this.userId,
        defaultForUserId: options.isDefault ? this.userId : null,
        creationKey: options.creationKey,
        creationInputHash: options.creationInputHash,
      },
    });
  }

  update(id: string, fields: Partial<AddressFields>): Promise<Address> {
    return this.tx.address.update({ where: { id, userId: this.userId }, data: fields });
  }

  /** Makes `id` (one of this user's addresses) the default; the unique column holds the rule. */
  async makeDefault(id: string): Promise<Address> {
    await this.clearDefault();
    return this.tx.address.update({
      where: { id, userId: this.userId },
      data: { defaultForUserId: this.userId },
    });
  }

  async remove(id: string): Promise<void> {
    await this.tx.address.delete({ where: { id, userId: this.userId } });
  }
}

export class AddressStore {
  private readonly byId = rowsById((ids) =>
    this.prisma.address.findMany({ where: { id: { in: ids } } }),
  );

  /** Address books of several users in one query (User.addresses over a list of users). */
  private readonly byUserId = rowsByParent(
    (userIds) =>
      this.prisma.address.findMany({
        where: { userId: { in: userIds } },
        // The default address first (the only one whose column is set), then the oldest: a
        // stable order for the address book.
        orderBy: [
          { defaultForUserId: { sort: 'asc', nulls: 'last' } },
          { createdAt: 'asc' },
          { id: 'asc' },
        ],
      }),
    (row) => row.userId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Address | null> {
    return this.byId.load(id);
  }

  listForUser(userId: string): Promise<Address[]> {
    return this.byUserId.load(userId);
  }

  /** The address if it exists and belongs to `userId`, else null (no DataLoader: internal calls). */
  findOwnedBy(addressId: string, userId: string): Promise<Address | null> {
    if (!isUuid(addressId) || !isUuid(userId)) return Promise.resolve(null);
    return this.prisma.address.findFirst({ where: { id: addressId, userId } });
  }

  /**
   * Runs `work` in one transaction that first locks the user's row (`SELECT ... FOR UPDATE`):
   * changes to one address book run one after another, so "exactly one default" never races
   * (two first addresses, two concurrent setDefault calls), while different users never wait
   * for each other. The unique `defaultForUserId` column stays the last line of defence.
   */
  async inAddressBook<T>(
    userId: string,
    work: (book: LockedAddressBook) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.prisma.$transaction(async (tx) => {
        const locked = isUuid(userId)
          ? await tx.$queryRaw<{ id: string }[]>`
              SELECT id FROM users WHERE id = ${userId}::uuid FOR UPDATE`
          : [];
        if (locked.length === 0) throw unauthenticated('The account no longer exists.');
        return work(new LockedAddressBook(tx, userId));
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        throw conflict('The address book changed at the same time; try again.');
      }
      throw error;
    } finally {
      // Later fields of the same request (`addAddress { user { addresses } }`) must see the change.
      this.byId.clearAll();
      this.byUserId.clear(userId);
    }
  }
}
