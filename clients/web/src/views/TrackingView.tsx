import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import {
  CancelOrderDocument,
  CourierLocationDocument,
  OrderDetailDocument,
  PayOrderDocument,
  TrackOrderDocument,
  type CourierLocationSubscription,
} from '@sky/client-kit';
import { useEffect, useState } from 'react';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { RouteMap } from '../components/RouteMap.tsx';
import { statusLabel, Timeline } from '../components/Timeline.tsx';
import { formatDuration, formatMoney } from '../format.ts';

type Courier = CourierLocationSubscription['courierLocation'];
const FINAL_STATUSES = new Set(['COMPLETED', 'CANCELLED']);

/** The current time, once a second: enough for a countdown. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/**
 * One order, live: the order subscription keeps the cached order current (each message is the
 * whole order with a greater version), and once a delivery exists the courier subscription moves
 * the rider on the map and refreshes the ETA.
 */
export function TrackingView({ orderId }: { orderId: string }) {
  const detail = useQuery(OrderDetailDocument, { variables: { id: orderId } });
  const order = detail.data?.order;
  const isFinal = order ? FINAL_STATUSES.has(order.status) : false;
  const live = useSubscription(TrackOrderDocument, { variables: { orderId } });

  const [track, setTrack] = useState<{ latitude: number; longitude: number }[]>([]);
  const [courier, setCourier] = useState<Courier | null>(null);
  const deliveryId = order?.delivery?.id;
  const courierFeed = useSubscription(CourierLocationDocument, {
    variables: { orderId },
    skip: !deliveryId || isFinal,
    onData: ({ data }) => {
      const next = data.data?.courierLocation;
      if (!next) return;
      setCourier(next);
      if (next.riderLocation) {
        const at = next.riderLocation;
        setTrack((before) => {
          const last = before.at(-1);
          return last?.latitude === at.latitude && last.longitude === at.longitude
            ? before
            : [...before, at];
        });
      }
    },
  });

  if (detail.error) return <ErrorNote error={detail.error} />;
  if (detail.loading) return <p>Loading…</p>;
  if (!order) return <p>There is no such order (or it is not yours).</p>;

  return (
    <section className="tracking">
      <h1>
        Order <span data-testid="order-number">{order.orderNumber}</span>
      </h1>
      <p className="status-line">
        <strong data-testid="order-status" data-status={order.status}>
          {statusLabel(order.status)}
        </strong>
        {order.deliveryWaiting && <span> · looking for a rider…</span>}
        {order.delivery?.rider && (
          <span data-testid="rider-name"> · rider {order.delivery.rider.user.name}</span>
        )}
        <small> · version {order.version}</small>
      </p>
      <ErrorNote error={live.error ?? courierFeed.error} />
      <div className="tracking-body">
        <div>
          <Timeline order={order} />
          {order.status === 'PENDING_PAYMENT' && (
            <PayButton orderId={order.id} total={order.total} payStatus={order.payStatus} />
          )}
          {(order.status === 'PENDING_PAYMENT' || order.status === 'TO_BE_CONFIRMED') && (
            <CancelButton orderId={order.id} />
          )}
          <h2>Items</h2>
          <ul>
            {order.items.map((item) => (
              <li key={item.id}>
                {item.name}
                {item.flavor && <small> ({item.flavor})</small>} × {item.quantity} ·{' '}
                {formatMoney(item.lineTotal)}
              </li>
            ))}
          </ul>
          <p>
            Total <strong data-testid="order-total">{formatMoney(order.total)}</strong>
          </p>
        </div>
        <div>
          <RouteMap
            pickup={courier?.pickupLocation ?? order.merchant.location}
            dropoff={courier?.dropoffLocation ?? order.address.location}
            rider={courier?.riderLocation ?? null}
            track={track}
          />
          <Eta
            estimatedArrivalAt={courier?.estimatedArrivalAt ?? order.estimatedDeliveryAt ?? null}
            status={order.status}
          />
          <p>
            From {order.merchant.name} to {order.address.detail}
          </p>
        </div>
      </div>
    </section>
  );
}

function Eta({
  estimatedArrivalAt,
  status,
}: {
  estimatedArrivalAt: string | null;
  status: string;
}) {
  const now = useNow();
  if (FINAL_STATUSES.has(status) || !estimatedArrivalAt) return null;
  const seconds = (Date.parse(estimatedArrivalAt) - now) / 1000;
  return (
    <p className="eta">
      Arrives in <strong data-testid="eta">{formatDuration(seconds)}</strong>
    </p>
  );
}

function PayButton({
  orderId,
  total,
  payStatus,
}: {
  orderId: string;
  total: { amount: number; currency: string };
  payStatus: string;
}) {
  // One key per order page: paying twice (a double click, a retry) charges once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const [pay, { data, loading, error }] = useMutation(PayOrderDocument);
  const started = data?.payOrder.status === 'PENDING' || payStatus === 'PAID';
  return (
    <div className="pay">
      <button
        type="button"
        disabled={loading || started}
        onClick={() =>
          void pay({ variables: { input: { orderId, idempotencyKey } } }).catch(() => undefined)
        }
      >
        Pay {formatMoney(total)}
      </button>
      {started && <span data-testid="payment-pending"> Waiting for the payment provider…</span>}
      {data?.payOrder.status === 'DECLINED' && (
        <span> Declined: {data.payOrder.failureReason}</span>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

function CancelButton({ orderId }: { orderId: string }) {
  const [cancel, { loading, error }] = useMutation(CancelOrderDocument);
  return (
    <div>
      <button
        type="button"
        className="secondary"
        disabled={loading}
        onClick={() =>
          void cancel({ variables: { id: orderId, reason: 'Changed my mind' } }).catch(
            () => undefined,
          )
        }
      >
        Cancel order
      </button>
      <ErrorNote error={error} />
    </div>
  );
}
