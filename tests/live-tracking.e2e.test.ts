import { findDemoUser } from '@sky/demo-data';
import { createGateway, loadConfig as loadGatewayConfig } from '@sky/gateway';
import { createOrderSubgraph, loadConfig as loadOrderConfig } from '@sky/subgraph-order';
import { graphql, testSettings } from '@sky/testkit';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import { tokenSigner } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  completePayment,
  dishNamed,
  newCustomer,
  noodleHouse,
  ok,
  ORDERING_ENV,
  orderOneDish,
  payOrder,
  type Customer,
} from './flows.ts';
import { signIn } from './helpers.ts';
import { subscribe } from './live.ts';

/** Live tracking through the one gateway endpoint, in server mode (Redis pub/sub between instances). */
const TRACK = `
  subscription Track($orderId: ID!) {
    tracked: orderStatusChanged(orderId: $orderId) { status version ...WhoDelivers }
  }
  fragment WhoDelivers on Order { delivery { status rider { user { name } } } }
`;
interface Tracked {
  status: string;
  version: number;
  delivery: { status: string; rider: { user: { name: string } } | null } | null;
}

let supergraph: TestSupergraph;
let staff: string;
let rider: string;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  supergraph = await startTestSupergraph({
    env: {
      ...ORDERING_ENV,
      OFFER_TIMEOUT_SECONDS: '60',
      DISPATCH_RETRY_SECONDS: '1',
      LOCATION_MIN_INTERVAL_MS: '1',
    },
  });
  staff = await signIn(supergraph.gatewayUrl, 'staff-noodle-house');
  rider = await signIn(supergraph.gatewayUrl, 'rider-li');
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await supergraph?.stop();
});

const beef = () => dishNamed(noodleHouse, '红烧牛肉面').id;
const mutate = async (token: string, query: string, variables: Record<string, unknown>) =>
  ok(await graphql<Record<string, unknown>>(supergraph.gatewayUrl, query, { token, variables }));

async function placeAndPay(customer: Customer): Promise<string> {
  const orderId = await orderOneDish(
    supergraph.gatewayUrl,
    customer,
    noodleHouse.id,
    beef(),
    '微辣 Mild',
  );
  const payment = ok(await payOrder(supergraph.gatewayUrl, customer.token, orderId)).payOrder;
  await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
  return orderId;
}

/** The rider's offer for this order's delivery, once dispatch has made it (others declined). */
async function offeredDelivery(orderId: string): Promise<string> {
  for (let i = 0; i < 400; i++) {
    const offer = await graphql<{
      myDeliveryOffer: { delivery: { id: string; order: { id: string } } } | null;
    }>(supergraph.gatewayUrl, '{ myDeliveryOffer { delivery { id order { id } } } }', {
      token: rider,
    });
    const delivery = offer.data?.myDeliveryOffer?.delivery;
    if (delivery?.order.id === orderId) return delivery.id;
    if (delivery) {
      // An offer left over from another test's order: pass it on.
      await graphql(
        supergraph.gatewayUrl,
        'mutation($id: ID!) { declineDeliveryOffer(deliveryId: $id) { deliveryId } }',
        {
          token: rider,
          variables: { id: delivery.id },
        },
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no offer for this order reached the rider');
}

/**
 * The merchant accepts and the kitchen is done at once: dispatch holds a rider's offer until the
 * food is about ready (docs/architecture.md, 11.2), so these tests mark it ready to get a rider now.
 */
async function acceptReady(orderId: string) {
  await mutate(staff, 'mutation($id: ID!) { acceptOrder(id: $id) { status } }', { id: orderId });
  await mutate(staff, 'mutation($id: ID!) { markFoodReady(id: $id) { status } }', { id: orderId });
}

const statusesOf = (messages: Tracked[]) =>
  messages.map((m) => m.status).filter((status, i, all) => i === 0 || all[i - 1] !== status);

describe('a customer tracking an order live through the gateway', () => {
  it('sees every status in order, the rider from the moment one is assigned, and courier locations with ETA', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(gateway, customer, noodleHouse.id, beef(), '微辣 Mild');
    const tracking = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    cleanup.push(tracking.stop);
    await tracking.until((m) => m.length >= 1);
    expect(tracking.messages[0]!.status).toBe('PENDING_PAYMENT');

    const payment = ok(await payOrder(gateway, customer.token, orderId)).payOrder;
    await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
    await tracking.until((m) => m.some((x) => x.status === 'TO_BE_CONFIRMED'));
    await acceptReady(orderId);
    await tracking.until((m) => m.some((x) => x.status === 'CONFIRMED'));

    const deliveryId = await offeredDelivery(orderId);
    await mutate(rider, 'mutation($id: ID!) { acceptDeliveryOffer(deliveryId: $id) { status } }', {
      id: deliveryId,
    });
    await tracking.until((m) =>
      m.some((x) => x.delivery?.rider?.user.name === findDemoUser('rider-li').name),
    );

    const courier = subscribe<{
      version: number;
      etaSeconds: number | null;
      riderLocation: { latitude: number } | null;
    }>(
      gateway,
      customer.token,
      'subscription($orderId: ID!) { courierLocation(orderId: $orderId) { version etaSeconds riderLocation { latitude longitude } } }',
      { orderId },
    );
    cleanup.push(courier.stop);
    await courier.until((m) => m.length >= 1);
    await mutate(rider, 'mutation($id: ID!) { arrivedAtMerchant(deliveryId: $id) { status } }', {
      id: deliveryId,
    });
    await mutate(rider, 'mutation($id: ID!) { pickedUp(deliveryId: $id) { status } }', {
      id: deliveryId,
    });
    await tracking.until((m) => m.some((x) => x.status === 'DELIVERY_IN_PROGRESS'));
    const firstEta = courier.messages.at(-1)?.etaSeconds;
    await new Promise((r) => setTimeout(r, 20));
    await mutate(
      rider,
      'mutation($at: GeoPointInput!) { updateLocation(location: $at) { status } }',
      {
        at: { latitude: 31.2318, longitude: 121.4745 },
      },
    );
    await courier.until((m) => m.some((x) => x.riderLocation?.latitude === 31.2318));
    const located = courier.messages.find((x) => x.riderLocation?.latitude === 31.2318)!;
    expect(located.etaSeconds).not.toBeNull();
    expect(located.etaSeconds).not.toBe(firstEta);

    await mutate(rider, 'mutation($id: ID!) { delivered(deliveryId: $id) { status } }', {
      id: deliveryId,
    });
    await tracking.until((m) => m.some((x) => x.status === 'COMPLETED'));

    expect(statusesOf(tracking.messages)).toEqual([
      'PENDING_PAYMENT',
      'TO_BE_CONFIRMED',
      'CONFIRMED',
      'DELIVERY_IN_PROGRESS',
      'COMPLETED',
    ]);
    const versions = tracking.messages.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    const assignedAt = tracking.messages.findIndex((m) => m.delivery?.rider);
    expect(
      tracking.messages
        .slice(assignedAt)
        .every((m) => m.delivery?.rider?.user.name === findDemoUser('rider-li').name),
    ).toBe(true);
    const courierVersions = courier.messages.map((m) => m.version);
    expect(new Set(courierVersions).size).toBe(courierVersions.length);
    expect(tracking.errors).toEqual([]);
  });

  it('refuses a stranger with FORBIDDEN and sends no events', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const stranger = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(gateway, customer, noodleHouse.id, beef(), '微辣 Mild');
    const spying = subscribe<Tracked>(gateway, stranger.token, TRACK, { orderId });
    cleanup.push(spying.stop);
    await spying.until(() => spying.errors.length > 0 || spying.completed, 10_000).catch(() => {});
    expect(spying.errors.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(spying.messages).toEqual([]);
  });

  it('gives a reconnecting client the current state first', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await placeAndPay(customer);
    const first = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    await first.until((m) => m.some((x) => x.status === 'TO_BE_CONFIRMED'));
    await first.stop();
    await acceptReady(orderId);
    const again = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    cleanup.push(again.stop);
    await again.until((m) => m.length >= 1);
    expect(again.messages[0]!.status).toBe('CONFIRMED');
  });

  it('gives a second identical subscriber joining a shared stream the current state first, then the same changes', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await placeAndPay(customer);
    // The same customer on two devices: the gateway reads one upstream subscription for both.
    const phone = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    cleanup.push(phone.stop);
    await phone.until((m) => m.some((x) => x.status === 'TO_BE_CONFIRMED'));
    const tablet = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    cleanup.push(tablet.stop);
    await tablet.until((m) => m.length >= 1);
    expect(tablet.messages[0]!.status).toBe('TO_BE_CONFIRMED');
    expect(tablet.messages[0]!.version).toBe(phone.messages.at(-1)!.version);
    await mutate(staff, 'mutation($id: ID!) { acceptOrder(id: $id) { status } }', { id: orderId });
    await phone.until((m) => m.some((x) => x.status === 'CONFIRMED'));
    await tablet.until((m) => m.some((x) => x.status === 'CONFIRMED'));
    expect(statusesOf(tablet.messages)).toEqual(['TO_BE_CONFIRMED', 'CONFIRMED']);
    const versions = tablet.messages.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
  });

  it('ends a subscription whose token expires with UNAUTHENTICATED and close code 4401', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(gateway, customer, noodleHouse.id, beef(), '微辣 Mild');
    const shortLived = tokenSigner(supergraph.keys, 2).signAccessToken({
      userId: customer.userId,
      roles: ['CUSTOMER'],
      merchantId: null,
    }).token;
    const tracking = subscribe<Tracked>(gateway, shortLived, TRACK, { orderId });
    cleanup.push(tracking.stop);
    await tracking.until((m) => m.length >= 1);
    await tracking.until(() => tracking.closeCode !== null, 10_000);
    expect(tracking.closeCode).toBe(4401);
    expect(tracking.errors.map((e) => e.extensions?.code)).toContain('UNAUTHENTICATED');
  });

  it('stops sending a rider the events of an order they were unassigned from', async () => {
    const gateway = supergraph.gatewayUrl;
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await placeAndPay(customer);
    await new Promise((r) => setTimeout(r, 300));
    await acceptReady(orderId);
    const deliveryId = await offeredDelivery(orderId);
    await mutate(rider, 'mutation($id: ID!) { acceptDeliveryOffer(deliveryId: $id) { status } }', {
      id: deliveryId,
    });
    // The order subgraph learns of the assignment through delivery.assigned; until then the rider
    // may not read the order.
    for (let i = 0; i < 200; i++) {
      const visible = await graphql(gateway, 'query($id: ID!) { order(id: $id) { id } }', {
        token: rider,
        variables: { id: orderId },
      });
      if (visible.data?.order) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const riderView = subscribe<Tracked>(gateway, rider, TRACK, { orderId });
    cleanup.push(riderView.stop);
    await riderView.until((m) => m.length >= 1);
    // The merchant cancels before pickup: the delivery is withdrawn and the rider unassigned.
    await mutate(
      staff,
      'mutation($id: ID!) { merchantCancelOrder(id: $id, reason: "kitchen closed") { status } }',
      {
        id: orderId,
      },
    );
    await riderView.until(() => riderView.errors.length > 0 || riderView.completed, 20_000);
    expect(riderView.errors.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    const seen = riderView.messages.length;
    await new Promise((r) => setTimeout(r, 500));
    expect(riderView.messages.length).toBe(seen);
  });
});

describe('two gateway instances over Redis', () => {
  it('delivers to a client on one gateway the events caused through the other', async () => {
    // A second order subgraph instance (same database, same Redis) behind a second gateway.
    const orderUrl = supergraph.subgraphUrls.order!;
    const secondOrder = await createOrderSubgraph(
      loadOrderConfig({
        ...supergraph.sharedEnv,
        SKY_MODE: 'server',
        REDIS_URL: testSettings.TEST_REDIS_URL,
        DATABASE_URL: supergraph.databases.order!.url,
        SUBGRAPH_USER_URL: supergraph.subgraphUrls.user,
        SUBGRAPH_CATALOG_URL: supergraph.subgraphUrls.catalog,
      }),
    );
    const { url: secondOrderUrl } = await secondOrder.listen(0);
    cleanup.push(secondOrder.close);
    expect(secondOrderUrl).not.toBe(orderUrl);
    const overrides = Object.fromEntries(
      Object.entries({ ...supergraph.subgraphUrls, order: secondOrderUrl }).map(([name, url]) => [
        `SUBGRAPH_${name.toUpperCase()}_URL`,
        url,
      ]),
    );
    const secondGateway = await createGateway(
      loadGatewayConfig({ ...supergraph.sharedEnv, ...overrides }),
    );
    const { url: secondGatewayUrl } = await secondGateway.listen(0);
    cleanup.push(secondGateway.stop);

    const customer = await newCustomer(supergraph.gatewayUrl, noodleHouse);
    const orderId = await placeAndPay(customer);
    const onSecond = subscribe<Tracked>(secondGatewayUrl, customer.token, TRACK, { orderId });
    cleanup.push(onSecond.stop);
    await onSecond.until((m) => m.some((x) => x.status === 'TO_BE_CONFIRMED'));
    // Accepted through the first gateway (and the first order instance).
    await acceptReady(orderId);
    await onSecond.until((m) => m.some((x) => x.status === 'CONFIRMED'));
  });
});
