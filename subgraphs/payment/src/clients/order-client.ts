import { orderForPayment, type OrderForPayment } from '@sky/contracts';
import {
  callInternal,
  internalClientOptions,
  type RemoteCalls,
  type ServiceMetrics,
} from '@sky/server-kit';
import type { PaymentSubgraphConfig } from '../config.ts';

/**
 * The order subgraph's `order-for-payment`, under its contract: what payment charges for an order
 * it has no snapshot of yet. Refusals (NOT_FOUND) come back as GraphQLErrors.
 */
export function orderClient(
  config: PaymentSubgraphConfig,
  calls: RemoteCalls,
  metrics: ServiceMetrics,
) {
  return (orderId: string, requestId?: string): Promise<OrderForPayment> =>
    callInternal(
      orderForPayment,
      internalClientOptions(config.internal, 'order', { calls, metrics }),
      { orderId },
      requestId,
    );
}
