import type { PrismaClient } from '../__generated__/prisma/client.ts';

/** How many menu entries are on and off sale. */
export interface SaleCounts {
  onSale: number;
  offSale: number;
}

/** The workspace's menu overviews: dishes and set meals on and off sale, by (merchantId, onSale). */
export class MenuOverviewStore {
  constructor(private readonly prisma: PrismaClient) {}

  async dishes(merchantId: string | null): Promise<SaleCounts> {
    const groups = await this.prisma.dish.groupBy({
      by: ['onSale'],
      where: merchantId ? { merchantId } : {},
      _count: { _all: true },
    });
    return toCounts(groups);
  }

  async setMeals(merchantId: string | null): Promise<SaleCounts> {
    const groups = await this.prisma.setMeal.groupBy({
      by: ['onSale'],
      where: merchantId ? { merchantId } : {},
      _count: { _all: true },
    });
    return toCounts(groups);
  }
}

function toCounts(groups: { onSale: boolean; _count: { _all: number } }[]): SaleCounts {
  const count = (onSale: boolean) =>
    groups.find((group) => group.onSale === onSale)?._count._all ?? 0;
  return { onSale: count(true), offSale: count(false) };
}
