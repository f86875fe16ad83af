import type { AddressResolvers } from '../__generated__/resolvers-types.ts';

export const Address: AddressResolvers = {
  __resolveReference: (reference, { stores }) => stores.addresses.load(reference.id),
  user: async (address, _args, { stores }) => (await stores.users.load(address.userId))!,
  location: (address) => ({ latitude: address.latitude, longitude: address.longitude }),
  isDefault: (address) => address.defaultForUserId !== null,
};
