import { rowsById, rowsByParent } from '@sky/database';
import type { Category, CategoryType, PrismaClient } from '../__generated__/prisma/client.ts';
import { conflict, notFound } from '@sky/errors';
import type { HiddenMenuAccess } from '../permissions.ts';
import { publicCategory, visibleTo } from './menu-filters.ts';
import { isForeignKeyViolation, isRecordNotFound, isUniqueViolation } from './prisma-errors.ts';

const nameTaken = (name: string) =>
  conflict(`The merchant already has a category named "${name}".`);

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

  async create(data: {
    merchantId: string;
    name: string;
    type: CategoryType;
    sortOrder: number;
    enabled: boolean;
  }): Promise<Category> {
    try {
      return this.remember(await this.prisma.category.create({ data }));
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(data.name);
      throw error;
    }
  }

  async update(
    id: string,
    data: { name?: string; sortOrder?: number; enabled?: boolean },
  ): Promise<Category> {
    try {
      return this.remember(await this.prisma.category.update({ where: { id }, data }));
    } catch (error) {
      if (isUniqueViolation(error)) throw nameTaken(data.name ?? '');
      if (isRecordNotFound(error)) throw notFound('Category');
      throw error;
    }
  }

  /**
   * Deletes a category nothing is listed under. The counts give the refusal its message; the
   * foreign keys (RESTRICT) still refuse a dish or set meal added to it concurrently.
   */
  async delete(id: string): Promise<void> {
    const [dishes, setMeals] = await Promise.all([
      this.prisma.dish.count({ where: { categoryId: id } }),
      this.prisma.setMeal.count({ where: { categoryId: id } }),
    ]);
    const inUse = () =>
      conflict(
        `The category is still used by ${dishes} dish(es) and ${setMeals} set meal(s); move or delete them first.`,
      );
    if (dishes + setMeals > 0) throw inUse();
    try {
      await this.prisma.category.delete({ where: { id } });
    } catch (error) {
      if (isForeignKeyViolation(error)) throw inUse();
      if (isRecordNotFound(error)) throw notFound('Category');
      throw error;
    }
    this.byId.clear(id);
    this.visibleById.clear(id);
  }

  /** Keeps this request's loaders in step with a row just written. */
  private remember(row: Category): Category {
    this.byId.clear(row.id).prime(row.id, row);
    this.visibleById.clear(row.id);
    return row;
  }
}
