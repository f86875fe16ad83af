/**
 * Router-ready: the committed supergraph served by Hive Gateway (@graphql-hive/gateway) instead
 * of ours, in front of the same subgraphs, unchanged. A frontend's flow runs through it: sign-up,
 * an order placed and paid, the order read with fields from all five subgraphs, and live
 * tracking over graphql-ws, whose events carry fields other subgraphs own. If this holds, a team
 * that outgrows the Node gateway can put a Rust router (Apollo Router, Hive Router) in its place.
 */
import { graphql } from '@sky/testkit';
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
  waitForOrder,
} from './flows.ts';
import { signIn } from './helpers.ts';
import { startHiveGateway, type HiveGateway } from './hive-gateway.ts';
import { subscribe } from './live.ts';
import { ORDER_ACROSS_ALL_SUBGRAPHS } from './operations.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

const TRACK = `
  subscription Track($orderId: ID!) {
    orderStatusChanged(orderId: $orderId) {
      status
      version
      merchant { name }
      items { dish { name } }
    }
  }
`;
interface Tracked {
  status: string;
  version: number;
  merchant: { name: string };
  items: { dish: { name: string } }[];
}

let supergraph: TestSupergraph;
let hive: HiveGateway;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: ORDERING_ENV });
  hive = await startHiveGateway(supergraph.subgraphUrls);
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await hive?.stop();
  await supergraph?.stop();
});

const beef = () => dishNamed(noodleHouse, '红烧牛肉面');

describe('Hive Gateway in front of the same subgraphs', () => {
  it('runs the ordering flow and answers the cross-subgraph query as our gateway does', async () => {
    const customer = await newCustomer(hive.url, noodleHouse);
    const orderId = await orderOneDish(hive.url, customer, noodleHouse.id, beef().id, '微辣 Mild');
    const payment = ok(await payOrder(hive.url, customer.token, orderId)).payOrder;
    await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
    // The order learns of the payment from an event: read it once that has arrived.
    await waitForOrder(hive.url, customer.token, orderId, {
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
    });

    const read = (url: string) =>
      graphql<{ order: Record<string, unknown> }>(url, ORDER_ACROSS_ALL_SUBGRAPHS, {
        token: customer.token,
        variables: { id: orderId },
      });
    const throughHive = ok(await read(hive.url)).order;
    expect(throughHive).toMatchObject({
      customer: { name: 'Test Customer' },
      merchant: { name: noodleHouse.name },
      items: [{ quantity: 1, dish: { name: beef().name } }],
      payment: { amount: { amount: (throughHive.total as { amount: number }).amount } },
    });
    expect(throughHive).toEqual(ok(await read(supergraph.gatewayUrl)).order);
  });

  it('forwards the Authorization header: no token or another customer cannot read the order', async () => {
    const owner = await newCustomer(hive.url, noodleHouse);
    const stranger = await newCustomer(hive.url, noodleHouse);
    const orderId = await orderOneDish(hive.url, owner, noodleHouse.id, beef().id, '微辣 Mild');
    const query = 'query($id: ID!) { order(id: $id) { id } }';
    const asStranger = await graphql(hive.url, query, {
      token: stranger.token,
      variables: { id: orderId },
    });
    expect(asStranger.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    const anonymous = await graphql(hive.url, query, { variables: { id: orderId } });
    expect(anonymous.errors?.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('tracks an order live over graphql-ws, each event completed from the other subgraphs', async () => {
    const customer = await newCustomer(hive.url, noodleHouse);
    const staff = await signIn(hive.url, 'staff-noodle-house');
    const orderId = await orderOneDish(hive.url, customer, noodleHouse.id, beef().id, '微辣 Mild');
    const tracking = subscribe<Tracked>(hive.url, customer.token, TRACK, { orderId });
    cleanup.push(tracking.stop);
    await tracking.until((m) => m.length >= 1);

    const payment = ok(await payOrder(hive.url, customer.token, orderId)).payOrder;
    await completePayment(supergraph.paymentSandboxUrl, payment.providerPaymentId);
    await tracking.until((m) => m.some((x) => x.status === 'TO_BE_CONFIRMED'));
    ok(
      await graphql(hive.url, 'mutation($id: ID!) { acceptOrder(id: $id) { status } }', {
        token: staff,
        variables: { id: orderId },
      }),
    );
    await tracking.until((m) => m.some((x) => x.status === 'CONFIRMED'));

    const statuses = tracking.messages.map((m) => m.status);
    expect(statuses.filter((s, i) => i === 0 || statuses[i - 1] !== s)).toEqual([
      'PENDING_PAYMENT',
      'TO_BE_CONFIRMED',
      'CONFIRMED',
    ]);
    for (const event of tracking.messages) {
      expect(event.merchant.name).toBe(noodleHouse.name);
      expect(event.items.map((item) => item.dish.name)).toEqual([beef().name]);
    }
    const versions = tracking.messages.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(tracking.errors).toEqual([]);
  });

  it("refuses another customer's subscription with FORBIDDEN from the owning subgraph", async () => {
    const owner = await newCustomer(hive.url, noodleHouse);
    const stranger = await newCustomer(hive.url, noodleHouse);
    const orderId = await orderOneDish(hive.url, owner, noodleHouse.id, beef().id, '微辣 Mild');
    const spying = subscribe<Tracked>(hive.url, stranger.token, TRACK, { orderId });
    cleanup.push(spying.stop);
    await spying.until(() => spying.errors.length > 0 || spying.completed);
    expect(spying.errors.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
    expect(spying.messages).toEqual([]);
  });
});
