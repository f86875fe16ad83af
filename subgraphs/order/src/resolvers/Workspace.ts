import { parseReportKey } from '@sky/server-kit';
import { orderFigures } from '../domain/report-figures.ts';
import type { WorkspaceResolvers } from '../__generated__/resolvers-types.ts';

/** The parent is the workspace's parsed key: one day (today in its zone). */
export const Workspace: WorkspaceResolvers = {
  __resolveReference: (reference) => parseReportKey(reference.id),
  scope: (key) => (key.merchantId ? 'MERCHANT' : 'PLATFORM'),
  merchant: (key) => (key.merchantId ? { id: key.merchantId } : null),
  date: (key) => key.from,
  timeZone: (key) => key.timeZone,
  today: async (key, _args, { stores }) => orderFigures((await stores.reports.days(key))[0]),
  orderOverview: async (key, _args, { stores }) => {
    const counts = await stores.reports.statusCounts(key.merchantId);
    const count = (status: Parameters<typeof counts.get>[0]) => counts.get(status) ?? 0;
    return {
      pendingPayment: count('PENDING_PAYMENT'),
      toBeConfirmed: count('TO_BE_CONFIRMED'),
      confirmed: count('CONFIRMED'),
      deliveryInProgress: count('DELIVERY_IN_PROGRESS'),
      completed: count('COMPLETED'),
      cancelled: count('CANCELLED'),
      all: [...counts.values()].reduce((sum, value) => sum + value, 0),
    };
  },
};
