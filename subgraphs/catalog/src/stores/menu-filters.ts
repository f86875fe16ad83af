import type { Prisma } from '../__generated__/prisma/client.ts';
import type { HiddenMenuAccess } from '../permissions.ts';

/**
 * The visibility rules of `visibility.ts` as Prisma filters, so that loading only what the caller
 * may see stays one SQL statement (the category check becomes a subquery, not a second query).
 */

/** Dishes everyone sees: on sale and listed under an enabled category. */
export const publicDish = {
  onSale: true,
  category: { is: { enabled: true } },
} satisfies Prisma.DishWhereInput;

/** Set meals everyone sees: on sale and listed under an enabled category. */
export const publicSetMeal = {
  onSale: true,
  category: { is: { enabled: true } },
} satisfies Prisma.SetMealWhereInput;

export const publicCategory = { enabled: true } satisfies Prisma.CategoryWhereInput;

/** Restricts a query to what `access` may see, given what everyone sees. */
export function visibleTo<Where extends object>(
  access: HiddenMenuAccess,
  everyone: Where,
): Where | { OR: (Where | { merchantId: string })[] } | Record<string, never> {
  switch (access.kind) {
    case 'all':
      return {};
    case 'merchant':
      return { OR: [everyone, { merchantId: access.merchantId }] };
    case 'none':
      return everyone;
  }
}
