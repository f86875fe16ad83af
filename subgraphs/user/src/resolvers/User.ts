import type { UserResolvers } from '../__generated__/resolvers-types.ts';

export const User: UserResolvers = {
  __resolveReference: (reference, { stores }) => stores.users.load(reference.id),
  disabled: (user) => user.disabledAt !== null,
  merchant: (user) => (user.merchantId ? { id: user.merchantId } : null),
  addresses: (user, _args, { stores }) => stores.addresses.listForUser(user.id),
  defaultAddress: async (user, _args, { stores }) =>
    (await stores.addresses.listForUser(user.id)).find((a) => a.defaultForUserId !== null) ?? null,
};
