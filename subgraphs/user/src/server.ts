import type { Logger } from '@sky/logging';
import { TokenSigner } from '@sky/auth';
import { createSubgraph } from '@sky/server-kit';
import { AddressBookService } from './services/address-book.ts';
import { AuthService } from './services/authentication.ts';
import type { UserSubgraphConfig } from './config.ts';
import type { UserContext } from './context.ts';
import { userInternalApi } from './routes/internal-api.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import {
  createUserPrisma,
  createUserStores,
  type UserPrisma,
  type UserTx,
} from './stores/index.ts';

/** Builds the user subgraph (database migrated, schema protected) without listening. */
export async function createUserSubgraph(config: UserSubgraphConfig, logger?: Logger) {
  const signer = new TokenSigner(config.jwtPrivateKeyPem, {
    ...config.jwt,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
  });
  const subgraph = await createSubgraph<UserPrisma, UserTx, UserContext>({
    config,
    logger,
    createPrisma: createUserPrisma,
    resolvers,
    permissions,
    createContext: (state, { prisma }) => {
      const stores = createUserStores(prisma);
      return {
        ...state,
        stores,
        auth: new AuthService(stores, signer, config.auth),
        addressBook: new AddressBookService(stores.addresses),
      };
    },
    internalApi: ({ prisma }) => userInternalApi(prisma),
  });
  return { ...subgraph, authSettings: config.auth };
}

export type UserSubgraph = Awaited<ReturnType<typeof createUserSubgraph>>;
