import {
  addresses,
  DEMO_SEED_TRANSACTION,
  demoId,
  historyFor,
  orders,
  riders,
  users,
  type DemoAddress,
  type DemoOrder,
  type DemoSeedOptions,
} from '@sky/demo-data';
import { demoStatusHistory, type DemoStatusChange } from '../domain/demo-timeline.ts';
import type { OrderStatus } from '../__generated__/prisma/client.ts';
import type { OrderPrisma } from './index.ts';

/** When the order reached `status`, according to its history; null when it never did. */
const reachedAt = (history: DemoStatusChange[], status: OrderStatus) =>
  history.find((change) => change.to === status)?.at ?? null;

/** The minutes a demo delivery is expected to take from placement. */
const DEMO_DELIVERY_MINUTES = 45;

function orderRows(order: DemoOrder, now: Date, addressById: Map<string, DemoAddress>) {
  const address = addressById.get(order.addressId);
  if (!address) throw new Error(`demo order ${order.orderNumber} has an unknown address`);
  const history = demoStatusHistory(
    order,
    {
      merchantStaffUserId:
        users.find((u) => u.roles.includes('MERCHANT_STAFF') && u.merchantId === order.merchantId)
          ?.id ?? null,
      riderUserId: riders.find((r) => r.id === order.riderId)?.userId ?? null,
    },
    now,
  );
  const last = history.at(-1)!;
  const cancelled = order.status === 'CANCELLED';
  const inDelivery = ['CONFIRMED', 'DELIVERY_IN_PROGRESS', 'COMPLETED'].includes(order.status);
  return {
    order: {
      id: order.id,
      orderNumber: order.orderNumber,
      status: order.status,
      payStatus: order.paid ? (cancelled ? 'REFUNDED' : 'PAID') : 'UNPAID',
      customerId: order.customerId,
      merchantId: order.merchantId,
      itemsTotalAmount: order.itemsTotalAmount,
      packingFeeAmount: order.packingFeeAmount,
      deliveryFeeAmount: order.deliveryFeeAmount,
      totalAmount: order.totalAmount,
      deliverAsSoonAsPossible: true,
      estimatedDeliveryAt: inDelivery
        ? new Date(
            order.placedAt.getTime() +
              (order.deliveredAfterMinutes ?? DEMO_DELIVERY_MINUTES) * 60_000,
          )
        : null,
      addressContactName: address.contactName,
      addressPhone: address.phone,
      addressDetail: address.detail,
      addressLabel: address.label,
      addressLatitude: address.latitude,
      addressLongitude: address.longitude,
      cancelReason: cancelled ? last.reason : null,
      cancelledBy: cancelled ? last.actor : null,
      version: history.length,
      placedAt: order.placedAt,
      paidAt: reachedAt(history, 'TO_BE_CONFIRMED'),
      confirmedAt: reachedAt(history, 'CONFIRMED'),
      pickedUpAt: reachedAt(history, 'DELIVERY_IN_PROGRESS'),
      completedAt: reachedAt(history, 'COMPLETED'),
      cancelledAt: reachedAt(history, 'CANCELLED'),
      updatedAt: last.at,
    } as const,
    items: order.items.map((item, index) => ({
      id: demoId(`order-item:${order.id}:${index}`),
      orderId: order.id,
      dishId: item.dishId,
      name: item.name,
      // The catalog draws the demo pictures into its own image store, whose URLs this
      // subgraph does not know; orders placed later snapshot the URL the quote gives them.
      imageUrl: null,
      flavor: item.flavor,
      quantity: item.quantity,
      unitPriceAmount: item.unitPriceAmount,
      lineTotalAmount: item.unitPriceAmount * item.quantity,
      // Items are listed in creation order: keep the dataset's order.
      createdAt: new Date(order.placedAt.getTime() + index),
    })),
    history: history.map((change, index) => ({
      id: demoId(`order-status:${order.id}:${index + 1}`),
      orderId: order.id,
      fromStatus: change.from,
      toStatus: change.to,
      actor: change.actor,
      actorUserId: change.actorUserId,
      reason: change.reason,
      version: index + 1,
      at: change.at,
    })),
  };
}

/**
 * Writes the order slice of the demo dataset (the live orders and the history before them); does
 * nothing when it is already there.
 */
export async function seedOrderDemoData(
  subgraph: { prisma: OrderPrisma },
  options: DemoSeedOptions = {},
): Promise<boolean> {
  const { prisma } = subgraph;
  if ((await prisma.order.count()) > 0) return false;
  const now = new Date();
  const history = historyFor(options, now);
  const addressById = new Map([...addresses, ...history.addresses].map((a) => [a.id, a]));
  const rows = [...history.orders, ...orders].map((order) => orderRows(order, now, addressById));
  await prisma.$transaction(async (tx) => {
    await tx.order.createMany({ data: rows.map((r) => r.order) });
    await tx.orderItem.createMany({ data: rows.flatMap((r) => r.items) });
    await tx.orderStatusChange.createMany({ data: rows.flatMap((r) => r.history) });
  }, DEMO_SEED_TRANSACTION);
  return true;
}
