import { errorCodes, graphql } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  addToCart,
  completePayment,
  dishNamed,
  newCustomer,
  noodleHouse,
  ok,
  ORDERING_ENV,
  orderOneDish,
  paidOrder,
  payOrder,
  waitForOrder,
  type Customer,
} from './flows.ts';
import { signIn } from './helpers.ts';
import { subscribe } from './live.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * After-sale refunds and payment outcomes, through the gateway in server mode
 * (docs/architecture.md, section 11.3): a customer asks for a refund of a delivered order, the
 * merchant (or an admin) decides, payment refunds through the sandbox provider, and every step is
 * seen live by the merchant console and the customer's order tracking.
 */

const REQUEST = `
  mutation ($input: RequestRefundInput!) {
    requestRefund(input: $input) { id status amount { amount currency } items { quantity amount { amount } orderItem { id } } reason photoUrl }
  }
`;
const APPROVE = `
  mutation ($id: ID!) { approveRefundRequest(id: $id, note: "sorry") { id status decidedBy } }
`;
const REJECT = `
  mutation ($id: ID!) { rejectRefundRequest(id: $id, reason: "photo shows a full bowl") { id status decidedBy decisionReason } }
`;
const ORDER = `
  query ($id: ID!) {
    order(id: $id) {
      status payStatus version total { amount } refundedAmount { amount currency }
      items { id quantity unitPrice { amount } }
      refundRequests { id status amount { amount } refundedAt }
      statusHistory { from to actor reason }
      payment { status refunds { amount { amount } status reason } }
    }
  }
`;
const MERCHANT_FEED = `
  subscription ($merchantId: ID!) {
    merchantOrderEvents(merchantId: $merchantId) { kind order { id } refundRequest { id status amount { amount } } }
  }
`;
const TRACK = `
  subscription ($orderId: ID!) {
    orderStatusChanged(orderId: $orderId) {
      version status payStatus refundedAmount { amount }
      paymentFailure { outcome reason }
      payment { status }
    }
  }
`;

interface OrderView {
  status: string;
  payStatus: string;
  version: number;
  total: { amount: number };
  refundedAmount: { amount: number; currency: string };
  items: { id: string; quantity: number; unitPrice: { amount: number } }[];
  refundRequests: { id: string; status: string; amount: { amount: number } }[];
  statusHistory: { from: string | null; to: string; actor: string; reason: string | null }[];
  payment: { status: string; refunds: { amount: { amount: number }; status: string }[] } | null;
}
interface FeedEvent {
  kind: string;
  order: { id: string };
  refundRequest: { id: string; status: string; amount: { amount: number } } | null;
}
interface Tracked {
  version: number;
  status: string;
  payStatus: string;
  refundedAmount: { amount: number };
  paymentFailure: { outcome: string; reason: string } | null;
  payment: { status: string } | null;
}

let supergraph: TestSupergraph;
let gateway: string;
const tokens = {} as Record<'ownStaff' | 'otherStaff' | 'rider' | 'admin', string>;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  supergraph = await startTestSupergraph({
    env: {
      ...ORDERING_ENV,
      OFFER_TIMEOUT_SECONDS: '10',
      DISPATCH_RETRY_SECONDS: '1',
      // A payment the provider never confirms fails soon (the payment-timeout test).
      PAYMENT_RECONCILE_AFTER_SECONDS: '3',
      // Long enough for every test here; the seeded completed order (two days old) is outside.
      AFTER_SALE_WINDOW_SECONDS: '3600',
    },
  });
  gateway = supergraph.gatewayUrl;
  tokens.ownStaff = await signIn(gateway, 'staff-noodle-house');
  tokens.otherStaff = await signIn(gateway, 'staff-golden-dumpling');
  tokens.rider = await signIn(gateway, 'rider-li');
  tokens.admin = await signIn(gateway, 'admin');
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
  await supergraph?.stop();
});

const beef = () => dishNamed(noodleHouse, '红烧牛肉面').id;
const mutate = async (token: string, query: string, variables: Record<string, unknown>) =>
  ok(await graphql<Record<string, unknown>>(gateway, query, { token, variables }));
const orderView = async (token: string, id: string) =>
  ok(await graphql<{ order: OrderView }>(gateway, ORDER, { token, variables: { id } })).order;
const codesOf = async (token: string, query: string, variables: Record<string, unknown>) =>
  errorCodes(await graphql(gateway, query, { token, variables }));

/** The rider's offer for this order's delivery, once dispatch has made it. */
async function offeredDelivery(orderId: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const offer = await graphql<{
      myDeliveryOffer: { delivery: { id: string; order: { id: string } } } | null;
    }>(gateway, '{ myDeliveryOffer { delivery { id order { id } } } }', { token: tokens.rider });
    const delivery = offer.data?.myDeliveryOffer?.delivery;
    if (delivery?.order.id === orderId) return delivery.id;
    if (delivery) {
      await graphql(
        gateway,
        'mutation($id: ID!) { declineDeliveryOffer(deliveryId: $id) { deliveryId } }',
        { token: tokens.rider, variables: { id: delivery.id } },
      );
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('no offer for this order reached the rider');
}

/** A delivered order of a new customer: two portions of beef noodles, paid, accepted, delivered. */
async function completedOrder(): Promise<{ customer: Customer; orderId: string }> {
  const customer = await newCustomer(gateway, noodleHouse);
  ok(
    await addToCart(gateway, customer.token, {
      merchantId: noodleHouse.id,
      dishId: beef(),
      flavor: '微辣 Mild',
    }),
  );
  const orderId = await paidOrder(
    gateway,
    supergraph.paymentSandboxUrl,
    customer,
    noodleHouse.id,
    beef(),
    '微辣 Mild',
  );
  await mutate(tokens.ownStaff, 'mutation($id: ID!) { acceptOrder(id: $id) { status } }', {
    id: orderId,
  });
  // Dispatch holds the rider's offer until the food is about ready (docs/architecture.md, 11.2):
  // the kitchen is done at once here.
  await mutate(tokens.ownStaff, 'mutation($id: ID!) { markFoodReady(id: $id) { status } }', {
    id: orderId,
  });
  const deliveryId = await offeredDelivery(orderId);
  for (const step of ['acceptDeliveryOffer', 'arrivedAtMerchant', 'pickedUp', 'delivered']) {
    await mutate(tokens.rider, `mutation($id: ID!) { ${step}(deliveryId: $id) { status } }`, {
      id: deliveryId,
    });
  }
  await waitForOrder(gateway, customer.token, orderId, { status: 'COMPLETED' });
  return { customer, orderId };
}

const requestInput = (orderId: string, claim: Record<string, unknown>) => ({
  input: { orderId, reason: 'one bowl was missing', idempotencyKey: randomUUID(), ...claim },
});

async function waitForView(
  token: string,
  orderId: string,
  predicate: (view: OrderView) => boolean,
): Promise<OrderView> {
  const deadline = Date.now() + 20_000;
  let view = await orderView(token, orderId);
  while (!predicate(view)) {
    if (Date.now() > deadline) throw new Error(`order is ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 100));
    view = await orderView(token, orderId);
  }
  return view;
}

describe('after-sale refunds', () => {
  it('approves a refund of one portion: money back through the provider, amounts, history and live events right', async () => {
    const { customer, orderId } = await completedOrder();
    const feed = subscribe<FeedEvent>(gateway, tokens.ownStaff, MERCHANT_FEED, {
      merchantId: noodleHouse.id,
    });
    cleanup.push(feed.stop);
    // A feed sends nothing when it starts: give its subscription a moment to reach the subgraph.
    await new Promise((r) => setTimeout(r, 300));

    const before = await orderView(customer.token, orderId);
    const line = before.items[0]!;
    expect(line.quantity).toBe(2);
    const unit = line.unitPrice.amount;

    const created = ok(
      await graphql<{ requestRefund: { id: string; status: string; amount: { amount: number } } }>(
        gateway,
        REQUEST,
        {
          token: customer.token,
          variables: requestInput(orderId, {
            items: [{ orderItemId: line.id, quantity: 1 }],
            photoUrl: 'https://img.example.com/missing.jpg',
          }),
        },
      ),
    ).requestRefund;
    expect(created).toMatchObject({ status: 'PENDING', amount: { amount: unit } });
    // A delivered order with an open request is not final: its tracking follows the request.
    const tracking = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    cleanup.push(tracking.stop);
    await tracking.until((m) => m.length >= 1);

    await feed.until((m) =>
      m.some((e) => e.kind === 'REFUND_REQUESTED' && e.refundRequest?.id === created.id),
    );
    // Nobody but the merchant's staff or an admin decides.
    expect(await codesOf(customer.token, APPROVE, { id: created.id })).toEqual(['FORBIDDEN']);
    expect(await codesOf(tokens.otherStaff, APPROVE, { id: created.id })).toEqual(['FORBIDDEN']);
    expect(await codesOf(tokens.rider, REJECT, { id: created.id })).toEqual(['FORBIDDEN']);

    const approved = (await mutate(tokens.ownStaff, APPROVE, { id: created.id }))
      .approveRefundRequest as { status: string; decidedBy: string };
    expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: 'MERCHANT' });
    await feed.until((m) =>
      m.some((e) => e.kind === 'REFUND_APPROVED' && e.refundRequest?.id === created.id),
    );

    const after = await waitForView(customer.token, orderId, (v) => v.payStatus !== 'PAID');
    expect(after.payStatus).toBe('PARTIALLY_REFUNDED');
    expect(after.refundedAmount).toEqual({ amount: unit, currency: 'CNY' });
    expect(after.refundRequests).toEqual([
      expect.objectContaining({ id: created.id, status: 'REFUNDED', amount: { amount: unit } }),
    ]);
    // The provider paid exactly that much back; the payment itself stays SUCCEEDED (partly refunded).
    expect(after.payment?.status).toBe('SUCCEEDED');
    expect(after.payment?.refunds).toEqual([
      expect.objectContaining({ amount: { amount: unit }, status: 'SUCCEEDED' }),
    ]);
    expect(after.statusHistory.slice(-3).map((h) => [h.from, h.to, h.actor])).toEqual([
      ['COMPLETED', 'COMPLETED', 'CUSTOMER'],
      ['COMPLETED', 'COMPLETED', 'MERCHANT'],
      ['COMPLETED', 'COMPLETED', 'SYSTEM'],
    ]);
    expect(after.statusHistory.at(-1)?.reason).toMatch(/refund of .* paid/);

    // The customer's tracking saw the refund as a new version, then the stream ended.
    await tracking.until((m) => m.some((x) => x.payStatus === 'PARTIALLY_REFUNDED'));
    const versions = tracking.messages.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(tracking.messages.at(-1)).toMatchObject({
      payStatus: 'PARTIALLY_REFUNDED',
      refundedAmount: { amount: unit },
    });
    await tracking.until(() => tracking.completed);

    // What is left: one portion, total minus one portion.
    const overItems = await codesOf(
      customer.token,
      REQUEST,
      requestInput(orderId, { items: [{ orderItemId: line.id, quantity: 2 }] }),
    );
    expect(overItems).toEqual(['REFUND_EXCEEDS_REFUNDABLE']);
    const overAmount = await codesOf(
      customer.token,
      REQUEST,
      requestInput(orderId, { amount: after.total.amount - unit + 1 }),
    );
    expect(overAmount).toEqual(['REFUND_EXCEEDS_REFUNDABLE']);
    // A repeat decision refunds nothing more.
    expect(await codesOf(tokens.ownStaff, APPROVE, { id: created.id })).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    const final = await orderView(customer.token, orderId);
    expect(final.refundedAmount.amount).toBe(unit);
    expect(final.payment?.refunds).toHaveLength(1);
  });

  it('answers a repeated request with the same request, and refuses a second open one or a reused key', async () => {
    const { customer, orderId } = await completedOrder();
    const variables = requestInput(orderId, { amount: 100 });
    const first = ok(
      await graphql<{ requestRefund: { id: string } }>(gateway, REQUEST, {
        token: customer.token,
        variables,
      }),
    ).requestRefund;
    const again = ok(
      await graphql<{ requestRefund: { id: string } }>(gateway, REQUEST, {
        token: customer.token,
        variables,
      }),
    ).requestRefund;
    expect(again.id).toBe(first.id);
    expect(
      await codesOf(customer.token, REQUEST, {
        input: { ...variables.input, amount: 200 },
      }),
    ).toEqual(['IDEMPOTENCY_KEY_REUSED']);
    const second = await graphql(gateway, REQUEST, {
      token: customer.token,
      variables: requestInput(orderId, { amount: 50 }),
    });
    expect(errorCodes(second)).toEqual(['REFUND_REQUEST_OPEN']);
    expect(second.errors?.[0]?.extensions?.refundRequestId).toBe(first.id);
    const view = await orderView(customer.token, orderId);
    expect(view.refundRequests.map((r) => r.id)).toEqual([first.id]);

    // The entity through `_entities` (as the gateway would fetch it) keeps its ownership rule.
    const entity = (token: string) =>
      graphql<{ _entities: ({ id: string; status: string } | null)[] }>(
        supergraph.subgraphUrls.order!,
        'query($r: [_Any!]!) { _entities(representations: $r) { ... on RefundRequest { id status } } }',
        { token, variables: { r: [{ __typename: 'RefundRequest', id: first.id }] } },
      );
    expect((await entity(customer.token)).data?._entities).toEqual([
      { id: first.id, status: 'PENDING' },
    ]);
    const stranger = await newCustomer(gateway, noodleHouse);
    const spied = await entity(stranger.token);
    expect(errorCodes(spied)).toContain('FORBIDDEN');
    expect(JSON.stringify(spied.data)).not.toContain('PENDING');
  });

  it('rejects, and lets an admin override: every decision × role × request state', async () => {
    const { customer, orderId } = await completedOrder();
    const feed = subscribe<FeedEvent>(gateway, tokens.ownStaff, MERCHANT_FEED, {
      merchantId: noodleHouse.id,
    });
    cleanup.push(feed.stop);
    await new Promise((r) => setTimeout(r, 300));
    const stranger = await newCustomer(gateway, noodleHouse);
    const roles = { customer: customer.token, stranger: stranger.token, ...tokens };
    const { id } = ok(
      await graphql<{ requestRefund: { id: string } }>(gateway, REQUEST, {
        token: customer.token,
        variables: requestInput(orderId, { amount: 300 }),
      }),
    ).requestRefund;

    /** Who may decide is settled before the request's state: the rest is FORBIDDEN. */
    const table: Record<string, { APPROVE: string[]; REJECT: string[] }> = {
      // PENDING: own staff and admins may do both (checked by doing them below).
      PENDING: { APPROVE: ['ownStaff', 'admin'], REJECT: ['ownStaff', 'admin'] },
      // REJECTED: only an admin may still approve.
      REJECTED: { APPROVE: ['admin'], REJECT: [] },
      // REFUNDED: nothing.
      REFUNDED: { APPROVE: [], REJECT: [] },
    };
    const refusals = async (state: string) => {
      for (const [decision, document] of [
        ['APPROVE', APPROVE],
        ['REJECT', REJECT],
      ] as const) {
        for (const [role, token] of Object.entries(roles)) {
          if (table[state]![decision].includes(role)) continue;
          const mayDecide = role === 'ownStaff' || role === 'admin';
          expect({ state, decision, role, codes: await codesOf(token, document, { id }) }).toEqual({
            state,
            decision,
            role,
            codes: [mayDecide ? 'INVALID_STATE_TRANSITION' : 'FORBIDDEN'],
          });
        }
      }
    };

    await refusals('PENDING');
    const rejected = (await mutate(tokens.ownStaff, REJECT, { id })).rejectRefundRequest;
    expect(rejected).toMatchObject({
      status: 'REJECTED',
      decidedBy: 'MERCHANT',
      decisionReason: 'photo shows a full bowl',
    });
    await feed.until((m) =>
      m.some((e) => e.kind === 'REFUND_REJECTED' && e.refundRequest?.id === id),
    );
    // Rejected: the order is closed again, nothing refunded.
    let view = await orderView(customer.token, orderId);
    expect(view).toMatchObject({ payStatus: 'PAID', refundedAmount: { amount: 0 } });

    await refusals('REJECTED');
    const overridden = (await mutate(tokens.admin, APPROVE, { id })).approveRefundRequest;
    expect(overridden).toMatchObject({ status: 'APPROVED', decidedBy: 'ADMIN' });
    await feed.until((m) =>
      m.some((e) => e.kind === 'REFUND_APPROVED' && e.refundRequest?.id === id),
    );
    view = await waitForView(customer.token, orderId, (v) => v.refundedAmount.amount === 300);
    expect(view.payStatus).toBe('PARTIALLY_REFUNDED');
    expect(view.payment?.refunds.map((r) => r.amount.amount)).toEqual([300]);

    await refusals('REFUNDED');
    // The other merchant's feed never heard of it.
    const otherFeed = subscribe<FeedEvent>(gateway, tokens.otherStaff, MERCHANT_FEED, {
      merchantId: noodleHouse.id,
    });
    cleanup.push(otherFeed.stop);
    await otherFeed.until(() => otherFeed.errors.length > 0 || otherFeed.completed);
    expect(otherFeed.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    expect(otherFeed.messages).toEqual([]);
  });

  it('refuses requests outside the window, for orders not delivered, from strangers and with bad input', async () => {
    // The seeded order of the demo customer was delivered two days ago; the window is an hour.
    const alice = await signIn(gateway, 'alice');
    const mine = ok(
      await graphql<{ myOrders: { edges: { node: { id: string } }[] } }>(
        gateway,
        '{ myOrders(status: COMPLETED) { edges { node { id } } } }',
        { token: alice },
      ),
    ).myOrders.edges[0]!.node.id;
    const closed = await graphql(gateway, REQUEST, {
      token: alice,
      variables: requestInput(mine, { amount: 100 }),
    });
    expect(errorCodes(closed)).toEqual(['REFUND_WINDOW_CLOSED']);

    const customer = await newCustomer(gateway, noodleHouse);
    const unpaid = await orderOneDish(gateway, customer, noodleHouse.id, beef(), '微辣 Mild');
    expect(await codesOf(customer.token, REQUEST, requestInput(unpaid, { amount: 100 }))).toEqual([
      'INVALID_STATE_TRANSITION',
    ]);
    // Someone else's order, or a role that does not shop: FORBIDDEN, whatever its state.
    const stranger = await newCustomer(gateway, noodleHouse);
    expect(await codesOf(stranger.token, REQUEST, requestInput(mine, { amount: 100 }))).toEqual([
      'FORBIDDEN',
    ]);
    expect(await codesOf(tokens.ownStaff, REQUEST, requestInput(mine, { amount: 100 }))).toEqual([
      'FORBIDDEN',
    ]);
    const unauthenticated = await graphql(gateway, REQUEST, {
      variables: requestInput(mine, { amount: 100 }),
    });
    expect(errorCodes(unauthenticated)).toEqual(['UNAUTHENTICATED']);

    for (const [claim, field] of [
      [{ amount: 100, photoUrl: 'javascript:alert(1)' }, 'photoUrl'],
      [{ amount: 100, photoUrl: `https://x.example/${'a'.repeat(2000)}` }, 'photoUrl'],
      [{ amount: 0 }, 'amount'],
      [{ amount: 100, items: [{ orderItemId: randomUUID(), quantity: 1 }] }, 'items'],
      [{ items: [{ orderItemId: randomUUID(), quantity: 0 }] }, 'items.0.quantity'],
      [{}, 'items'],
      [{ amount: 100, reason: '  ' }, 'reason'],
    ] as const) {
      const refused = await graphql(gateway, REQUEST, {
        token: customer.token,
        variables: requestInput(unpaid, claim),
      });
      expect({ field, codes: errorCodes(refused) }).toEqual({
        field,
        codes: ['BAD_USER_INPUT'],
      });
      expect(refused.errors?.[0]?.extensions?.field).toBe(field);
    }
  });
});

describe('payment outcomes live', () => {
  it('a declined payment reaches orderStatusChanged as a new version; paying again works', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(gateway, customer, noodleHouse.id, beef(), '微辣 Mild');
    const tracking = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    cleanup.push(tracking.stop);
    await tracking.until((m) => m.length >= 1);
    const first = tracking.messages[0]!;
    expect(first.paymentFailure).toBeNull();

    const attempt = ok(
      await graphql<{ payOrder: { providerPaymentId: string } }>(
        gateway,
        'mutation($input: PayOrderInput!) { payOrder(input: $input) { providerPaymentId } }',
        {
          token: customer.token,
          variables: { input: { orderId, idempotencyKey: randomUUID(), testOutcome: 'DECLINE' } },
        },
      ),
    ).payOrder;
    await completePayment(supergraph.paymentSandboxUrl, attempt.providerPaymentId);
    await tracking.until((m) => m.some((x) => x.paymentFailure !== null));
    const declined = tracking.messages.find((x) => x.paymentFailure !== null)!;
    expect(declined).toMatchObject({
      status: 'PENDING_PAYMENT',
      payStatus: 'UNPAID',
      paymentFailure: { outcome: 'DECLINED' },
      payment: { status: 'DECLINED' },
    });
    expect(declined.version).toBeGreaterThan(first.version);

    // A new attempt succeeds: the failure is gone with the payment.
    const retry = ok(await payOrder(gateway, customer.token, orderId)).payOrder;
    await completePayment(supergraph.paymentSandboxUrl, retry.providerPaymentId);
    await tracking.until((m) => m.some((x) => x.status === 'TO_BE_CONFIRMED'));
    expect(tracking.messages.at(-1)).toMatchObject({
      payStatus: 'PAID',
      paymentFailure: null,
      payment: { status: 'SUCCEEDED' },
    });
  });

  it('a payment the provider never confirms reaches orderStatusChanged as FAILED', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await orderOneDish(gateway, customer, noodleHouse.id, beef(), '微辣 Mild');
    const tracking = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    cleanup.push(tracking.stop);
    await tracking.until((m) => m.length >= 1);
    ok(
      await graphql(
        gateway,
        'mutation($input: PayOrderInput!) { payOrder(input: $input) { id } }',
        {
          token: customer.token,
          variables: { input: { orderId, idempotencyKey: randomUUID(), testOutcome: 'TIMEOUT' } },
        },
      ),
    );
    await tracking.until((m) => m.some((x) => x.paymentFailure !== null));
    expect(tracking.messages.find((x) => x.paymentFailure !== null)).toMatchObject({
      status: 'PENDING_PAYMENT',
      paymentFailure: { outcome: 'FAILED' },
      payment: { status: 'FAILED' },
    });
  });

  it('a refund after cancellation reaches orderStatusChanged as REFUNDED, then the stream ends', async () => {
    const customer = await newCustomer(gateway, noodleHouse);
    const orderId = await paidOrder(
      gateway,
      supergraph.paymentSandboxUrl,
      customer,
      noodleHouse.id,
      beef(),
      '微辣 Mild',
    );
    const tracking = subscribe<Tracked>(gateway, customer.token, TRACK, { orderId });
    cleanup.push(tracking.stop);
    await tracking.until((m) => m.length >= 1);
    await mutate(customer.token, 'mutation($id: ID!) { cancelOrder(id: $id) { status } }', {
      id: orderId,
    });
    await tracking.until((m) => m.some((x) => x.payStatus === 'REFUNDED'));
    // A burst of changes may arrive as one message: the cancellation and the refund may be one.
    const states = tracking.messages.map((m) => [m.status, m.payStatus]);
    expect(states[0]).toEqual(['TO_BE_CONFIRMED', 'PAID']);
    expect(states.at(-1)).toEqual(['CANCELLED', 'REFUNDED']);
    const versions = tracking.messages.map((m) => m.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(tracking.messages.at(-1)?.payment?.status).toBe('REFUNDED');
    await tracking.until(() => tracking.completed);
  });
});
