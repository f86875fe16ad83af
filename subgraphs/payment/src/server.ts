import type { Logger } from '@sky/logging';
import {
  createRemoteCalls,
  createServiceMetrics,
  createSubgraph,
  type SubgraphRuntime,
} from '@sky/server-kit';
import { orderClient } from './clients/order-client.ts';
import type { PaymentSubgraphConfig } from './config.ts';
import type { PaymentContext } from './context.ts';
import { permissions } from './permissions.ts';
import { PaymentProviderClient } from './clients/payment-provider.ts';
import { resolvers } from './resolvers/index.ts';
import type { PaymentDeps } from './services/deps.ts';
import { createPaymentService } from './services/index.ts';
import { orderEventHandlers, paymentJobs } from './events/handlers.ts';
import {
  createPaymentPrisma,
  createPaymentStores,
  PaymentLedger,
  type PaymentPrisma,
  type PaymentTx,
} from './stores/index.ts';
import { mountSandboxWebhook, WEBHOOK_PATH } from './routes/sandbox-webhook.ts';

/**
 * Builds the payment subgraph (database migrated, schema protected, webhook mounted, event
 * consumers and jobs running) without listening.
 */
export async function createPaymentSubgraph(config: PaymentSubgraphConfig, logger?: Logger) {
  const { provider } = config.payment;
  // Made first: the order client and the breakers (order subgraph, provider) report in it.
  const metrics = createServiceMetrics(config.name, config.metrics);
  const calls = createRemoteCalls(config.resilience, { logger, registry: metrics.registry });
  const providerClient = provider ? new PaymentProviderClient(provider, calls.breakers) : null;
  const fetchOrder = orderClient(config, calls, metrics);

  /** What the payment domain needs, from the subgraph's runtime (all of it stateless). */
  const depsOf = (runtime: SubgraphRuntime<PaymentPrisma, PaymentTx>): PaymentDeps => ({
    ledger: new PaymentLedger(runtime.prisma, runtime.transaction),
    provider: providerClient,
    logger: runtime.logger,
    callbackUrl: () => provider?.callbackUrl ?? `${runtime.localOrigin()}${WEBHOOK_PATH}`,
    fetchOrder,
    allowTestOutcome: config.payment.allowTestOutcome,
    reconcileAfterSeconds: config.payment.reconcileAfterSeconds,
  });

  const subgraph = await createSubgraph<PaymentPrisma, PaymentTx, PaymentContext>({
    config,
    logger,
    metrics,
    createPrisma: createPaymentPrisma,
    resolvers,
    permissions,
    createContext: (state, runtime) => ({
      ...state,
      stores: createPaymentStores(runtime.prisma),
      payments: createPaymentService(depsOf(runtime)),
    }),
    extraRoutes: (app, runtime) =>
      mountSandboxWebhook(app, depsOf(runtime), {
        webhookSecret: provider?.webhookSecret ?? null,
        toleranceSeconds: config.payment.webhookToleranceSeconds,
      }),
    events: (runtime) => orderEventHandlers(depsOf(runtime)),
    jobs: (runtime) => paymentJobs(depsOf(runtime)),
  });
  if (!provider) {
    subgraph.logger.warn('no payment provider configured: payOrder and the webhook are disabled');
  }
  return subgraph;
}

export type PaymentSubgraph = Awaited<ReturnType<typeof createPaymentSubgraph>>;
