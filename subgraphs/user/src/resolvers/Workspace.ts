import { parseReportKey } from '@sky/server-kit';
import type { WorkspaceResolvers } from '../__generated__/resolvers-types.ts';

/** The order subgraph owns workspaces; this subgraph adds today's new customer accounts. */
export const Workspace: WorkspaceResolvers = {
  __resolveReference: (reference) => parseReportKey(reference.id),
  newUsers: async (key, _args, { stores }) =>
    (await stores.reports.days(key)).days.reduce((sum, row) => sum + row.newUsers, 0),
};
