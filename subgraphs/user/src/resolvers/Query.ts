import { isAdmin } from '@sky/auth';
import { forbidden, notFound, unauthenticated } from '@sky/errors';
import type { QueryResolvers } from '../__generated__/resolvers-types.ts';

export const Query: QueryResolvers = {
  me: (_parent, _args, { viewer, stores }) => (viewer ? stores.users.load(viewer.userId) : null),
  user: (_parent, { id }, { stores }) => stores.users.load(id),
  address: async (_parent, { id }, { viewer, stores }) => {
    const address = await stores.addresses.load(id);
    if (!address) throw notFound('Address');
    if (address.userId !== viewer?.userId && !isAdmin(viewer)) throw forbidden();
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
