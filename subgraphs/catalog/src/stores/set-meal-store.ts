import type { Prisma, PrismaClient, SetMeal, SetMealItem } from '../__generated__/prisma/client.ts';
import { isUuid, keysetAfter, keysetOrder, rowsById, rowsByParent } from '@sky/database';
import { conflict, domainError, ErrorCode, notFound } from '@sky/errors';
import {
  createdAtCursorKey,
  pageSize,
  parseKeysetCursor,
  toConnection,
  type PageArgs,
} from '@sky/server-kit';
import type { HiddenMenuAccess } from '../permissions.ts';
import { publicSetMeal, visibleTo } from './menu-filters.ts';
import { isRecordNotFound, isUniqueViolation } from './prisma-errors.ts';

/** The editable columns of a set meal (on-sale status has its own operations). */
export interface SetMealFields {
  categoryId: string;
  name: string;
  priceAmount: number;
  imageUrl: string | null;
  imageKey: string | null;
  thumbnailKey: string | null;
  description: string | null;
}

export interface SetMealLineFields {
  dishId: string;
  copies: number;
}

const nameTaken = (name: string) =>
  conflict(`The merchant already has a set meal named "${name}".`);

const itemRows = (setMealId: string, merchantId: string, items: readonly SetMealLineFields[]) =>
  items.map((item, index) => ({ ...item, setMealId, merchantId, sortOrder: index }));

/**
 * Locks the dishes FOR SHARE (a concurrent `takeOffSale` of one of them waits for this
 * transaction, and this one waits for it) and refuses ITEM_UNAVAILABLE when one is off sale.
 */
async function assertDishesOnSale(tx: Prisma.TransactionClient, dishIds: string[]): Promise<void> {
  if (dishIds.length === 0) return;
  const rows = await tx.$queryRaw<{ id: string; onSale: boolean }[]>`
    SELECT id::text AS id, "onSale" FROM dishes
    WHERE id = ANY(${dishIds}::uuid[]) ORDER BY id FOR SHARE`;
  const offSale = rows.filter((row) => !row.onSale).map((row) => row.id);
  if (offSale.length > 0) {
    throw domainError(
      ErrorCode.ITEM_UNAVAILABLE,
      'The set meal contains a dish that is off sale; put the dish on sale first.',
      { dishIds: offSale },
    );
  }
}

/** Locks the set meal row, so changes to one set meal's content and status run one at a time. */
async function lockSetMeal(tx: Prisma.TransactionClient, id: string): Promise<SetMeal> {
  const locked = await tx.$queryRaw<{ id: string }[]>`
    SELECT id::text AS id FROM set_meals WHERE id = ${id}::uuid FOR UPDATE`;
  if (locked.length === 0) throw notFound('Set meal');
  return (await tx.setMeal.findUnique({ where: { id } }))!;
}

export interface MerchantSetMealsArgs extends PageArgs {
  categoryId?: string | null;
  /** False lists off-sale set meals and set meals of disabled categories too. */
  publicOnly: boolean;
}

export class SetMealStore {
  /** Any set meal by id, hidden or not (internal quotes, management). */
  private readonly byId = rowsById((ids) =>
    this.prisma.setMeal.findMany({ where: { id: { in: ids } } }),
  );

  /** Set meals the caller may see, by id: one statement, visibility checked in SQL. */
  private readonly visibleById = rowsById(async (ids) => {
    const rows = await this.prisma.setMeal.findMany({
      where: { id: { in: ids }, ...visibleTo(this.access, publicSetMeal) },
    });
    for (const row of rows) this.byId.prime(row.id, row);
    return rows;
  });

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

  load(id: string): Promise<SetMeal | null> {
    return this.byId.load(id);
  }

  loadVisible(id: string): Promise<SetMeal | null> {
    return this.visibleById.load(id);
  }

  items(setMealId: string): Promise<SetMealItem[]> {
    return this.itemsBySetMealId.load(setMealId);
  }

  /** A merchant's set meals in creation order, oldest first. */
  async listForMerchant(merchantId: string, args: MerchantSetMealsArgs) {
    const size = pageSize(args);
    const after = parseKeysetCursor(args.after);
    if (args.categoryId && !isUuid(args.categoryId)) {
      return toConnection([] as SetMeal[], size, createdAtCursorKey);
    }
    const rows = await this.prisma.setMeal.findMany({
      where: {
        merchantId,
        ...(args.categoryId ? { categoryId: args.categoryId } : {}),
        ...(args.publicOnly ? publicSetMeal : {}),
        ...(after ? keysetAfter('createdAt', after, 'asc') : {}),
      },
      orderBy: [...keysetOrder('createdAt', 'asc')],
      take: size + 1,
    });
    return toConnection(rows, size, createdAtCursorKey);
  }

  /** Creates a set meal; going on sale at once needs every dish on sale (checked under lock). */
  async create(
    merchantId: string,
    fields: SetMealFields & { onSale: boolean },
    items: readonly SetMealLineFields[],
  ): Promise<SetMeal> {
    try {
      const row = await this.prisma.$transaction(async (tx) => {
        if (fields.onSale)
          await assertDishesOnSale(
            tx,
            items.map((item) => item.dishId),
          );
        const setMeal = await tx.setMeal.create({ data: { merchantId, ...fields } });
        // Lines are written flat: their merchantId belongs to both composite foreign keys,
        // which a nested create cannot set.
        await tx.setMealItem.createMany({ data: itemRows(setMeal.id, merchantId, items) });
        return setMeal;
      });
      return this.remember(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(fields.name);
      throw error;
    }
  }

  /**
   * Changes the given columns; `items`, when given, replaces the content. While the set meal is
   * on sale its new dishes must be on sale too (checked under the same locks as `putOnSale`).
   */
  async update(
    id: string,
    fields: Partial<SetMealFields>,
    items: readonly SetMealLineFields[] | undefined,
  ): Promise<SetMeal> {
    try {
      const row = await this.prisma.$transaction(async (tx) => {
        const current = await lockSetMeal(tx, id);
        if (items && current.onSale) {
          await assertDishesOnSale(
            tx,
            items.map((item) => item.dishId),
          );
        }
        if (items) {
          await tx.setMealItem.deleteMany({ where: { setMealId: id } });
          await tx.setMealItem.createMany({ data: itemRows(id, current.merchantId, items) });
        }
        return tx.setMeal.update({ where: { id }, data: fields });
      });
      this.itemsBySetMealId.clear(id);
      return this.remember(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(fields.name ?? '');
      throw error;
    }
  }

  /** Puts the set meal on sale unless one of its dishes is off sale (ITEM_UNAVAILABLE). */
  async putOnSale(id: string): Promise<SetMeal> {
    const row = await this.prisma.$transaction(async (tx) => {
      const current = await lockSetMeal(tx, id);
      if (current.onSale) return current;
      const items = await tx.setMealItem.findMany({ where: { setMealId: id } });
      await assertDishesOnSale(
        tx,
        items.map((item) => item.dishId),
      );
      return tx.setMeal.update({ where: { id }, data: { onSale: true } });
    });
    return this.remember(row);
  }

  async takeOffSale(id: string): Promise<SetMeal> {
    try {
      return this.remember(
        await this.prisma.setMeal.update({ where: { id }, data: { onSale: false } }),
      );
    } catch (error) {
      if (isRecordNotFound(error)) throw notFound('Set meal');
      throw error;
    }
  }

  /** Deletes a set meal that is off sale; its lines go with it. */
  async delete(id: string): Promise<void> {
    const { count } = await this.prisma.setMeal.deleteMany({ where: { id, onSale: false } });
    if (count === 0) {
      if (!(await this.prisma.setMeal.findUnique({ where: { id } }))) throw notFound('Set meal');
      throw domainError(
        ErrorCode.INVALID_STATE_TRANSITION,
        'The set meal is on sale: take it off sale before deleting it.',
      );
    }
    this.byId.clear(id);
    this.visibleById.clear(id);
  }

  /** Keeps this request's loaders in step with a row just written. */
  private remember(row: SetMeal): SetMeal {
    this.byId.clear(row.id).prime(row.id, row);
    this.visibleById.clear(row.id);
    return row;
  }
}
