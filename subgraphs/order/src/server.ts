import type { Logger } from '@sky/logging';
import { createRemoteCalls, createServiceMetrics, createSubgraph } from '@sky/server-kit';
import { createInternalClients, type InternalClients } from './clients/internal-clients.ts';
import type { OrderSubgraphConfig } from './config.ts';
import type { OrderContext } from './context.ts';
import { orderEventHandlers, orderJobs } from './events/handlers.ts';
import { orderInternalApi } from './routes/internal-api.ts';
import { LiveNotifier } from './live/notifier.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { CartService } from './services/cart-service.ts';
import { LiveFeeds } from './services/live-feeds.ts';
import { OrderActions } from './services/order-actions.ts';
import { PlacementService } from './services/placement-service.ts';
import { RefundRequests } from './services/refund-requests.ts';
import {
  createOrderPrisma,
  createOrderStores,
  type OrderPrisma,
  type OrderTx,
} from './stores/index.ts';

/**
 * Builds the order subgraph (database migrated, schema protected, event workers running: the
 * outbox relay, payment and delivery event handlers and the payment/placement timers; live
 * subscriptions over graphql-ws) without listening. `clients` replaces the HTTP clients of the
 * catalog and user subgraphs (tests of failures).
 */
export function createOrderSubgraph(
  config: OrderSubgraphConfig,
  logger?: Logger,
  replacedClients?: InternalClients,
) {
  // Made first: the internal clients count their calls, and their breakers report, in it.
  const metrics = createServiceMetrics(config.name, config.metrics);
  const clients =
    replacedClients ??
    createInternalClients(config, {
      metrics,
      calls: createRemoteCalls(config.resilience, { logger, registry: metrics.registry }),
    });
  return createSubgraph<OrderPrisma, OrderTx, OrderContext>({
    config,
    logger,
    metrics,
    createPrisma: createOrderPrisma,
    resolvers,
    permissions,
    // Each event is the whole current state (see `versionedStream`).
    stateSubscriptions: ['orderStatusChanged'],
    createContext: (state, runtime) => {
      const stores = createOrderStores(runtime);
      const viewer = state.viewer;
      const live = new LiveNotifier(runtime.live, state.logger);
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
          ),
          actions: new OrderActions(
            viewer,
            stores,
            { ...config.ordering, kitchen: config.kitchen },
            live,
          ),
          feeds: new LiveFeeds(viewer, stores, runtime.live),
          refunds: new RefundRequests(viewer, stores, config.ordering, live),
        },
      };
    },
    internalApi: (runtime) => orderInternalApi(runtime.prisma),
    events: (runtime) =>
      orderEventHandlers(
        runtime.logger,
        new LiveNotifier(runtime.live, runtime.logger),
        config.ordering,
      ),
    jobs: (runtime) =>
      orderJobs(
        runtime.transaction,
        runtime.logger,
        new LiveNotifier(runtime.live, runtime.logger),
      ),
  });
}

export type OrderSubgraph = Awaited<ReturnType<typeof createOrderSubgraph>>;
