import type { PrismaClient, Rider } from '../__generated__/prisma/client.ts';
import { alignById, isUuid } from '@sky/database';
import DataLoader from 'dataloader';
import { uniqueLoader } from './batching.ts';

export class RiderStore {
  /** One SELECT for all riders asked for in one request (entity resolution included). */
  private readonly byId = new DataLoader<string, Rider | null>(async (ids) => {
    const valid = ids.filter(isUuid);
    const rows = valid.length
      ? await this.prisma.rider.findMany({ where: { id: { in: valid } } })
      : [];
    return alignById(ids, rows);
  });

  /** Rider profiles by user account (`User.rider`, `myRiderProfile`, the rider checks of rules). */
  private readonly byUserId = uniqueLoader<Rider>(
    async (userIds) =>
      this.primeById(await this.prisma.rider.findMany({ where: { userId: { in: userIds } } })),
    (rider) => rider.userId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  /** Rows found by another key are cached by id too, so `load(id)` does not fetch them again. */
  private primeById(rows: Rider[]): Rider[] {
    for (const row of rows) this.byId.prime(row.id, row);
    return rows;
  }

  load(id: string): Promise<Rider | null> {
    return this.byId.load(id);
  }

  loadByUserId(userId: string): Promise<Rider | null> {
    return this.byUserId.load(userId);
  }
}
