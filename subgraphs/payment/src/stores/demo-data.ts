import { orders, type DemoOrder } from '@sky/demo-data';
import type { Prisma } from '../__generated__/prisma/client.ts';
import type { PaymentPrisma } from './index.ts';

/** The demo's sandbox provider answers within seconds of the order being placed. */
const ATTEMPT_DELAY_MS = 20_000;
const CONFIRMATION_DELAY_MS = 30_000;

const DEMO_CURRENCY = 'CNY';

/**
 * The payment slice of the demo dataset: a snapshot of every demo order (what payment learns
 * from order.placed) and one succeeded sandbox payment for every paid order.
 */
export function paymentSliceOf(demoOrders: readonly DemoOrder[]): {
  snapshots: Prisma.OrderSnapshotCreateManyInput[];
  payments: Prisma.PaymentCreateManyInput[];
} {
  const snapshots = demoOrders.map((order) => ({
    orderId: order.id,
    customerId: order.customerId,
    merchantId: order.merchantId,
    totalAmount: order.totalAmount,
    currency: DEMO_CURRENCY,
    // The dataset has no cancellation time; a cancelled demo order is taken as cancelled at once.
    cancelledAt: order.status === 'CANCELLED' ? order.placedAt : null,
    createdAt: order.placedAt,
    updatedAt: order.placedAt,
  }));
  const payments = demoOrders.flatMap((order) => {
    if (!order.payment) return [];
    const createdAt = new Date(order.placedAt.getTime() + ATTEMPT_DELAY_MS);
    const paidAt = new Date(order.placedAt.getTime() + CONFIRMATION_DELAY_MS);
    return [
      {
        id: order.payment.id,
        orderId: order.id,
        customerId: order.customerId,
        merchantId: order.merchantId,
        amount: order.totalAmount,
        currency: DEMO_CURRENCY,
        status: 'SUCCEEDED' as const,
        method: 'SANDBOX' as const,
        providerPaymentId: order.payment.providerPaymentId,
        // A succeeded attempt is live: it holds the order's one live slot.
        liveOrderId: order.id,
        createdAt,
        paidAt,
        updatedAt: paidAt,
      },
    ];
  });
  return { snapshots, payments };
}

/** Writes the payment slice of the demo dataset; does nothing when it is already there. */
export async function seedPaymentDemoData(subgraph: { prisma: PaymentPrisma }): Promise<boolean> {
  const { prisma } = subgraph;
  const [snapshotCount, paymentCount] = await Promise.all([
    prisma.orderSnapshot.count(),
    prisma.payment.count(),
  ]);
  if (snapshotCount > 0 || paymentCount > 0) return false;
  const { snapshots, payments } = paymentSliceOf(orders);
  await prisma.$transaction(async (tx) => {
    await tx.orderSnapshot.createMany({ data: snapshots });
    await tx.payment.createMany({ data: payments });
  });
  return true;
}
