import type { LivePubSub } from '@sky/events';
import { createLogger, type Logger } from '@sky/logging';
import { createSubgraph, type Subgraph } from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import { createInternalClients, type InternalClients } from './clients/internal-clients.ts';
import type { OrderSubgraphConfig } from './config.ts';
import type { OrderContext } from './context.ts';
import { orderEventHandlers, orderJobs } from './events/handlers.ts';
import { orderInternalApi } from './internal-api.ts';
import { LiveNotifier } from './live/notifier.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { CartService } from './services/cart-service.ts';
import { LiveFeeds } from './services/live-feeds.ts';
import { OrderActions } from './services/order-actions.ts';
import { PlacementService } from './services/placement-service.ts';
import { createOrderStores } from './stores/index.ts';

/**
 * Builds the order subgraph (database migrated, schema protected, event workers running: the
 * outbox relay, payment and delivery event handlers and the payment/placement timers; live
 * subscriptions over graphql-ws) without listening. `clients` replaces the HTTP clients of the
 * catalog and user subgraphs (tests of failures).
 */
export async function createOrderSubgraph(
  config: OrderSubgraphConfig,
  logger: Logger = createLogger(config.name, config.logLevel),
  clients: InternalClients = createInternalClients(config),
) {
  // The relay polls; after a commit that wrote events it is kicked to publish them at once.
  let subgraph: Subgraph<PrismaClient> | null = null;
  const eventsWritten = () => subgraph?.events?.kick();
  // Event handlers and jobs may run before createSubgraph has returned its pub/sub: their live
  // messages wait for it.
  let liveReady!: (live: LivePubSub) => void;
  const live = new Promise<LivePubSub>((resolve) => (liveReady = resolve));
  const notifier = new LiveNotifier(() => live, logger);
  subgraph = await createSubgraph<PrismaClient, OrderContext>({
    config,
    logger,
    createPrisma: (adapter) =>
      new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
    resolvers,
    permissions,
    createContext: (state, prisma, services) => {
      const stores = createOrderStores(prisma);
      const viewer = state.viewer;
      const requestLive = new LiveNotifier(() => services.live, state.logger);
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
          actions: new OrderActions(viewer, stores, config.ordering, eventsWritten, requestLive),
          feeds: new LiveFeeds(viewer, stores, services.live),
        },
      };
    },
    internalApi: orderInternalApi,
    events: {
      relay: true,
      handlers: orderEventHandlers(logger, notifier),
      jobs: orderJobs(logger, notifier),
    },
  });
  liveReady(subgraph.live);
  return subgraph;
}

export type OrderSubgraph = Awaited<ReturnType<typeof createOrderSubgraph>>;
