import { everyDay, parseReportKey } from '@sky/server-kit';
import type { DeliveryDayRow } from '../stores/report-store.ts';
import type { BusinessReportResolvers } from '../__generated__/resolvers-types.ts';

/** A period's figures: the mean is over all its deliveries (not a mean of daily means). */
function figures(rows: (DeliveryDayRow | undefined)[]) {
  const present = rows.filter((row): row is DeliveryDayRow => row !== undefined);
  const delivered = present.reduce((sum, row) => sum + row.delivered, 0);
  if (delivered === 0) return { delivered: 0, averageMinutes: null, maxMinutes: null };
  const total = present.reduce((sum, row) => sum + row.totalSeconds, 0);
  const longest = Math.max(...present.map((row) => row.maxSeconds));
  return { delivered, averageMinutes: total / delivered / 60, maxMinutes: longest / 60 };
}

/** The order subgraph owns reports; this subgraph adds the delivery times. */
export const BusinessReport: BusinessReportResolvers = {
  __resolveReference: (reference) => parseReportKey(reference.id),
  deliveryDays: async (key, _args, { stores }) =>
    everyDay(key, await stores.reports.days(key), (row) => figures([row])),
  deliveryTotals: async (key, _args, { stores }) => figures(await stores.reports.days(key)),
};
