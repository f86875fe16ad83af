import { orderStatus } from '@sky/contracts';
import { isAdmin, type Viewer } from '@sky/auth';
import { isUuid } from '@sky/database';
import { forbidden, notFound, rateLimited } from '@sky/errors';
import { pageSize } from '@sky/server-kit';
import type { Order, OrderStatus } from '../stores/index.ts';
import { canListOrdersOfMerchant } from '../permissions.ts';
import { parseReason } from '../domain/inputs.ts';
import { reminderEvent } from '../domain/order-events.ts';
import { reminderNotices, statusChangeNotices } from '../live/channels.ts';
import type { LiveNotifier } from '../live/notifier.ts';
import { actorFor, invalidTransition, type OrderAction } from '../domain/transitions.ts';
import type { OrderListFilter } from '../stores/order-pages.ts';
import type { OrderStores } from '../stores/index.ts';
import { changeStatus } from './lifecycle.ts';
import {
  acceptanceTiming,
  foodReadyTiming,
  parsePrepMinutes,
  type KitchenSettings,
} from '../domain/kitchen.ts';
import type { KitchenTiming } from '../domain/order-events.ts';

/** Statuses in which a customer may remind the merchant (催单): paid and not yet picked up. */
export const REMINDABLE_STATUSES: readonly OrderStatus[] = ['TO_BE_CONFIRMED', 'CONFIRMED'];

/** Every status, in lifecycle order (the contracts' list). */
export const ORDER_STATUSES: readonly OrderStatus[] = orderStatus.options;

export interface OrderActionSettings {
  reminderIntervalSeconds: number;
  kitchen: KitchenSettings;
}

/**
 * Public actions on existing orders, for one request's caller. Who may act is decided from the
 * order's customer and merchant (which never change); whether the order's status allows it is
 * decided inside the transaction that changes it.
 */
export class OrderActions {
  constructor(
    private readonly viewer: Viewer,
    private readonly stores: OrderStores,
    private readonly settings: OrderActionSettings,
    /** Live messages, sent once a change has committed. */
    private readonly live: LiveNotifier,
  ) {}

  /**
   * The order, or the refusal that reveals nothing to whom may not see it: admins (who may see
   * every order) get NOT_FOUND for an unknown id, everyone else FORBIDDEN, as `Query.order` does.
   */
  private async existing(orderId: string): Promise<Order> {
    const order = isUuid(orderId) ? await this.stores.orders.load(orderId) : null;
    if (order) return order;
    throw isAdmin(this.viewer)
      ? notFound('Order')
      : forbidden('You may not do this to this order.');
  }

  /** Runs one transition of the table on behalf of the caller. */
  async perform(
    action: OrderAction,
    orderId: string,
    reason: string | null | undefined,
    reasonRequired: boolean,
    /** The kitchen's timing the action sets (ACCEPT, FOOD_READY), from the order and the instant. */
    timing?: (order: Order, at: Date) => KitchenTiming,
  ): Promise<Order> {
    const order = await this.existing(orderId);
    const actor = actorFor(action, this.viewer, order);
    const at = new Date();
    const change = {
      action,
      actor,
      actorUserId: this.viewer.userId,
      reason: parseReason(reason, reasonRequired),
      at,
      kitchen: timing?.(order, at),
    };
    const result = await this.stores.transaction(async (tx) => {
      const changed = await changeStatus(tx, order.id, change);
      if (changed.ok) {
        // Not awaited: subscribers re-read the committed order; the caller need not wait for them.
        tx.afterCommit(
          () =>
            void this.live.publish(statusChangeNotices(changed.before, changed.after, change.at)),
        );
      }
      return changed;
    });
    if (!result.ok) {
      if (!result.order) throw notFound('Order');
      throw invalidTransition(action, result.order.status);
    }
    return this.stores.orders.remember(result.after);
  }

  /**
   * ACCEPT with a prep time: the given one (checked after who may act, before the status), else
   * the merchant's default; it sets the estimated ready and delivery times.
   */
  accept(orderId: string, prepMinutes: number | null | undefined): Promise<Order> {
    return this.perform('ACCEPT', orderId, null, false, (order, at) =>
      acceptanceTiming(order, parsePrepMinutes(prepMinutes), at, this.settings.kitchen),
    );
  }

  /** FOOD_READY: the kitchen is done (once per order, while CONFIRMED). */
  markFoodReady(orderId: string): Promise<Order> {
    return this.perform('FOOD_READY', orderId, 'food ready', false, (order, at) =>
      foodReadyTiming(order, at, this.settings.kitchen),
    );
  }

  /** 催单: the customer reminds the merchant, at most once per interval per order. */
  async remind(orderId: string) {
    const order = await this.existing(orderId);
    if (order.customerId !== this.viewer.userId) {
      throw forbidden('Only the customer who placed the order can remind the merchant.');
    }
    const intervalMs = this.settings.reminderIntervalSeconds * 1000;
    const at = new Date();
    const notAfter = new Date(at.getTime() - intervalMs);
    const reminded = await this.stores.transaction(async (tx) => {
      const updated = await tx.orders.remind(order.id, REMINDABLE_STATUSES, at, notAfter);
      if (updated) {
        await tx.outbox.append(reminderEvent(updated, at));
        tx.afterCommit(() => void this.live.publish(reminderNotices(updated, at)));
        return updated;
      }
      // Not recorded: say why, from the order as it is now.
      const current = await tx.orders.find(order.id);
      if (!current) throw notFound('Order');
      if (!REMINDABLE_STATUSES.includes(current.status)) {
        throw invalidTransition('REMIND', current.status);
      }
      const nextAt = current.lastRemindedAt!.getTime() + intervalMs;
      throw rateLimited(
        'You reminded the merchant a moment ago; try again later.',
        Math.max(1, Math.ceil((nextAt - at.getTime()) / 1000)),
      );
    });
    return {
      order: this.stores.orders.remember(reminded),
      remindedAt: at,
      nextReminderAllowedAt: new Date(at.getTime() + intervalMs),
    };
  }

  private requireMerchantAccess(merchantId: string) {
    if (!canListOrdersOfMerchant(this.viewer, merchantId)) {
      throw forbidden("Only this merchant's staff and admins may see its orders.");
    }
  }

  merchantOrders(
    merchantId: string,
    filter: Omit<OrderListFilter, 'merchantId' | 'customerId'>,
    page: { first?: number | null; after?: string | null },
  ) {
    this.requireMerchantAccess(merchantId);
    if (!isUuid(merchantId)) {
      // No such merchant can exist (only admins get here): an empty list, after checking `first`.
      pageSize(page);
      return {
        edges: [],
        pageInfo: { hasNextPage: false, endCursor: null },
        countAll: async () => 0,
      };
    }
    return this.stores.orders.page({ ...filter, merchantId }, page);
  }

  async merchantOrderCounts(merchantId: string, from: Date | null, to: Date | null) {
    this.requireMerchantAccess(merchantId);
    const counts = isUuid(merchantId)
      ? await this.stores.orders.countByStatus(merchantId, from, to)
      : new Map<OrderStatus, number>();
    return ORDER_STATUSES.map((status) => ({ status, count: counts.get(status) ?? 0 }));
  }
}
