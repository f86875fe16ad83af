import DataLoader from 'dataloader';
import type { Address, PrismaClient } from '../__generated__/prisma/client.ts';
import { alignById, isUuid } from '@sky/database';

export class AddressStore {
  private readonly byId = new DataLoader<string, Address | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await this.prisma.address.findMany({ where: { id: { in: valid } } })
      : [];
    return alignById(ids, rows);
  });

  /** Address books of several users in one query (User.addresses over a list of users). */
  private readonly byUserId = new DataLoader<string, Address[]>(async (userIds) => {
    const rows = await this.prisma.address.findMany({
      where: { userId: { in: [...userIds] } },
      // The default address first, then the oldest: a stable order for the address book.
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return userIds.map((userId) =>
      rows
        .filter((row) => row.userId === userId)
        .sort((a, b) => Number(b.defaultForUserId !== null) - Number(a.defaultForUserId !== null)),
    );
  });

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Address | null> {
    return this.byId.load(id);
  }

  listForUser(userId: string): Promise<Address[]> {
    return this.byUserId.load(userId);
  }
}
