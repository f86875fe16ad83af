import type { PrismaClient, SetMeal, SetMealItem } from '../__generated__/prisma/client.ts';
import { isUuid } from '@sky/database';
import { pageSize, toConnection, type PageArgs } from '@sky/server-kit';
import {
  createdAtAfter,
  createdAtCursorKey,
  createdAtOrder,
  readCreatedAtCursor,
} from '../pagination.ts';
import type { HiddenMenuAccess } from '../visibility.ts';
import { rowsById, rowsByParent } from './loaders.ts';
import { publicSetMeal, visibleTo } from './menu-filters.ts';

export interface MerchantSetMealsArgs extends PageArgs {
  categoryId?: string | null;
  /** False lists off-sale set meals and set meals of disabled categories too. */
  publicOnly: boolean;
}

export class SetMealStore {
  /** Set meals the caller may see, by id: one statement, visibility checked in SQL. */
  private readonly visibleById = rowsById((ids) =>
    this.prisma.setMeal.findMany({
      where: { id: { in: ids }, ...visibleTo(this.access, publicSetMeal) },
    }),
  );

  /** The lines of several set meals in one query, in display order. */
  private readonly itemsBySetMealId = rowsByParent(
    (setMealIds) =>
      this.prisma.setMealItem.findMany({
        where: { setMealId: { in: setMealIds } },
        orderBy: [{ sortOrder: 'asc' }, { id: 'asc' }],
      }),
    (row) => row.setMealId,
  );

  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: HiddenMenuAccess,
  ) {}

  loadVisible(id: string): Promise<SetMeal | null> {
    return this.visibleById.load(id);
  }

  items(setMealId: string): Promise<SetMealItem[]> {
    return this.itemsBySetMealId.load(setMealId);
  }

  /** A merchant's set meals in creation order, oldest first. */
  async listForMerchant(merchantId: string, args: MerchantSetMealsArgs) {
    const size = pageSize(args);
    const after = readCreatedAtCursor(args.after);
    if (args.categoryId && !isUuid(args.categoryId)) {
      return toConnection([] as SetMeal[], size, createdAtCursorKey);
    }
    const rows = await this.prisma.setMeal.findMany({
      where: {
        merchantId,
        ...(args.categoryId ? { categoryId: args.categoryId } : {}),
        ...(args.publicOnly ? publicSetMeal : {}),
        ...(after ? createdAtAfter(after, 'asc') : {}),
      },
      orderBy: createdAtOrder('asc'),
      take: size + 1,
    });
    return toConnection(rows, size, createdAtCursorKey);
  }
}
