import type { PrismaClient } from '../__generated__/prisma/client.ts';
import { AddressStore } from './address-store.ts';
import { CredentialStore } from './credential-store.ts';
import { UserStore } from './user-store.ts';

/** The only code that touches the user database. A new set is made per request (DataLoaders). */
export interface UserStores {
  users: UserStore;
  addresses: AddressStore;
  credentials: CredentialStore;
}

export function createUserStores(prisma: PrismaClient): UserStores {
  return {
    users: new UserStore(prisma),
    addresses: new AddressStore(prisma),
    credentials: new CredentialStore(prisma),
  };
}
