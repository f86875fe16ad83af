import type { AddressInfo } from 'node:net';
import { createLogger, type Logger } from '@sky/logging';
import { callInternal, createSubgraph } from '@sky/server-kit';
import { PrismaClient } from './__generated__/prisma/client.ts';
import type { PaymentSubgraphConfig } from './config.ts';
import type { PaymentContext } from './context.ts';
import { permissions } from './permissions.ts';
import { PaymentProviderClient } from './provider/provider-client.ts';
import { resolvers } from './resolvers/index.ts';
import type { OrderForPayment, PaymentDeps } from './services/deps.ts';
import { createPaymentService } from './services/index.ts';
import { paymentJobs } from './services/jobs.ts';
import { orderEventHandlers } from './services/order-events.ts';
import { PaymentLedger } from './stores/ledger.ts';
import { createPaymentStores } from './stores/index.ts';
import { mountSandboxWebhook, WEBHOOK_PATH } from './webhook/sandbox-webhook.ts';

/**
 * Builds the payment subgraph (database migrated, schema protected, webhook mounted, event
 * consumers and jobs running) without listening.
 */
export async function createPaymentSubgraph(config: PaymentSubgraphConfig, logger?: Logger) {
  const log = logger ?? createLogger(config.name, config.logLevel);
  const { provider } = config.payment;
  if (!provider) log.warn('no payment provider configured: payOrder and the webhook are disabled');

  // The domain's dependencies exist before the subgraph (its handlers and jobs need them), but
  // the ledger needs the subgraph's Prisma client and the callback URL its listening port:
  // both are filled in below, before any request or job can run.
  let ledger: PaymentLedger | undefined;
  let listeningPort: number | undefined;
  let kickRelay = () => {};
  const deps: PaymentDeps = {
    get ledger() {
      if (!ledger) throw new Error('payment ledger used before the subgraph was built');
      return ledger;
    },
    provider: provider ? new PaymentProviderClient(provider) : null,
    logger: log,
    callbackUrl: () => {
      if (provider?.callbackUrl) return provider.callbackUrl;
      if (listeningPort === undefined) throw new Error('payment subgraph is not listening');
      return `http://127.0.0.1:${listeningPort}${WEBHOOK_PATH}`;
    },
    fetchOrder: (orderId, requestId) => {
      const baseUrl = config.internal.subgraphUrls.order;
      if (!baseUrl) throw new Error('SUBGRAPH_ORDER_URL is not configured');
      return callInternal<OrderForPayment>(
        { baseUrl, token: config.internal.token, timeoutMs: config.internal.timeoutMs },
        'order-for-payment',
        { orderId },
        requestId,
      );
    },
    eventsWritten: () => kickRelay(),
    allowTestOutcome: config.payment.allowTestOutcome,
    reconcileAfterSeconds: config.payment.reconcileAfterSeconds,
  };
  const payments = createPaymentService(deps);

  const subgraph = await createSubgraph<PrismaClient, PaymentContext>({
    config,
    logger: log,
    createPrisma: (adapter) => {
      const prisma = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
      ledger = new PaymentLedger(prisma);
      return prisma;
    },
    resolvers,
    permissions,
    createContext: (state, prisma) => ({
      ...state,
      stores: createPaymentStores(prisma),
      payments,
    }),
    events: {
      relay: true,
      handlers: orderEventHandlers(deps),
      jobs: paymentJobs(deps),
    },
  });
  // createSubgraph has no hook for routes beside /graphql other than internal endpoints, so the
  // webhook is added to its app here. Express runs routes in registration order: this one comes
  // after /graphql and the service's error handler, which is fine because no earlier route
  // matches its path and it handles its own errors (see mountSandboxWebhook).
  mountSandboxWebhook(subgraph.app, deps, {
    webhookSecret: provider?.webhookSecret ?? null,
    toleranceSeconds: config.payment.webhookToleranceSeconds,
  });
  kickRelay = () => subgraph.events?.kick();
  subgraph.httpServer.on('listening', () => {
    listeningPort = (subgraph.httpServer.address() as AddressInfo).port;
  });
  return subgraph;
}

export type PaymentSubgraph = Awaited<ReturnType<typeof createPaymentSubgraph>>;
