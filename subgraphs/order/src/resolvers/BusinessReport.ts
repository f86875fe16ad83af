import { badUserInput } from '@sky/errors';
import { everyDay, parseReportKey } from '@sky/server-kit';
import { orderFigures, sumCounts } from '../domain/report-figures.ts';
import type { BusinessReportResolvers } from '../__generated__/resolvers-types.ts';

/** The parent is the report's parsed key; `days` and `totals` share the request's one query. */
export const BusinessReport: BusinessReportResolvers = {
  __resolveReference: (reference) => parseReportKey(reference.id),
  scope: (key) => (key.merchantId ? 'MERCHANT' : 'PLATFORM'),
  merchant: (key) => (key.merchantId ? { id: key.merchantId } : null),
  currency: () => 'CNY',
  days: async (key, _args, { stores }) =>
    everyDay(key, await stores.reports.days(key), orderFigures),
  totals: async (key, _args, { stores }) => orderFigures(sumCounts(await stores.reports.days(key))),
  topSellers: async (key, { limit }, { stores }) => {
    const rows = await stores.reports.topSellers(key, checkLimit(limit));
    return rows.map((row) => ({
      dish: row.dishId ? { id: row.dishId } : null,
      setMeal: row.setMealId ? { id: row.setMealId } : null,
      name: row.name,
      quantity: row.quantity,
    }));
  },
};

function checkLimit(limit: number | null | undefined): number {
  const value = limit ?? 10;
  if (!Number.isInteger(value) || value < 1 || value > 50) {
    throw badUserInput('limit must be between 1 and 50.', 'limit');
  }
  return value;
}
