import { UserReportStore } from './report-store.ts';
import type { Database } from '@sky/database';
import { PrismaClient, type Prisma } from '../__generated__/prisma/client.ts';
import { AddressStore } from './address-store.ts';
import { CredentialStore } from './credential-store.ts';
import { UserStore } from './user-store.ts';

/** The only code that touches the user database. A new set is made per request (DataLoaders). */
export interface UserStores {
  users: UserStore;
  addresses: AddressStore;
  credentials: CredentialStore;
  /** Workspace and report aggregates. */
  reports: UserReportStore;
}

export function createUserStores(prisma: UserPrisma): UserStores {
  return {
    users: new UserStore(prisma),
    addresses: new AddressStore(prisma),
    credentials: new CredentialStore(prisma),
    reports: new UserReportStore(prisma),
  };
}

/** The user database's generated client, and its transaction client. */
export type UserPrisma = PrismaClient;
export type UserTx = Prisma.TransactionClient;

/** Builds the client over the subgraph's driver adapter (PostgreSQL or PGlite). */
export const createUserPrisma = (adapter: Database['adapter']): UserPrisma =>
  new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });

/** The rows other layers pass around (resolvers' parents, services' inputs). */
export type { Address, Role, User } from '../__generated__/prisma/client.ts';
