import { everyDay, parseReportKey } from '@sky/server-kit';
import type { BusinessReportResolvers } from '../__generated__/resolvers-types.ts';

/** The order subgraph owns reports; this subgraph adds the customer accounts per day. */
export const BusinessReport: BusinessReportResolvers = {
  __resolveReference: (reference) => parseReportKey(reference.id),
  userDays: async (key, _args, { stores }) => {
    const { before, days } = await stores.reports.days(key);
    // A running total: the accounts before the range plus every day's new ones so far.
    let total = before;
    return everyDay(key, days, (row) => row?.newUsers ?? 0).map(({ date, figures: newUsers }) => {
      total += newUsers;
      return { date, newUsers, totalUsers: total };
    });
  },
};
