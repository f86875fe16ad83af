import { useMutation, useQuery } from '@apollo/client/react';
import {
  AcceptDeliveryOfferDocument,
  ArrivedAtMerchantDocument,
  DeclineDeliveryOfferDocument,
  DeliveredDocument,
  GoOfflineDocument,
  GoOnlineDocument,
  MyActiveDeliveryDocument,
  MyDeliveryOfferDocument,
  MyRiderProfileDocument,
  PickedUpDocument,
  UpdateLocationDocument,
  type RiderDeliveryFragment,
} from '@sky/client-kit';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { formatTime } from '../format.ts';

interface Point {
  latitude: number;
  longitude: number;
}

/** Where a rider without a known position starts: the centre of the demo city (Shanghai). */
const CITY_CENTRE: Point = { latitude: 31.2304, longitude: 121.4737 };

/** A third of the way from `from` to `to`: each press of "ride" moves the rider this far. */
const stepTowards = (from: Point, to: Point): Point => ({
  latitude: from.latitude + (to.latitude - from.latitude) / 3,
  longitude: from.longitude + (to.longitude - from.longitude) / 3,
});

const refetchProfile = { refetchQueries: [MyRiderProfileDocument], awaitRefetchQueries: true };

/**
 * A rider's phone, reduced to buttons: go online, answer the offer dispatch makes, walk through
 * the delivery's steps and report positions (which move the dot on the customer's map).
 */
export function RiderView() {
  const profile = useQuery(MyRiderProfileDocument, { pollInterval: 2000 });
  const rider = profile.data?.myRiderProfile;
  const [goOnline, goingOnline] = useMutation(GoOnlineDocument, refetchProfile);
  const [goOffline, goingOffline] = useMutation(GoOfflineDocument, refetchProfile);

  if (profile.error) return <ErrorNote error={profile.error} />;
  if (profile.loading) return <p>Loading…</p>;
  const location = rider?.location ?? CITY_CENTRE;
  return (
    <section className="rider">
      <h1>
        Rider{' '}
        <span className="badge" data-testid="rider-status">
          {rider?.status ?? 'OFFLINE'}
        </span>
      </h1>
      <p
        data-testid="rider-location"
        data-latitude={location.latitude}
        data-longitude={location.longitude}
      >
        At {location.latitude.toFixed(5)}, {location.longitude.toFixed(5)}
        {rider?.lastLocationAt && <small> · reported {formatTime(rider.lastLocationAt)}</small>}
      </p>
      {(!rider || rider.status === 'OFFLINE') && (
        <button
          type="button"
          disabled={goingOnline.loading}
          onClick={() => void goOnline({ variables: { location } }).catch(() => undefined)}
        >
          Go online
        </button>
      )}
      {rider?.status === 'AVAILABLE' && !rider.activeDelivery && (
        <>
          <Offer />
          <button
            type="button"
            className="secondary"
            disabled={goingOffline.loading}
            onClick={() => void goOffline().catch(() => undefined)}
          >
            Go offline
          </button>
        </>
      )}
      {rider?.activeDelivery && (
        <ActiveDelivery delivery={rider.activeDelivery} riderAt={location} />
      )}
      <ErrorNote error={goingOnline.error ?? goingOffline.error} />
    </section>
  );
}

function Offer() {
  const { data } = useQuery(MyDeliveryOfferDocument, { pollInterval: 1000 });
  const [accept, accepting] = useMutation(AcceptDeliveryOfferDocument, refetchProfile);
  const [decline, declining] = useMutation(DeclineDeliveryOfferDocument, {
    refetchQueries: [MyDeliveryOfferDocument],
  });
  const offer = data?.myDeliveryOffer;
  if (!offer) return <p data-testid="no-offer">Waiting for an offer…</p>;
  const variables = { deliveryId: offer.delivery.id };
  return (
    <div className="card" data-testid="offer">
      <p>
        <strong>New delivery</strong> · {offer.delivery.distanceMeters} m from the shop to the
        customer · answer before {formatTime(offer.expiresAt)}
      </p>
      <button
        type="button"
        disabled={accepting.loading}
        onClick={() => void accept({ variables }).catch(() => undefined)}
      >
        Accept
      </button>{' '}
      <button
        type="button"
        className="secondary"
        disabled={declining.loading}
        onClick={() => void decline({ variables }).catch(() => undefined)}
      >
        Decline
      </button>
      <ErrorNote error={accepting.error ?? declining.error} />
    </div>
  );
}

const stepLabel: Record<string, string> = {
  ASSIGNED: 'On the way to the shop',
  ARRIVED_AT_MERCHANT: 'Waiting at the shop',
  PICKED_UP: 'On the way to the customer',
};

function ActiveDelivery({
  delivery,
  riderAt,
}: {
  delivery: RiderDeliveryFragment;
  riderAt: Point;
}) {
  // Who and where: readable by the assigned rider once the order has heard of the assignment.
  const details = useQuery(MyActiveDeliveryDocument, { errorPolicy: 'all', pollInterval: 5000 });
  const order = details.data?.myActiveDelivery?.order;
  const variables = { deliveryId: delivery.id };
  const [arrived, arriving] = useMutation(ArrivedAtMerchantDocument);
  const [pickedUp, pickingUp] = useMutation(PickedUpDocument);
  const [delivered, delivering] = useMutation(DeliveredDocument, refetchProfile);
  const [report, reporting] = useMutation(UpdateLocationDocument);
  const target =
    delivery.status === 'PICKED_UP' ? delivery.dropoffLocation : delivery.pickupLocation;
  const ride = () =>
    void report({
      variables: {
        location: stepTowards(riderAt, { latitude: target.latitude, longitude: target.longitude }),
      },
    }).catch(() => undefined);
  return (
    <div className="card" data-testid="active-delivery" data-status={delivery.status}>
      <p>
        <strong>{stepLabel[delivery.status] ?? delivery.status}</strong>
        {order && (
          <span>
            {' '}
            · {order.orderNumber}: {order.merchant.name} → {order.address.contactName},{' '}
            {order.address.detail}
          </span>
        )}
        {delivery.etaSeconds !== null && delivery.etaSeconds !== undefined && (
          <small> · ETA {Math.round(delivery.etaSeconds / 60)} min</small>
        )}
      </p>
      <div className="actions">
        <button type="button" disabled={reporting.loading} onClick={ride}>
          {delivery.status === 'PICKED_UP' ? 'Ride towards the customer' : 'Ride towards the shop'}
        </button>
        {delivery.status === 'ASSIGNED' && (
          <button
            type="button"
            disabled={arriving.loading}
            onClick={() => void arrived({ variables }).catch(() => undefined)}
          >
            Arrived at the shop
          </button>
        )}
        {delivery.status === 'ARRIVED_AT_MERCHANT' && (
          <button
            type="button"
            disabled={pickingUp.loading}
            onClick={() => void pickedUp({ variables }).catch(() => undefined)}
          >
            Picked up
          </button>
        )}
        {delivery.status === 'PICKED_UP' && (
          <button
            type="button"
            disabled={delivering.loading}
            onClick={() => void delivered({ variables }).catch(() => undefined)}
          >
            Delivered
          </button>
        )}
      </div>
      <ErrorNote error={arriving.error ?? pickingUp.error ?? delivering.error ?? reporting.error} />
    </div>
  );
}
