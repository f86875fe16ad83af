import { isAdmin } from '@sky/auth';
import type { UserResolvers } from '../__generated__/resolvers-types.ts';

/** The user subgraph owns users; this subgraph only adds their rider profile. */
export const User: UserResolvers = {
  __resolveReference: (reference) => ({ id: reference.id }),
  // The contract says null (not an error) for anyone but the user themself and admins.
  rider: (user, _args, { viewer, stores }) =>
    viewer && (viewer.userId === user.id || isAdmin(viewer))
      ? stores.riders.loadByUserId(user.id)
      : null,
};
