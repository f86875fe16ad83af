import { useFragment, useMutation, useQuery, useSubscription } from '@apollo/client/react';
import {
  AcceptOrderDocument,
  MarkFoodReadyDocument,
  IncomingOrderFragmentDoc,
  MerchantOrderEventsDocument,
  MerchantOrdersDocument,
  MerchantShopDocument,
  PutDishOnSaleDocument,
  RejectOrderDocument,
  SetShopStatusDocument,
  TakeDishOffSaleDocument,
  type MerchantOrderEventKind,
} from '@sky/client-kit';
import { useEffect, useState } from 'react';
import { useSkyClient } from '../client.ts';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { statusLabel } from '../components/Timeline.tsx';
import { formatMoney, formatTime } from '../format.ts';

interface FeedEntry {
  kind: MerchantOrderEventKind;
  at: string;
  orderId: string;
  orderNumber: string;
}

const kindLabel: Record<MerchantOrderEventKind, string> = {
  NEW_ORDER: 'New order 来单',
  REMINDER: 'Reminder 催单',
  CANCELLED: 'Cancelled',
  REFUND_REQUESTED: 'Refund requested 售后',
  REFUND_APPROVED: 'Refund approved',
  REFUND_REJECTED: 'Refund rejected',
};

/**
 * The merchant console: paid orders waiting for an answer (listed once, then kept current by the
 * live feed), accept or reject each, and the shop's switches.
 */
export function ConsoleView({ merchant }: { merchant: { id: string; name: string } }) {
  const { subscriptions } = useSkyClient();
  const [live, setLive] = useState(false);
  const [orderIds, setOrderIds] = useState<string[]>([]);
  const [feed, setFeed] = useState<FeedEntry[]>([]);
  const waiting = useQuery(MerchantOrdersDocument, {
    variables: { merchantId: merchant.id, filter: { status: 'TO_BE_CONFIRMED' }, first: 50 },
    fetchPolicy: 'network-only',
  });
  const addOrders = (ids: string[]) =>
    setOrderIds((before) => [...ids.filter((id) => !before.includes(id)), ...before]);

  useEffect(() => {
    const listed = waiting.data?.merchantOrders.edges.map((edge) => edge.node.id) ?? [];
    if (listed.length > 0) addOrders(listed);
  }, [waiting.data]);

  // The feed replays nothing: list the waiting orders again whenever the socket (re)connects,
  // so an order paid while the console was offline is not missed.
  const { refetch } = waiting;
  useEffect(
    () =>
      subscriptions.on('connected', () => {
        setLive(true);
        void refetch().catch(() => undefined);
      }),
    [subscriptions, refetch],
  );
  useEffect(() => subscriptions.on('closed', () => setLive(false)), [subscriptions]);

  const events = useSubscription(MerchantOrderEventsDocument, {
    variables: { merchantId: merchant.id },
    onData: ({ data }) => {
      const event = data.data?.merchantOrderEvents;
      if (!event) return;
      if (event.kind === 'NEW_ORDER') addOrders([event.order.id]);
      setFeed((before) =>
        [
          {
            kind: event.kind,
            at: event.at,
            orderId: event.order.id,
            orderNumber: event.order.orderNumber,
          },
          ...before,
        ].slice(0, 20),
      );
    },
  });

  return (
    <section className="console">
      <h1>
        {merchant.name} · incoming orders{' '}
        <span className={live ? 'badge live' : 'badge'} data-testid="live-status">
          {live ? 'live' : 'connecting…'}
        </span>
      </h1>
      <ErrorNote error={waiting.error ?? events.error} />
      <div className="console-body">
        <div>
          {orderIds.length === 0 && <p data-testid="no-orders">No order is waiting.</p>}
          <ul className="cards" data-testid="incoming-orders">
            {orderIds.map((id) => (
              <IncomingOrderCard key={id} orderId={id} />
            ))}
          </ul>
        </div>
        <aside>
          <h2>Live feed</h2>
          <ul className="feed" data-testid="feed">
            {feed.map((entry) => (
              <li key={`${entry.kind}:${entry.orderId}:${entry.at}`}>
                <time>{formatTime(entry.at)}</time> {kindLabel[entry.kind]} {entry.orderNumber}
              </li>
            ))}
          </ul>
          <ShopPanel merchantId={merchant.id} />
        </aside>
      </div>
    </section>
  );
}

/** One order, read from the cache, so accept, reject and live events all show at once. */
function IncomingOrderCard({ orderId }: { orderId: string }) {
  const { data: order, complete } = useFragment({
    fragment: IncomingOrderFragmentDoc,
    from: { __typename: 'Order', id: orderId },
  });
  const [reason, setReason] = useState('');
  const [accept, accepting] = useMutation(AcceptOrderDocument);
  const [reject, rejecting] = useMutation(RejectOrderDocument);
  const [markReady, markingReady] = useMutation(MarkFoodReadyDocument);
  if (!complete) return null;
  const waiting = order.status === 'TO_BE_CONFIRMED';
  // Dispatch holds the rider's offer until the food is about ready: the kitchen says when it is.
  const cooking = order.status === 'CONFIRMED' && !order.foodReadyAt;
  return (
    <li className="card" data-testid="incoming-order" data-order-number={order.orderNumber}>
      <p>
        <strong>{order.orderNumber}</strong> · {order.customer.name} ·{' '}
        <span data-testid="incoming-order-status" data-status={order.status}>
          {statusLabel(order.status)}
        </span>
        {order.lastRemindedAt && (
          <span className="badge">reminded {formatTime(order.lastRemindedAt)}</span>
        )}
      </p>
      <ul>
        {order.items.map((item) => (
          <li key={item.id}>
            {item.name}
            {item.flavor && <small> ({item.flavor})</small>} × {item.quantity}
          </li>
        ))}
      </ul>
      <p>
        {formatMoney(order.total)} · to {order.address.contactName}, {order.address.detail}
        {order.remark && <em> · “{order.remark}”</em>}
      </p>
      {waiting && (
        <div className="actions">
          <button
            type="button"
            disabled={accepting.loading}
            onClick={() => void accept({ variables: { id: order.id } }).catch(() => undefined)}
          >
            Accept
          </button>
          <input
            aria-label="Reason for rejecting"
            placeholder="Reason for rejecting"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button
            type="button"
            className="secondary"
            disabled={rejecting.loading || reason.trim() === ''}
            onClick={() =>
              void reject({ variables: { id: order.id, reason: reason.trim() } }).catch(
                () => undefined,
              )
            }
          >
            Reject
          </button>
        </div>
      )}
      {cooking && (
        <div className="actions">
          {order.estimatedReadyAt && <small>ready by {formatTime(order.estimatedReadyAt)}</small>}
          <button
            type="button"
            disabled={markingReady.loading}
            onClick={() => void markReady({ variables: { id: order.id } }).catch(() => undefined)}
          >
            Food ready
          </button>
        </div>
      )}
      <ErrorNote error={accepting.error ?? rejecting.error ?? markingReady.error} />
    </li>
  );
}

/** The shop's open/closed switch and the menu's on/off-sale switches. */
function ShopPanel({ merchantId }: { merchantId: string }) {
  const { data, error } = useQuery(MerchantShopDocument, { variables: { merchantId } });
  const [setStatus, statusChange] = useMutation(SetShopStatusDocument);
  const [putOnSale, puttingOnSale] = useMutation(PutDishOnSaleDocument);
  const [takeOffSale, takingOffSale] = useMutation(TakeDishOffSaleDocument);
  const shop = data?.merchant;
  if (error) return <ErrorNote error={error} />;
  if (!shop) return null;
  return (
    <section className="shop">
      <h2>Shop</h2>
      <p>
        {shop.status === 'OPEN' ? 'Open' : 'Closed'}
        {shop.isOpenNow ? ' · taking orders now' : ' · not taking orders now'}{' '}
        <button
          type="button"
          disabled={statusChange.loading}
          onClick={() =>
            void setStatus({
              variables: { status: shop.status === 'OPEN' ? 'CLOSED' : 'OPEN' },
            }).catch(() => undefined)
          }
        >
          {shop.status === 'OPEN' ? 'Close the shop' : 'Open the shop'}
        </button>
      </p>
      <h3>Menu</h3>
      <ul className="menu-switches">
        {shop.dishes.edges.map(({ node: dish }) => (
          <li key={dish.id}>
            <label>
              <input
                type="checkbox"
                checked={dish.onSale}
                disabled={puttingOnSale.loading || takingOffSale.loading}
                onChange={() =>
                  void (
                    dish.onSale
                      ? takeOffSale({ variables: { id: dish.id } })
                      : putOnSale({ variables: { id: dish.id } })
                  ).catch(() => undefined)
                }
              />{' '}
              {dish.name}
            </label>
          </li>
        ))}
      </ul>
      <ErrorNote error={statusChange.error ?? puttingOnSale.error ?? takingOffSale.error} />
    </section>
  );
}
