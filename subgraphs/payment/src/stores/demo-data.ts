import {
  DEMO_SEED_TRANSACTION,
  historyFor,
  orders,
  type DemoOrder,
  type DemoSeedOptions,
} from '@sky/demo-data';
import type { Prisma } from '../__generated__/prisma/client.ts';
import type { PaymentPrisma } from './index.ts';

/** The demo's sandbox provider answers within seconds of the order being placed. */
const ATTEMPT_DELAY_MS = 20_000;
const CONFIRMATION_DELAY_MS = 30_000;

const DEMO_CURRENCY = 'CNY';
/** A refunded demo order was cancelled this long after placement (the order timeline's). */
const CANCELLED_AFTER_MS = 15 * 60_000;
/** The sandbox provider confirms a refund this long after it was asked. */
const REFUND_CONFIRMATION_MS = 60_000;

/**
 * The payment slice of the demo dataset: a snapshot of every demo order (what payment learns
 * from order.placed), one succeeded sandbox payment for every paid order, and for a refunded
 * order (cancelled after payment) the payment marked REFUNDED with one full, succeeded refund.
 */
export function paymentSliceOf(demoOrders: readonly DemoOrder[]): {
  snapshots: Prisma.OrderSnapshotCreateManyInput[];
  payments: Prisma.PaymentCreateManyInput[];
  refunds: Prisma.RefundCreateManyInput[];
} {
  const snapshots = demoOrders.map((order) => ({
    orderId: order.id,
    customerId: order.customerId,
    merchantId: order.merchantId,
    totalAmount: order.totalAmount,
    currency: DEMO_CURRENCY,
    cancelledAt:
      order.status === 'CANCELLED' ? new Date(order.placedAt.getTime() + CANCELLED_AFTER_MS) : null,
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
        status: order.refund ? ('REFUNDED' as const) : ('SUCCEEDED' as const),
        method: 'SANDBOX' as const,
        providerPaymentId: order.payment.providerPaymentId,
        // A succeeded (or refunded) attempt is live: it holds the order's one live slot.
        liveOrderId: order.id,
        createdAt,
        paidAt,
        updatedAt: order.refund ? refundTimes(order).completedAt : paidAt,
      },
    ];
  });
  const refunds = demoOrders.flatMap((order) => {
    if (!order.payment || !order.refund) return [];
    const { createdAt, completedAt } = refundTimes(order);
    return [
      {
        id: order.refund.id,
        paymentId: order.payment.id,
        amount: order.totalAmount,
        currency: DEMO_CURRENCY,
        reason: 'order cancelled',
        status: 'SUCCEEDED' as const,
        providerRefundId: `sandbox_refund_${order.refund.id}`,
        requestKey: `demo:${order.id}`,
        createdAt,
        completedAt,
        updatedAt: completedAt,
      },
    ];
  });
  return { snapshots, payments, refunds };
}

function refundTimes(order: DemoOrder) {
  const createdAt = new Date(order.placedAt.getTime() + CANCELLED_AFTER_MS);
  return { createdAt, completedAt: new Date(createdAt.getTime() + REFUND_CONFIRMATION_MS) };
}

/** Writes the payment slice of the demo dataset; does nothing when it is already there. */
export async function seedPaymentDemoData(
  subgraph: { prisma: PaymentPrisma },
  options: DemoSeedOptions = {},
): Promise<boolean> {
  const { prisma } = subgraph;
  const [snapshotCount, paymentCount] = await Promise.all([
    prisma.orderSnapshot.count(),
    prisma.payment.count(),
  ]);
  if (snapshotCount > 0 || paymentCount > 0) return false;
  const { snapshots, payments, refunds } = paymentSliceOf([
    ...historyFor(options, new Date()).orders,
    ...orders,
  ]);
  await prisma.$transaction(async (tx) => {
    await tx.orderSnapshot.createMany({ data: snapshots });
    await tx.payment.createMany({ data: payments });
    await tx.refund.createMany({ data: refunds });
  }, DEMO_SEED_TRANSACTION);
  return true;
}
