import { isUuid } from '@sky/database';
import { badUserInput, notFound } from '@sky/errors';
import type { InternalHandler } from '@sky/server-kit';
import type { PrismaClient } from './__generated__/prisma/client.ts';
import { OrderStore } from './stores/order-store.ts';

/** Endpoints other subgraphs call (docs/contracts.md), behind the service token. */
export function orderInternalApi(prisma: PrismaClient): Record<string, InternalHandler> {
  return {
    /** What payment needs to charge an order: its server-side total and where it stands. */
    'order-for-payment': async (body) => {
      const orderId = (body as { orderId?: unknown } | null)?.orderId;
      if (typeof orderId !== 'string') throw badUserInput('"orderId" is required.', 'orderId');
      const order = isUuid(orderId) ? await new OrderStore(prisma).load(orderId) : null;
      if (!order) throw notFound('Order');
      return {
        orderId: order.id,
        orderNumber: order.orderNumber,
        customerId: order.customerId,
        merchantId: order.merchantId,
        status: order.status,
        payStatus: order.payStatus,
        total: { amount: order.totalAmount, currency: order.currency },
        paymentDueAt: order.paymentDueAt?.toISOString() ?? null,
      };
    },
  };
}
