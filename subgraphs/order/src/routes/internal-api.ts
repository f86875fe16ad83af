import { isUuid, orderForPayment, toMoney } from '@sky/contracts';
import { notFound } from '@sky/errors';
import { implement, type InternalRoute } from '@sky/server-kit';
import type { OrderPrisma } from '../stores/index.ts';
import { OrderStore } from '../stores/order-store.ts';

/**
 * Endpoints other subgraphs call, behind the service token, each body parsed with its contract
 * (@sky/contracts) before the handler runs.
 */
export function orderInternalApi(prisma: OrderPrisma): InternalRoute[] {
  return [
    /** What payment needs to charge an order: its server-side total and where it stands. */
    implement(orderForPayment, async ({ orderId }) => {
      const order = isUuid(orderId) ? await new OrderStore(prisma).load(orderId) : null;
      if (!order) throw notFound('Order');
      return {
        orderId: order.id,
        orderNumber: order.orderNumber,
        customerId: order.customerId,
        merchantId: order.merchantId,
        status: order.status,
        payStatus: order.payStatus,
        total: toMoney(order.totalAmount, order.currency),
        paymentDueAt: order.paymentDueAt?.toISOString() ?? null,
      };
    }),
  ];
}
