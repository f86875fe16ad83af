import { isAdmin } from '@sky/auth';
import { notFound, unauthenticated } from '@sky/errors';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  me: (_parent, _args, { viewer, stores }) => (viewer ? stores.users.load(viewer.userId) : null),
  // Missing or not yours (docs section 6): null with the same NOT_FOUND for an unknown id and for
  // someone the caller may not read, so user and address ids cannot be probed.
  user: async (_parent, { id }, { viewer, stores }) => {
    const user =
      viewer && (id === viewer.userId || isAdmin(viewer)) ? await stores.users.load(id) : null;
    if (!user) throw notFound('User');
    return user;
  },
  address: async (_parent, { id }, { viewer, stores }) => {
    const address = await stores.addresses.load(id);
    if (!address || (address.userId !== viewer?.userId && !isAdmin(viewer))) {
      throw notFound('Address');
    }
    return address;
  },
  myAddresses: (_parent, _args, { viewer, stores }) => {
    if (!viewer) throw unauthenticated();
    return stores.addresses.listForUser(viewer.userId);
  },
  users: (_parent, { first, after, filter }, { accounts }) =>
    accounts.listUsers(filter ?? {}, { first, after }),
  merchantStaff: (_parent, { merchantId, first, after, filter }, { accounts }) =>
    accounts.listStaff(merchantId, filter ?? {}, { first, after }),
};
