import { createLogger, type Logger } from '@sky/logging';
import { createSubgraph, type Subgraph } from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import { createInternalClients, type InternalClients } from './clients/internal-clients.ts';
import type { OrderSubgraphConfig } from './config.ts';
import type { OrderContext } from './context.ts';
import { orderEventHandlers, orderJobs } from './events/handlers.ts';
import { orderInternalApi } from './internal-api.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { CartService } from './services/cart-service.ts';
import { OrderActions } from './services/order-actions.ts';
import { PlacementService } from './services/placement-service.ts';
import { createOrderStores } from './stores/index.ts';

/**
 * Builds the order subgraph (database migrated, schema protected, event workers running: the
 * outbox relay, payment event handlers and the payment/placement timers) without listening.
 * `clients` replaces the HTTP clients of the catalog and user subgraphs (tests of failures).
 */
export async function createOrderSubgraph(
  config: OrderSubgraphConfig,
  logger: Logger = createLogger(config.name, config.logLevel),
  clients: InternalClients = createInternalClients(config),
) {
  // The relay polls; after a commit that wrote events it is kicked to publish them at once.
  let subgraph: Subgraph<PrismaClient> | null = null;
  const eventsWritten = () => subgraph?.events?.kick();
  subgraph = await createSubgraph<PrismaClient, OrderContext>({
    config,
    logger,
    createPrisma: (adapter) =>
      new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
    resolvers,
    permissions,
    createContext: (state, prisma) => {
      const stores = createOrderStores(prisma);
      const viewer = state.viewer;
      return {
        ...state,
        stores,
        services: viewer && {
          carts: new CartService(viewer, stores, clients.catalog, state.requestId),
          placement: new PlacementService(
            viewer,
            stores,
            clients,
            config.ordering,
            state.logger,
            state.requestId,
            eventsWritten,
          ),
          actions: new OrderActions(viewer, stores, config.ordering, eventsWritten),
        },
      };
    },
    internalApi: orderInternalApi,
    events: {
      relay: true,
      handlers: orderEventHandlers(logger),
      jobs: orderJobs(logger),
    },
  });
  return subgraph;
}

export type OrderSubgraph = Awaited<ReturnType<typeof createOrderSubgraph>>;
