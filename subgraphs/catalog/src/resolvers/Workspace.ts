import { parseReportKey } from '@sky/server-kit';
import type { WorkspaceResolvers } from '../__generated__/resolvers-types.ts';

/** The order subgraph owns workspaces; this subgraph adds the menu overviews. */
export const Workspace: WorkspaceResolvers = {
  __resolveReference: (reference) => parseReportKey(reference.id),
  dishOverview: (key, _args, { stores }) => stores.menuOverview.dishes(key.merchantId),
  setMealOverview: (key, _args, { stores }) => stores.menuOverview.setMeals(key.merchantId),
};
