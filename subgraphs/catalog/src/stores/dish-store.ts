import DataLoader from 'dataloader';
import type { Dish, DishFlavor, PrismaClient } from '../__generated__/prisma/client.ts';
import { isUuid } from '@sky/database';
import { badUserInput } from '@sky/errors';
import { pageSize, toConnection, type PageArgs } from '@sky/server-kit';
import { businessDate } from '../business-hours.ts';
import {
  createdAtAfter,
  createdAtCursorKey,
  createdAtOrder,
  readCreatedAtCursor,
} from '../pagination.ts';
import type { HiddenMenuAccess } from '../visibility.ts';
import { rowsById, rowsByParent } from './loaders.ts';
import { publicDish, visibleTo } from './menu-filters.ts';
import { nameContains } from './name-search.ts';

export interface MerchantDishesArgs extends PageArgs {
  categoryId?: string | null;
  /** False lists off-sale dishes and dishes of disabled categories too. */
  publicOnly: boolean;
}

const dateKey = (date: Date) => date.toISOString().slice(0, 10);

export class DishStore {
  /** Any dish by id, hidden or not (e.g. the dishes of a set meal the caller already sees). */
  private readonly byId = rowsById((ids) =>
    this.prisma.dish.findMany({ where: { id: { in: ids } } }),
  );

  /**
   * Dishes the caller may see, by id: one statement for the whole batch, with the on-sale and
   * enabled-category checks in SQL. Entity resolution goes through here.
   */
  private readonly visibleById = rowsById(async (ids) => {
    const rows = await this.prisma.dish.findMany({
      where: { id: { in: ids }, ...visibleTo(this.access, publicDish) },
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return rows;
  });

  /** Flavor choices of several dishes in one query, in display order. */
  private readonly flavorsByDishId = rowsByParent(
    (dishIds) =>
      this.prisma.dishFlavor.findMany({
        where: { dishId: { in: dishIds } },
        orderBy: [{ sortOrder: 'asc' }, { name: 'asc' }],
      }),
    (row) => row.dishId,
  );

  /** Remaining stock rows keyed `dishId|YYYY-MM-DD`, one query per batch; null = no row yet. */
  private readonly remainingByDishAndDay = new DataLoader<string, number | null>(async (keys) => {
    const pairs = keys.map((key) => key.split('|') as [string, string]);
    const rows = await this.prisma.dishDailyStock.findMany({
      where: {
        dishId: { in: [...new Set(pairs.map(([dishId]) => dishId))] },
        businessDate: { in: [...new Set(pairs.map(([, day]) => day))].map((day) => new Date(day)) },
      },
    });
    const remaining = new Map(
      rows.map((row) => [`${row.dishId}|${dateKey(row.businessDate)}`, row.remaining]),
    );
    return keys.map((key) => remaining.get(key) ?? null);
  });

  constructor(
    private readonly prisma: PrismaClient,
    private readonly access: HiddenMenuAccess,
  ) {}

  load(id: string): Promise<Dish | null> {
    return this.byId.load(id);
  }

  loadVisible(id: string): Promise<Dish | null> {
    return this.visibleById.load(id);
  }

  flavors(dishId: string): Promise<DishFlavor[]> {
    return this.flavorsByDishId.load(dishId);
  }

  /**
   * Units left on the business day of `now` in `timeZone`: the day's stock row when a reservation
   * created one (no row means nothing was reserved yet), never below 0 nor above the daily stock.
   * Null for dishes without a daily limit.
   */
  async stockLeft(dish: Dish, timeZone: string, now: Date): Promise<number | null> {
    if (dish.dailyStock === null) return null;
    const day = dateKey(businessDate(now, timeZone));
    const remaining = await this.remainingByDishAndDay.load(`${dish.id}|${day}`);
    return Math.max(0, Math.min(dish.dailyStock, remaining ?? dish.dailyStock));
  }

  /** A merchant's dishes in creation order, oldest first. */
  async listForMerchant(merchantId: string, args: MerchantDishesArgs) {
    const size = pageSize(args);
    const after = readCreatedAtCursor(args.after);
    if (args.categoryId && !isUuid(args.categoryId))
      return toConnection([] as Dish[], size, createdAtCursorKey);
    const rows = await this.prisma.dish.findMany({
      where: {
        merchantId,
        ...(args.categoryId ? { categoryId: args.categoryId } : {}),
        ...(args.publicOnly ? publicDish : {}),
        ...(after ? createdAtAfter(after, 'asc') : {}),
      },
      orderBy: createdAtOrder('asc'),
      take: size + 1,
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return toConnection(rows, size, createdAtCursorKey);
  }

  /** Dishes everyone sees whose name contains `keyword` (case-insensitive), newest first. */
  async search(keyword: string, args: PageArgs) {
    if (!keyword.trim()) throw badUserInput('"keyword" must not be blank.', 'keyword');
    const size = pageSize(args);
    const after = readCreatedAtCursor(args.after);
    const rows = await this.prisma.dish.findMany({
      where: {
        ...nameContains(keyword),
        ...publicDish,
        ...(after ? createdAtAfter(after, 'desc') : {}),
      },
      orderBy: createdAtOrder('desc'),
      take: size + 1,
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return toConnection(rows, size, createdAtCursorKey);
  }
}
