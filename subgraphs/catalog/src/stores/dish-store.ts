import DataLoader from 'dataloader';
import type { Dish, DishFlavor, PrismaClient, SetMeal } from '../__generated__/prisma/client.ts';
import { isUuid, keysetAfter, keysetOrder, rowsById, rowsByParent } from '@sky/database';
import { badUserInput, conflict, domainError, ErrorCode, notFound } from '@sky/errors';
import {
  createdAtCursorKey,
  pageSize,
  parseKeysetCursor,
  toConnection,
  type PageArgs,
} from '@sky/server-kit';
import { businessDate } from '../domain/business-hours.ts';
import type { HiddenMenuAccess } from '../permissions.ts';
import { publicDish, visibleTo } from './menu-filters.ts';
import { nameContains } from './name-search.ts';
import { isForeignKeyViolation, isRecordNotFound, isUniqueViolation } from './prisma-errors.ts';

export interface MerchantDishesArgs extends PageArgs {
  categoryId?: string | null;
  /** False lists off-sale dishes and dishes of disabled categories too. */
  publicOnly: boolean;
}

export const dateKey = (date: Date) => date.toISOString().slice(0, 10);

/** The editable columns of a dish (on-sale status has its own operations). */
export interface DishFields {
  categoryId: string;
  name: string;
  priceAmount: number;
  imageUrl: string | null;
  imageKey: string | null;
  thumbnailKey: string | null;
  description: string | null;
  dailyStock: number | null;
}

export interface FlavorFields {
  name: string;
  options: string[];
}

const nameTaken = (name: string) => conflict(`The merchant already has a dish named "${name}".`);

const flavorRows = (flavors: readonly FlavorFields[]) =>
  flavors.map((flavor, index) => ({
    name: flavor.name,
    options: flavor.options,
    sortOrder: index,
  }));

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

  /** Units reserved, keyed `dishId|YYYY-MM-DD`, one query per batch; 0 when there is no row. */
  private readonly reservedByDishAndDay = new DataLoader<string, number>(async (keys) => {
    const pairs = keys.map((key) => key.split('|') as [string, string]);
    const rows = await this.prisma.dishDailyStock.findMany({
      where: {
        dishId: { in: [...new Set(pairs.map(([dishId]) => dishId))] },
        businessDate: { in: [...new Set(pairs.map(([, day]) => day))].map((day) => new Date(day)) },
      },
    });
    const reserved = new Map(
      rows.map((row) => [`${row.dishId}|${dateKey(row.businessDate)}`, row.reserved]),
    );
    return keys.map((key) => reserved.get(key) ?? 0);
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
   * Units left on the business day of `now` in `timeZone`: the daily stock minus what orders
   * reserved that day (no row means nothing yet), never below 0 (the daily stock may have been
   * lowered below what was already reserved). Null for dishes without a daily limit.
   */
  async stockLeft(dish: Dish, timeZone: string, now: Date): Promise<number | null> {
    if (dish.dailyStock === null) return null;
    const day = dateKey(businessDate(now, timeZone));
    const reserved = await this.reservedByDishAndDay.load(`${dish.id}|${day}`);
    return Math.max(0, dish.dailyStock - reserved);
  }

  /** A merchant's dishes in creation order, oldest first. */
  async listForMerchant(merchantId: string, args: MerchantDishesArgs) {
    const size = pageSize(args);
    const after = parseKeysetCursor(args.after);
    if (args.categoryId && !isUuid(args.categoryId))
      return toConnection([] as Dish[], size, createdAtCursorKey);
    const rows = await this.prisma.dish.findMany({
      where: {
        merchantId,
        ...(args.categoryId ? { categoryId: args.categoryId } : {}),
        ...(args.publicOnly ? publicDish : {}),
        ...(after ? keysetAfter('createdAt', after, 'asc') : {}),
      },
      orderBy: [...keysetOrder('createdAt', 'asc')],
      take: size + 1,
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return toConnection(rows, size, createdAtCursorKey);
  }

  /** Dishes everyone sees whose name contains `keyword` (case-insensitive), newest first. */
  async search(keyword: string, args: PageArgs) {
    if (!keyword.trim()) throw badUserInput('"keyword" must not be blank.', 'keyword');
    const size = pageSize(args);
    const after = parseKeysetCursor(args.after);
    const rows = await this.prisma.dish.findMany({
      where: {
        ...nameContains(keyword),
        ...publicDish,
        ...(after ? keysetAfter('createdAt', after, 'desc') : {}),
      },
      orderBy: [...keysetOrder('createdAt', 'desc')],
      take: size + 1,
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return toConnection(rows, size, createdAtCursorKey);
  }

  async create(
    merchantId: string,
    fields: DishFields & { onSale: boolean },
    flavors: readonly FlavorFields[],
  ): Promise<Dish> {
    try {
      const row = await this.prisma.dish.create({
        data: { merchantId, ...fields, flavors: { create: flavorRows(flavors) } },
      });
      return this.remember(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(fields.name);
      throw error;
    }
  }

  /** Changes the given columns; `flavors`, when given, replaces the whole list (one statement batch). */
  async update(
    id: string,
    fields: Partial<DishFields>,
    flavors: readonly FlavorFields[] | undefined,
  ): Promise<Dish> {
    try {
      const row = await this.prisma.dish.update({
        where: { id },
        data: {
          ...fields,
          ...(flavors ? { flavors: { deleteMany: {}, create: flavorRows(flavors) } } : {}),
        },
      });
      this.flavorsByDishId.clear(id);
      return this.remember(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(fields.name ?? '');
      if (isRecordNotFound(error)) throw notFound('Dish');
      throw error;
    }
  }

  async putOnSale(id: string): Promise<Dish> {
    try {
      return this.remember(
        await this.prisma.dish.update({ where: { id }, data: { onSale: true } }),
      );
    } catch (error) {
      if (isRecordNotFound(error)) throw notFound('Dish');
      throw error;
    }
  }

  /**
   * Takes the dish off sale and, in the same transaction, every set meal containing it. The
   * dish's row lock (taken by its UPDATE) orders this against putting a set meal on sale, which
   * locks its dishes FOR SHARE before checking them: whichever commits second sees the other's
   * result, so no set meal stays on sale with an off-sale dish. The set meals that contain the
   * dish are locked first, in id order, the order set meal changes lock in (set meal, then its
   * dishes), so the two never wait for each other in a cycle.
   */
  async takeOffSale(id: string): Promise<{ dish: Dish; setMealsTakenOffSale: SetMeal[] }> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`
        SELECT id FROM set_meals
        WHERE id IN (SELECT "setMealId" FROM set_meal_items WHERE "dishId" = ${id}::uuid)
        ORDER BY id FOR UPDATE`;
      let dish: Dish;
      try {
        dish = await tx.dish.update({ where: { id }, data: { onSale: false } });
      } catch (error) {
        if (isRecordNotFound(error)) throw notFound('Dish');
        throw error;
      }
      const setMealsTakenOffSale = await tx.setMeal.updateManyAndReturn({
        where: { onSale: true, items: { some: { dishId: id } } },
        data: { onSale: false },
      });
      return { dish: this.remember(dish), setMealsTakenOffSale };
    });
  }

  /**
   * Deletes a dish that is off sale and in no set meal (the set meal items' foreign key refuses
   * it otherwise, also when a set meal takes it concurrently).
   */
  async delete(id: string): Promise<void> {
    let deleted: number;
    try {
      ({ count: deleted } = await this.prisma.dish.deleteMany({ where: { id, onSale: false } }));
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw conflict('A set meal contains this dish: remove it from the set meal first.');
      }
      throw error;
    }
    if (deleted === 0) {
      const row = await this.prisma.dish.findUnique({ where: { id } });
      if (!row) throw notFound('Dish');
      throw domainError(
        ErrorCode.INVALID_STATE_TRANSITION,
        'The dish is on sale: take it off sale before deleting it.',
      );
    }
    this.byId.clear(id);
    this.visibleById.clear(id);
  }

  /** Keeps this request's loaders in step with a row just written. */
  private remember(row: Dish): Dish {
    this.byId.clear(row.id).prime(row.id, row);
    this.visibleById.clear(row.id);
    return row;
  }
}
