import type { Category, PrismaClient } from '../__generated__/prisma/client.ts';
import type { HiddenMenuAccess } from '../visibility.ts';
import { rowsById, rowsByParent } from './loaders.ts';
import { publicCategory, visibleTo } from './menu-filters.ts';

export class CategoryStore {
  /** Any category by id, hidden or not (e.g. the category of a dish the caller already sees). */
  private readonly byId = rowsById((ids) =>
    this.prisma.category.findMany({ where: { id: { in: ids } } }),
  );

  /** Categories the caller may see, by id: one statement, disabled ones filtered in SQL. */
  private readonly visibleById = rowsById(async (ids) => {
    const rows = await this.prisma.category.findMany({
      where: { id: { in: ids }, ...visibleTo(this.access, publicCategory) },
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return rows;
  });

  /** Every category of several merchants in one query, in menu order (sortOrder, then name). */
  private readonly byMerchantId = rowsByParent(
    (merchantIds) =>
      this.prisma.category.findMany({
        where: { merchantId: { in: merchantIds } },
        orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }, { id: 'asc' }],
      }),
    (row) => row.merchantId,
  );

  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: HiddenMenuAccess,
  ) {}

  load(id: string): Promise<Category | null> {
    return this.byId.load(id);
  }

  loadVisible(id: string): Promise<Category | null> {
    return this.visibleById.load(id);
  }

  /** All of a merchant's categories, hidden ones included: callers filter by what they show. */
  listForMerchant(merchantId: string): Promise<Category[]> {
    return this.byMerchantId.load(merchantId);
  }
}
