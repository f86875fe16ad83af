import { isAdmin, type Viewer } from '@sky/auth';
import { isUuid } from '@sky/database';
import type { LivePubSub } from '@sky/events';
import { forbidden, notFound } from '@sky/errors';
import { canListOrdersOfMerchant, canViewOrder } from '../permissions.ts';
import {
  merchantChannel,
  orderChannel,
  type MerchantOrderMessage,
  type OrderChangedMessage,
} from '../live/channels.ts';
import { merchantOrderStream } from '../live/merchant-stream.ts';
import { orderStream } from '../live/order-stream.ts';
import type { Order } from '../stores/index.ts';
import type { OrderStores } from '../stores/index.ts';

/**
 * Reads of one order for one live message, shared by every subscription of this process that
 * received that message (a thousand subscribers to one order cost one query per change, not a
 * thousand). Every shared read starts after the message arrived, so it sees the change.
 */
const readsInFlight = new Map<string, Promise<Order | null>>();
function sharedRead(key: string, load: () => Promise<Order | null>): Promise<Order | null> {
  let read = readsInFlight.get(key);
  if (!read) {
    read = load().finally(() => readsInFlight.delete(key));
    readsInFlight.set(key, read);
  }
  return read;
}

/** Starts listening on a live channel now (not at the first `next()`), so nothing is missed. */
function listen<Message>(live: LivePubSub, channel: string) {
  const source = live.subscribe<Message>(channel);
  const pending = source.next();
  // A failure surfaces when the stream awaits it; this only keeps it from being "unhandled".
  pending.catch(() => {});
  return { source, pending };
}

/**
 * The subscriptions of one subscriber: authorized here when they start (a refusal is thrown, so
 * no event is sent), then fed from the live channels (docs/architecture.md, section 2.3) and the
 * database.
 */
export class LiveFeeds {
  constructor(
    private readonly viewer: Viewer,
    private readonly stores: OrderStores,
    private readonly live: LivePubSub,
  ) {}

  /**
   * The refusal for an order the subscriber may not see, revealing nothing: admins (who may see
   * every order) get NOT_FOUND for an unknown id, everyone else FORBIDDEN, as `Query.order` does.
   */
  private refuseOrder(exists: boolean) {
    return !exists && isAdmin(this.viewer)
      ? notFound('Order')
      : forbidden('You may not follow this order.');
  }

  /** `orderStatusChanged`: the order now, then after every change, while the subscriber may see it. */
  async orderStatusChanged(orderId: string) {
    const mayView = (order: Parameters<typeof canViewOrder>[1]) => canViewOrder(this.viewer, order);
    const readNow = () => this.stores.orders.current(orderId);
    const read = (announcedVersion: number) =>
      sharedRead(`${orderId}:${announcedVersion}`, readNow);
    // Checked before listening, so a stranger costs no live subscription.
    const found = isUuid(orderId) ? await readNow() : null;
    if (!found || !mayView(found)) throw this.refuseOrder(!!found);
    // Listening before the first state is read: a change committed meanwhile still arrives as a
    // message afterwards (and one already in the first state is dropped by its version).
    const { source, pending } = listen<OrderChangedMessage>(this.live, orderChannel(orderId));
    try {
      const first = await readNow();
      if (!first || !mayView(first)) throw this.refuseOrder(!!first);
      return orderStream({
        source,
        pending,
        first,
        read,
        mayView,
        refusal: () => forbidden('You may no longer follow this order.'),
      });
    } catch (error) {
      await source.return?.();
      throw error;
    }
  }

  /** `merchantOrderEvents`: the merchant's new paid orders, reminders and cancellations. */
  merchantOrderEvents(merchantId: string) {
    if (!canListOrdersOfMerchant(this.viewer, merchantId)) {
      throw forbidden("Only this merchant's staff and admins may follow its orders.");
    }
    const { source, pending } = listen<MerchantOrderMessage>(
      this.live,
      merchantChannel(merchantId),
    );
    return merchantOrderStream({
      merchantId,
      source,
      pending,
      read: (orderId) => this.stores.orders.current(orderId),
      readRefundRequest: (id) => this.stores.refundRequests.current(id),
    });
  }
}
