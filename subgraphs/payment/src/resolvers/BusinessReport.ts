import { everyDay, parseReportKey } from '@sky/server-kit';
import type { BusinessReportResolvers } from '../__generated__/resolvers-types.ts';

const NONE = { refunds: 0, refundedAmount: 0 };

/** The order subgraph owns reports; this subgraph adds the refunds. */
export const BusinessReport: BusinessReportResolvers = {
  __resolveReference: (reference) => parseReportKey(reference.id),
  refundDays: async (key, _args, { stores }) =>
    everyDay(key, await stores.reports.days(key), (row) =>
      row ? { refunds: row.refunds, refundedAmount: row.refundedAmount } : NONE,
    ),
  refundTotals: async (key, _args, { stores }) =>
    (await stores.reports.days(key)).reduce(
      (sum, row) => ({
        refunds: sum.refunds + row.refunds,
        refundedAmount: sum.refundedAmount + row.refundedAmount,
      }),
      NONE,
    ),
};
