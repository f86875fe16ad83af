import type { Logger } from '@sky/logging';
import { createSubgraph } from '@sky/server-kit';
import type { DeliverySubgraphConfig } from './config.ts';
import type { DeliveryContext } from './context.ts';
import { deliveryEventHandlers, deliveryJobs } from './events/handlers.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { DeliveryActions } from './services/delivery-actions.ts';
import { RiderActions } from './services/rider-actions.ts';
import {
  createDeliveryPrisma,
  createDeliveryStores,
  transactionRunner,
  type DeliveryPrisma,
  type DeliveryTx,
} from './stores/index.ts';

/**
 * Builds the delivery subgraph (database migrated, schema protected, event workers running: the
 * outbox relay, the order event handlers and the dispatch timers) without listening.
 */
export function createDeliverySubgraph(config: DeliverySubgraphConfig, logger?: Logger) {
  return createSubgraph<DeliveryPrisma, DeliveryTx, DeliveryContext>({
    config,
    logger,
    createPrisma: createDeliveryPrisma,
    resolvers,
    permissions,
    // Each event is the whole current state (see `versionedStream`).
    stateSubscriptions: ['courierLocation'],
    createContext: (state, runtime) => {
      const viewer = state.viewer;
      const run = transactionRunner(runtime.transaction, {
        live: runtime.live,
        logger: state.logger,
      });
      return {
        ...state,
        stores: createDeliveryStores(runtime.prisma),
        live: runtime.live,
        services: viewer && {
          riders: new RiderActions(viewer, run, config.dispatch),
          deliveries: new DeliveryActions(viewer, run, config.dispatch),
        },
      };
    },
    events: (runtime) => deliveryEventHandlers(config.dispatch, runtime, runtime.logger),
    jobs: (runtime) => deliveryJobs(runtime.transaction, config.dispatch, runtime, runtime.logger),
  });
}

export type DeliverySubgraph = Awaited<ReturnType<typeof createDeliverySubgraph>>;
