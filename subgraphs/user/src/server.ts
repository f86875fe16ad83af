import type { Logger } from '@sky/logging';
import { TokenSigner } from '@sky/auth';
import { createRateLimiterStore, createSubgraph } from '@sky/server-kit';
import pLimit from 'p-limit';
import { AccountService } from './services/accounts.ts';
import { AddressBookService } from './services/address-book.ts';
import { AuthService } from './services/authentication.ts';
import { SignInThrottle } from './services/sign-in-throttle.ts';
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
  // Shared by every instance through Redis in server mode, in memory when embedded.
  const limiterStore = createRateLimiterStore({
    redisUrl: config.redisUrl,
    namespace: config.events.namespace,
  });
  const throttle = new SignInThrottle(limiterStore, config.signInThrottle);
  const passwordWork = pLimit(config.auth.password.maxConcurrency);
  let subgraph;
  try {
    subgraph = await createSubgraph<UserPrisma, UserTx, UserContext>({
      config,
      logger,
      createPrisma: createUserPrisma,
      resolvers,
      permissions,
      createContext: (state, { prisma }) => {
        const stores = createUserStores(prisma);
        const auth = new AuthService(stores, signer, config.auth, {
          throttle,
          clientAddress: state.clientAddress,
          passwordWork,
        });
        return {
          ...state,
          stores,
          auth,
          addressBook: new AddressBookService(stores.addresses),
          accounts: new AccountService(stores, state.viewer, (password) =>
            passwordWork(() => auth.hashPassword(password)),
          ),
        };
      },
      internalApi: ({ prisma }) => userInternalApi(prisma),
    });
  } catch (error) {
    await limiterStore.close();
    throw error;
  }
  const built = subgraph;
  return {
    ...built,
    authSettings: config.auth,
    close: async () => {
      await built.close();
      await limiterStore.close();
    },
  };
}

export type UserSubgraph = Awaited<ReturnType<typeof createUserSubgraph>>;
