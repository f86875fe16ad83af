import type { PrismaClient, Rider } from '../__generated__/prisma/client.ts';
import { rowsById, rowsByKey } from '@sky/database';

export class RiderStore {
  /** One SELECT for all riders asked for in one request (entity resolution included). */
  private readonly byId = rowsById((ids) =>
    this.prisma.rider.findMany({ where: { id: { in: ids } } }),
  );

  /** Rider profiles by user account (`User.rider`, `myRiderProfile`, the rider checks of rules). */
  private readonly byUserId = rowsByKey<Rider>(
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
