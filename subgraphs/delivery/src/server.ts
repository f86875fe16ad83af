import { createLogger, type Logger } from '@sky/logging';
import { createSubgraph, type Subgraph } from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { DeliverySubgraphConfig } from './config.ts';
import type { DeliveryContext } from './context.ts';
import { deliveryEventHandlers, deliveryJobs } from './events/handlers.ts';
import { announceChanges } from './live/announce.ts';
import { permissions } from './permissions.ts';
import { resolvers } from './resolvers/index.ts';
import { DeliveryActions } from './services/delivery-actions.ts';
import { RiderActions } from './services/rider-actions.ts';
import type { ChangeLog } from './stores/change-log.ts';
import { createDeliveryStores } from './stores/index.ts';
import { transactionRunner } from './stores/tx-stores.ts';

/**
 * Builds the delivery subgraph (database migrated, schema protected, event workers running: the
 * outbox relay, the order event handlers and the dispatch timers) without listening.
 */
export async function createDeliverySubgraph(
  config: DeliverySubgraphConfig,
  logger: Logger = createLogger(config.name, config.logLevel),
) {
  // Event handlers and jobs run on the subgraph's workers and announce their changes through it;
  // one that finishes before the subgraph is built only misses its (best-effort) announcement.
  let subgraph: Subgraph<PrismaClient> | null = null;
  const announceFromWorkers = (log: ChangeLog) =>
    announceChanges(
      log,
      { live: subgraph?.live ?? null, kickRelay: () => subgraph?.events?.kick() },
      logger,
    );
  subgraph = await createSubgraph<PrismaClient, DeliveryContext>({
    config,
    logger,
    createPrisma: (adapter) =>
      new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] }),
    resolvers,
    permissions,
    createContext: (state, prisma, services) => {
      const viewer = state.viewer;
      const run = transactionRunner(prisma, (log) => announceChanges(log, services, state.logger));
      return {
        ...state,
        stores: createDeliveryStores(prisma),
        live: services.live,
        services: viewer && {
          riders: new RiderActions(viewer, run, config.dispatch),
          deliveries: new DeliveryActions(viewer, run, config.dispatch),
        },
      };
    },
    events: {
      relay: true,
      handlers: deliveryEventHandlers(config.dispatch, announceFromWorkers, logger),
      jobs: deliveryJobs(config.dispatch, announceFromWorkers, logger),
    },
  });
  return subgraph;
}

export type DeliverySubgraph = Awaited<ReturnType<typeof createDeliverySubgraph>>;
