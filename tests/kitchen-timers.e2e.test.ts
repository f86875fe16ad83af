import { errorCodes, graphql } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dishNamed,
  newCustomer,
  noodleHouse,
  ok,
  ORDERING_ENV,
  paidOrder,
  waitForOrder,
  type Customer,
} from './flows.ts';
import { signIn } from './helpers.ts';
import { subscribe, type Recording } from './live.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * The kitchen and the timers through the gateway in server mode (docs/architecture.md, 11.2):
 * accept with a prep time, food ready, the rider's offer held until the food is ready and pushed
 * on `deliveryOffers`, a delivery auto-completed by SYSTEM, a paid order auto-rejected and
 * refunded. Timers run with durations of seconds.
 */

const ACCEPT_TIMEOUT_SECONDS = 30;

let supergraph: TestSupergraph;
let customer: Customer;
let staff: string;
let otherStaff: string;
let rider: string;
let admin: string;
const cleanup: (() => Promise<void>)[] = [];

const gateway = () => supergraph.gatewayUrl;
const beef = () => dishNamed(noodleHouse, '红烧牛肉面').id;
const call = (token: string | null, query: string, variables: Record<string, unknown> = {}) =>
  graphql<Record<string, unknown>>(gateway(), query, { token: token ?? undefined, variables });
const mutate = async (token: string, query: string, variables: Record<string, unknown>) =>
  ok(await call(token, query, variables));

const ACCEPT = `mutation($id: ID!, $prep: Int) {
  acceptOrder(id: $id, prepMinutes: $prep) { status prepMinutes confirmedAt estimatedReadyAt estimatedDeliveryAt }
}`;
const FOOD_READY = 'mutation($id: ID!) { markFoodReady(id: $id) { status foodReadyAt } }';
const KITCHEN = `query($id: ID!) { order(id: $id) {
  status payStatus cancelledBy rejectionReason prepMinutes estimatedReadyAt foodReadyAt estimatedDeliveryAt
  statusHistory { from to actor reason prepMinutes }
  delivery { id status }
} }`;
const OFFERS = `subscription { deliveryOffers {
  kind offerId deliveryId merchant { id name } pickupDistanceMeters deliveryDistanceMeters expiresAt
} }`;

interface Kitchen {
  status: string;
  payStatus: string;
  cancelledBy: string | null;
  rejectionReason: string | null;
  prepMinutes: number | null;
  estimatedReadyAt: string | null;
  foodReadyAt: string | null;
  estimatedDeliveryAt: string | null;
  statusHistory: {
    from: string | null;
    to: string;
    actor: string;
    reason: string | null;
    prepMinutes: number | null;
  }[];
  delivery: { id: string; status: string } | null;
}
interface OfferEvent {
  kind: string;
  offerId: string;
  deliveryId: string;
  merchant: { id: string; name: string };
  pickupDistanceMeters: number | null;
  deliveryDistanceMeters: number;
  expiresAt: string;
}

async function kitchen(orderId: string, token = customer.token): Promise<Kitchen> {
  return (ok(await call(token, KITCHEN, { id: orderId })) as { order: Kitchen }).order;
}

/** Polls the order until `predicate` holds (the events between subgraphs take a moment). */
async function kitchenUntil(orderId: string, predicate: (order: Kitchen) => boolean) {
  let order = await kitchen(orderId);
  for (let i = 0; i < 600 && !predicate(order); i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    order = await kitchen(orderId);
  }
  expect(predicate(order), JSON.stringify(order)).toBe(true);
  return order;
}

function watchOffers(token: string | null): Recording<OfferEvent> {
  const recording = subscribe<OfferEvent>(gateway(), token, OFFERS, {});
  cleanup.push(recording.stop);
  return recording;
}

const newPaidOrder = () =>
  paidOrder(gateway(), supergraph.paymentSandboxUrl, customer, noodleHouse.id, beef(), '微辣 Mild');

beforeAll(async () => {
  supergraph = await startTestSupergraph({
    env: {
      ...ORDERING_ENV,
      ACCEPT_TIMEOUT_SECONDS: String(ACCEPT_TIMEOUT_SECONDS),
      DELIVERY_AUTO_COMPLETE_SECONDS: '2',
      OFFER_TIMEOUT_SECONDS: '60',
      DISPATCH_RETRY_SECONDS: '1',
      LOCATION_MIN_INTERVAL_MS: '1',
    },
  });
  customer = await newCustomer(gateway(), noodleHouse);
  staff = await signIn(gateway(), 'staff-noodle-house');
  otherStaff = await signIn(gateway(), 'staff-golden-dumpling');
  rider = await signIn(gateway(), 'rider-li');
  admin = await signIn(gateway(), 'admin');
  // At the shop's door: the nearest rider to every noodle-house pickup. (The demo rider may be
  // online already, which keeps the old position: the location report moves it.)
  const door = { latitude: noodleHouse.latitude, longitude: noodleHouse.longitude };
  await mutate(rider, 'mutation($at: GeoPointInput!) { goOnline(location: $at) { status } }', {
    at: door,
  });
  await mutate(
    rider,
    'mutation($at: GeoPointInput!) { updateLocation(location: $at) { status } }',
    {
      at: door,
    },
  );
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await supergraph?.stop();
});

describe('deliveryOffers', () => {
  it('is for riders only', async () => {
    const stranger = watchOffers(customer.token);
    const anonymous = watchOffers(null);
    const merchant = watchOffers(staff);
    await stranger.until(() => stranger.errors.length > 0 || stranger.completed);
    await anonymous.until(() => anonymous.errors.length > 0 || anonymous.completed);
    await merchant.until(() => merchant.errors.length > 0 || merchant.completed);
    expect(stranger.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(merchant.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(anonymous.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect([...stranger.messages, ...merchant.messages, ...anonymous.messages]).toEqual([]);
  });
});

describe('prep time, food ready and the timed offer', () => {
  it('accepts with a prep time, holds the offer until the food is ready, and auto-completes an undelivered delivery', async () => {
    const offers = watchOffers(rider);
    const orderId = await newPaidOrder();

    // A prep time out of range changes nothing; another merchant's staff may not accept.
    expect(errorCodes(await call(staff, ACCEPT, { id: orderId, prep: 0 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await call(staff, ACCEPT, { id: orderId, prep: 181 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await call(otherStaff, ACCEPT, { id: orderId, prep: 25 }))).toEqual([
      'FORBIDDEN',
    ]);
    expect((await kitchen(orderId)).status).toBe('TO_BE_CONFIRMED');

    const accepted = (
      (await mutate(staff, ACCEPT, { id: orderId, prep: 25 })) as {
        acceptOrder: {
          status: string;
          prepMinutes: number;
          confirmedAt: string;
          estimatedReadyAt: string;
          estimatedDeliveryAt: string;
        };
      }
    ).acceptOrder;
    expect(accepted.status).toBe('CONFIRMED');
    expect(accepted.prepMinutes).toBe(25);
    expect(Date.parse(accepted.estimatedReadyAt) - Date.parse(accepted.confirmedAt)).toBe(
      25 * 60_000,
    );
    // The customer's ETA: ready time plus the ride to the address.
    expect(Date.parse(accepted.estimatedDeliveryAt)).toBeGreaterThan(
      Date.parse(accepted.estimatedReadyAt),
    );

    // The delivery exists, but with the food 25 minutes off and the rider at the door, dispatch
    // holds the offer (decided in the transaction that created the delivery).
    const held = await kitchenUntil(orderId, (order) => order.delivery !== null);
    expect(held.delivery?.status).toBe('WAITING_FOR_RIDER');
    expect(held.statusHistory.at(-1)).toMatchObject({
      from: 'TO_BE_CONFIRMED',
      to: 'CONFIRMED',
      actor: 'MERCHANT',
      prepMinutes: 25,
    });
    const deliveryId = held.delivery!.id;
    expect(offers.messages.filter((m) => m.deliveryId === deliveryId)).toEqual([]);

    // Food ready: merchant staff of this merchant (and admins) only, once.
    for (const token of [otherStaff, customer.token, rider]) {
      expect(errorCodes(await call(token, FOOD_READY, { id: orderId }))).toEqual(['FORBIDDEN']);
    }
    const ready = (
      (await mutate(staff, FOOD_READY, { id: orderId })) as {
        markFoodReady: { status: string; foodReadyAt: string };
      }
    ).markFoodReady;
    expect(ready.status).toBe('CONFIRMED');
    expect(errorCodes(await call(staff, FOOD_READY, { id: orderId }))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    const afterReady = await kitchen(orderId);
    expect(afterReady.foodReadyAt).toBe(ready.foodReadyAt);
    expect(afterReady.statusHistory.at(-1)).toMatchObject({
      from: 'CONFIRMED',
      to: 'CONFIRMED',
      actor: 'MERCHANT',
      reason: 'food ready',
    });
    // The ETA now counts from the actual ready time, well before the estimated one.
    expect(Date.parse(afterReady.estimatedDeliveryAt!)).toBeLessThan(
      Date.parse(accepted.estimatedDeliveryAt),
    );

    // The held offer goes out at once, pushed to the rider with the merchant resolved by the gateway.
    await offers.until((m) => m.some((x) => x.deliveryId === deliveryId && x.kind === 'NEW'));
    const offer = offers.messages.find((x) => x.deliveryId === deliveryId)!;
    expect(offer.merchant).toEqual({ id: noodleHouse.id, name: noodleHouse.name });
    expect(offer.pickupDistanceMeters).toBe(0);
    expect(offer.deliveryDistanceMeters).toBeGreaterThan(0);

    // The rider takes it and picks it up, but never taps "delivered": the timer completes it.
    for (const step of ['acceptDeliveryOffer', 'arrivedAtMerchant', 'pickedUp']) {
      await mutate(rider, `mutation($id: ID!) { ${step}(deliveryId: $id) { status } }`, {
        id: deliveryId,
      });
    }
    const completed = await kitchenUntil(orderId, (order) => order.status === 'COMPLETED');
    expect(completed.statusHistory.at(-1)).toMatchObject({
      from: 'DELIVERY_IN_PROGRESS',
      to: 'COMPLETED',
      actor: 'SYSTEM',
    });
    expect(completed.delivery?.status).toBe('DELIVERED');
    // The rider's own tap, late, finds it done (a repeat of the step taken changes nothing).
    expect(
      await mutate(rider, 'mutation($id: ID!) { delivered(deliveryId: $id) { status } }', {
        id: deliveryId,
      }),
    ).toEqual({ delivered: { status: 'DELIVERED' } });
    expect((await kitchen(orderId)).statusHistory.at(-1)?.actor).toBe('SYSTEM');
  });

  it("uses the merchant's default prep time, and withdraws the rider's offer when the order is cancelled", async () => {
    await mutate(
      staff,
      'mutation($id: ID!, $input: UpdateMerchantInput!) { updateMerchant(merchantId: $id, input: $input) { defaultPrepMinutes } }',
      { id: noodleHouse.id, input: { defaultPrepMinutes: 40 } },
    );
    const offers = watchOffers(rider);
    const orderId = await newPaidOrder();
    const accepted = (
      (await mutate(admin, ACCEPT, { id: orderId })) as { acceptOrder: { prepMinutes: number } }
    ).acceptOrder;
    expect(accepted.prepMinutes).toBe(40);
    // An admin may mark the food ready too, as for the other merchant actions.
    await mutate(admin, FOOD_READY, { id: orderId });
    const { delivery } = await kitchenUntil(orderId, (order) => order.delivery !== null);
    await offers.until((m) => m.some((x) => x.deliveryId === delivery!.id && x.kind === 'NEW'));

    await mutate(
      staff,
      'mutation($id: ID!) { merchantCancelOrder(id: $id, reason: "out of beef") { status } }',
      { id: orderId },
    );
    await offers.until((m) =>
      m.some((x) => x.deliveryId === delivery!.id && x.kind === 'WITHDRAWN'),
    );
    expect(offers.messages.filter((x) => x.deliveryId === delivery!.id).map((x) => x.kind)).toEqual(
      ['NEW', 'WITHDRAWN'],
    );
  });
});

describe('the accept timer', () => {
  it('rejects a paid order the merchant left unanswered, as SYSTEM, and refunds it', async () => {
    const orderId = await newPaidOrder();
    await waitForOrder(
      gateway(),
      customer.token,
      orderId,
      { status: 'CANCELLED', payStatus: 'REFUNDED' },
      (ACCEPT_TIMEOUT_SECONDS + 60) * 1000,
    );
    const order = await kitchen(orderId);
    expect(order.cancelledBy).toBe('SYSTEM');
    expect(order.rejectionReason).toBe('merchant did not accept in time');
    expect(order.statusHistory.at(-1)).toMatchObject({
      from: 'TO_BE_CONFIRMED',
      to: 'CANCELLED',
      actor: 'SYSTEM',
    });
    // The merchant answering late changes nothing.
    expect(errorCodes(await call(staff, ACCEPT, { id: orderId, prep: 10 }))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
  }, 180_000);
});
