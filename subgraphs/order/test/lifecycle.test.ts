import type { Role } from '@sky/auth';
import { Outbox, RedisStreamTransport, scheduleJob, type DomainEvent } from '@sky/events';
import { createLogger } from '@sky/logging';
import { orderForPayment } from '@sky/contracts';
import { callInternal, requestInternal } from '@sky/server-kit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, OrderStatus } from '../src/stores/index.ts';
import {
  codeOf,
  eventsOf,
  insertOrder,
  ok,
  orderSnapshot,
  startOrderSubgraph,
  waitFor,
  type OrderHarness,
} from './harness.ts';

/**
 * The order lifecycle on the order subgraph alone: every state × action × role of the transition
 * table (docs/architecture.md, section 5), concurrent changes, the payment-timeout timer, payment
 * events (through Redis Streams, as in production), reminders, the merchant console's lists and
 * the internal endpoint for payment.
 */

let h: OrderHarness;
let transport: RedisStreamTransport;
const logger = createLogger('order-test', 'silent');

const merchantId = randomUUID();
const otherMerchantId = randomUUID();
const people = {
  customer: { userId: randomUUID(), roles: ['CUSTOMER'] as Role[] },
  otherCustomer: { userId: randomUUID(), roles: ['CUSTOMER'] as Role[] },
  ownStaff: { userId: randomUUID(), roles: ['MERCHANT_STAFF'] as Role[], merchantId },
  otherStaff: {
    userId: randomUUID(),
    roles: ['MERCHANT_STAFF'] as Role[],
    merchantId: otherMerchantId,
  },
  rider: { userId: randomUUID(), roles: ['RIDER'] as Role[] },
  admin: { userId: randomUUID(), roles: ['ADMIN'] as Role[] },
};
type Person = keyof typeof people;
const tokens = {} as Record<Person, string>;

beforeAll(async () => {
  h = await startOrderSubgraph();
  for (const [name, claims] of Object.entries(people)) tokens[name as Person] = h.token(claims);
  transport = new RedisStreamTransport(h.env.REDIS_URL!, h.env.EVENT_NAMESPACE!, logger);
});
afterAll(async () => {
  await transport?.close();
  await h?.stop();
});

const newOrder = (status: OrderStatus, extra: { payStatus?: 'UNPAID' | 'PAID' } = {}) =>
  insertOrder(h.subgraph, { customerId: people.customer.userId, merchantId, status, ...extra });

const STATUSES: OrderStatus[] = [
  'PENDING_PAYMENT',
  'TO_BE_CONFIRMED',
  'CONFIRMED',
  'DELIVERY_IN_PROGRESS',
  'COMPLETED',
  'CANCELLED',
];

const ORDER_FIELDS = `id status payStatus version cancelReason rejectionReason cancelledBy
  statusHistory { from to actor actorUserId reason }`;

/** docs/architecture.md section 5, written out independently of the code's table. */
const ACTIONS: Record<
  string,
  {
    mutation: string;
    roles: Person[];
    from: OrderStatus[];
    to: OrderStatus;
    reason: string | null;
  }
> = {
  cancelOrder: {
    mutation: `mutation($id: ID!, $reason: String) { result: cancelOrder(id: $id, reason: $reason) { ${ORDER_FIELDS} } }`,
    roles: ['customer'],
    from: ['PENDING_PAYMENT', 'TO_BE_CONFIRMED'],
    to: 'CANCELLED',
    reason: 'changed my mind',
  },
  acceptOrder: {
    mutation: `mutation($id: ID!) { result: acceptOrder(id: $id) { ${ORDER_FIELDS} } }`,
    roles: ['ownStaff', 'admin'],
    from: ['TO_BE_CONFIRMED'],
    to: 'CONFIRMED',
    reason: null,
  },
  acceptWithPrep: {
    mutation: `mutation($id: ID!) { result: acceptOrder(id: $id, prepMinutes: 25) { ${ORDER_FIELDS} } }`,
    roles: ['ownStaff', 'admin'],
    from: ['TO_BE_CONFIRMED'],
    to: 'CONFIRMED',
    reason: null,
  },
  // A step within CONFIRMED, recorded in the history as CONFIRMED → CONFIRMED, once per order.
  markFoodReady: {
    mutation: `mutation($id: ID!) { result: markFoodReady(id: $id) { ${ORDER_FIELDS} } }`,
    roles: ['ownStaff', 'admin'],
    from: ['CONFIRMED'],
    to: 'CONFIRMED',
    reason: 'food ready',
  },
  rejectOrder: {
    mutation: `mutation($id: ID!, $reason: String!) { result: rejectOrder(id: $id, reason: $reason) { ${ORDER_FIELDS} } }`,
    roles: ['ownStaff', 'admin'],
    from: ['TO_BE_CONFIRMED'],
    to: 'CANCELLED',
    reason: 'out of noodles',
  },
  merchantCancelOrder: {
    mutation: `mutation($id: ID!, $reason: String!) { result: merchantCancelOrder(id: $id, reason: $reason) { ${ORDER_FIELDS} } }`,
    roles: ['ownStaff', 'admin'],
    from: ['CONFIRMED'],
    to: 'CANCELLED',
    reason: 'kitchen fire',
  },
  adminCancelOrder: {
    mutation: `mutation($id: ID!, $reason: String!) { result: adminCancelOrder(id: $id, reason: $reason) { ${ORDER_FIELDS} } }`,
    roles: ['admin'],
    from: ['PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'CONFIRMED', 'DELIVERY_IN_PROGRESS'],
    to: 'CANCELLED',
    reason: 'fraud check',
  },
};

const actorOf = (person: Person) =>
  person === 'customer' ? 'CUSTOMER' : person === 'admin' ? 'ADMIN' : 'MERCHANT';

interface OrderView {
  id: string;
  status: OrderStatus;
  payStatus: string;
  version: number;
  cancelReason: string | null;
  rejectionReason: string | null;
  cancelledBy: string | null;
  statusHistory: {
    from: string | null;
    to: string;
    actor: string;
    actorUserId: string | null;
    reason: string | null;
  }[];
}

describe('every state × action × role', () => {
  for (const [name, action] of Object.entries(ACTIONS)) {
    for (const person of Object.keys(people) as Person[]) {
      it(`${name} by ${person}`, async () => {
        for (const status of STATUSES) {
          const order = await newOrder(status);
          const before = await orderSnapshot(h.subgraph, order.id);
          const response = await h.run<{ result: OrderView }>(
            action.mutation,
            { id: order.id, reason: action.reason },
            tokens[person],
          );
          const label = `${name} by ${person} from ${status}`;
          if (!action.roles.includes(person) || !action.from.includes(status)) {
            expect(codeOf(response), label).toBe(
              action.roles.includes(person) ? 'INVALID_STATE_TRANSITION' : 'FORBIDDEN',
            );
            expect(await orderSnapshot(h.subgraph, order.id), label).toEqual(before);
            continue;
          }
          const result = ok(response).result;
          expect(result.status, label).toBe(action.to);
          expect(result.version, label).toBe(2);
          expect(result.statusHistory.at(-1), label).toEqual({
            from: status,
            to: action.to,
            actor: actorOf(person),
            actorUserId: people[person].userId,
            reason: action.reason,
          });
          const types = (await eventsOf(h.subgraph, order.id)).map((e) => e.type).sort();
          // Food ready changes no status: only delivery hears of it.
          const expected =
            name === 'markFoodReady' ? ['order.food_ready'] : ['order.status_changed'];
          if (action.to === 'CANCELLED') expected.push('order.cancelled');
          if (action.to === 'CONFIRMED' && name !== 'markFoodReady') {
            expected.push('order.confirmed');
          }
          expect(types, label).toEqual(expected.sort());
          if (action.to === 'CANCELLED') {
            expect(result.cancelledBy, label).toBe(actorOf(person));
            if (name === 'rejectOrder') expect(result.rejectionReason).toBe(action.reason);
            else expect(result.cancelReason).toBe(action.reason);
            const cancelled = (await eventsOf(h.subgraph, order.id)).find(
              (e) => e.type === 'order.cancelled',
            )!;
            expect(cancelled.payload, label).toMatchObject({
              orderId: order.id,
              customerId: people.customer.userId,
              merchantId,
              previousStatus: status,
              wasPaid: status !== 'PENDING_PAYMENT',
              actor: actorOf(person),
            });
          }
        }
      });
    }
  }

  it('requestRefund by every role from every status: the customer, from COMPLETED only', async () => {
    const mutation = `mutation($id: ID!, $key: String!) { result: requestRefund(input: { orderId: $id, amount: 100, reason: "missing", idempotencyKey: $key }) { status order { ${ORDER_FIELDS} } } }`;
    for (const person of Object.keys(people) as Person[]) {
      for (const status of STATUSES) {
        const order = await newOrder(status);
        const before = await orderSnapshot(h.subgraph, order.id);
        const response = await h.run<{ result: { status: string; order: OrderView } }>(
          mutation,
          { id: order.id, key: randomUUID() },
          tokens[person],
        );
        const label = `requestRefund by ${person} from ${status}`;
        if (person !== 'customer' || status !== 'COMPLETED') {
          expect(codeOf(response), label).toBe(
            person === 'customer' ? 'INVALID_STATE_TRANSITION' : 'FORBIDDEN',
          );
          expect(await orderSnapshot(h.subgraph, order.id), label).toEqual(before);
          continue;
        }
        const { result } = ok(response);
        expect(result.status, label).toBe('PENDING');
        expect(result.order.version, label).toBe(2);
        expect(result.order.statusHistory.at(-1), label).toEqual({
          from: 'COMPLETED',
          to: 'COMPLETED',
          actor: 'CUSTOMER',
          actorUserId: people.customer.userId,
          reason: 'after-sale refund requested: missing',
        });
        // Nothing for other subgraphs until a decision approves it.
        expect(await eventsOf(h.subgraph, order.id), label).toEqual([]);
      }
    }
  });

  it('refuses an unknown order: NOT_FOUND for admins, FORBIDDEN for others', async () => {
    const id = randomUUID();
    const admin = await h.run(
      ACTIONS.adminCancelOrder!.mutation,
      { id, reason: 'x' },
      tokens.admin,
    );
    expect(codeOf(admin)).toBe('NOT_FOUND');
    const customer = await h.run(ACTIONS.cancelOrder!.mutation, { id }, tokens.customer);
    expect(codeOf(customer)).toBe('FORBIDDEN');
  });

  it('needs a reason to reject and refuses anonymous callers', async () => {
    const order = await newOrder('TO_BE_CONFIRMED');
    const blank = await h.run(
      ACTIONS.rejectOrder!.mutation,
      { id: order.id, reason: '  ' },
      tokens.ownStaff,
    );
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(blank.errors?.[0]?.extensions?.field).toBe('reason');
    const anonymous = await h.run(ACTIONS.acceptOrder!.mutation, { id: order.id });
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    expect((await orderSnapshot(h.subgraph, order.id)).order?.status).toBe('TO_BE_CONFIRMED');
  });
});

describe('concurrent changes', () => {
  it('lets exactly one of ten concurrent accepts through', async () => {
    const order = await newOrder('TO_BE_CONFIRMED');
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.run(ACTIONS.acceptOrder!.mutation, { id: order.id }, tokens.ownStaff),
      ),
    );
    expect(responses.filter((r) => !r.errors)).toHaveLength(1);
    expect(responses.filter((r) => codeOf(r) === 'INVALID_STATE_TRANSITION')).toHaveLength(9);
    const after = await orderSnapshot(h.subgraph, order.id);
    expect(after.order).toMatchObject({ status: 'CONFIRMED', version: 2 });
    expect(after.history).toBe(2);
  });

  it('settles a race between the customer cancelling and the merchant accepting', async () => {
    for (let round = 0; round < 5; round++) {
      const order = await newOrder('TO_BE_CONFIRMED');
      const [cancel, accept] = await Promise.all([
        h.run(ACTIONS.cancelOrder!.mutation, { id: order.id }, tokens.customer),
        h.run(ACTIONS.acceptOrder!.mutation, { id: order.id }, tokens.ownStaff),
      ]);
      expect([cancel, accept].filter((r) => !r.errors)).toHaveLength(1);
      const after = await orderSnapshot(h.subgraph, order.id);
      expect(after.order!.version).toBe(2);
      expect(after.history).toBe(2);
      expect(after.order!.status).toBe(cancel.errors ? 'CONFIRMED' : 'CANCELLED');
    }
  });
});

async function scheduleTimeout(orderId: string, dueAt = new Date()) {
  await h.subgraph.prisma.$transaction((tx) =>
    scheduleJob(tx, {
      kind: 'order.payment_timeout',
      key: `payment-timeout:${orderId}`,
      dueAt,
      payload: { orderId },
    }),
  );
}

const jobExists = async (orderId: string) =>
  (await h.subgraph.prisma.scheduledJob.count({ where: { key: `payment-timeout:${orderId}` } })) >
  0;

describe('payment timeout (durable timer)', () => {
  it('cancels an order that is still unpaid, once, as the system', async () => {
    const order = await newOrder('PENDING_PAYMENT');
    await scheduleTimeout(order.id);
    const cancelled = await waitFor(async () => {
      const row = await h.subgraph.prisma.order.findUnique({ where: { id: order.id } });
      return row?.status === 'CANCELLED' ? row : null;
    }, 'the timeout to cancel the order');
    expect(cancelled).toMatchObject({
      cancelledBy: 'SYSTEM',
      cancelReason: 'payment timeout',
      payStatus: 'UNPAID',
      version: 2,
    });
    await waitFor(async () => !(await jobExists(order.id)), 'the job to be deleted');
    const events = await eventsOf(h.subgraph, order.id);
    expect(events.find((e) => e.type === 'order.cancelled')?.payload).toMatchObject({
      previousStatus: 'PENDING_PAYMENT',
      wasPaid: false,
      actor: 'SYSTEM',
    });
    // Running the job again (as after a crash before its deletion) changes nothing.
    await scheduleTimeout(order.id);
    await waitFor(async () => !(await jobExists(order.id)), 'the repeated job to run');
    expect((await orderSnapshot(h.subgraph, order.id)).history).toBe(2);
  });

  it('leaves a paid order alone', async () => {
    const order = await newOrder('TO_BE_CONFIRMED');
    const before = await orderSnapshot(h.subgraph, order.id);
    await scheduleTimeout(order.id);
    await waitFor(async () => !(await jobExists(order.id)), 'the job to run');
    expect(await orderSnapshot(h.subgraph, order.id)).toEqual(before);
  });
});

/** A payment event as the payment subgraph writes it (its contract: @sky/contracts). */
function paymentEvent(type: string, orderId: string, payload: Record<string, unknown> = {}) {
  const amount = { amount: 4200, currency: 'CNY' };
  const now = new Date().toISOString();
  const defaults =
    type === 'payment.refunded'
      ? { refundId: randomUUID(), amount, at: now }
      : { amount, paidAt: now };
  return {
    id: randomUUID(),
    type,
    producer: 'payment',
    aggregateType: 'Payment',
    aggregateId: randomUUID(),
    payload: { orderId, paymentId: randomUUID(), ...defaults, ...payload },
    createdAt: new Date().toISOString(),
  } satisfies DomainEvent;
}

const publish = (event: DomainEvent) => transport.append('events', JSON.stringify(event));

const processed = async (eventId: string) =>
  (await h.subgraph.prisma.processedEvent.count({ where: { eventId } })) === 1;

describe('payment events', () => {
  it('payment.succeeded moves an unpaid order to TO_BE_CONFIRMED once, even delivered twice', async () => {
    const order = await newOrder('PENDING_PAYMENT');
    await scheduleTimeout(order.id, new Date(Date.now() + 600_000));
    const paidAt = '2026-11-25T08:00:00.000Z';
    const event = paymentEvent('payment.succeeded', order.id, {
      paidAt,
      amount: { amount: order.totalAmount, currency: 'CNY' },
    });
    await publish(event);
    await publish(event);
    // A second, distinct success for the same order (a duplicate callback) changes nothing more.
    const second = paymentEvent('payment.succeeded', order.id, { paidAt });
    await publish(second);
    await waitFor(() => processed(second.id), 'both events to be handled');
    const after = await orderSnapshot(h.subgraph, order.id);
    expect(after.order).toMatchObject({
      status: 'TO_BE_CONFIRMED',
      payStatus: 'PAID',
      paidAt: new Date(paidAt),
      version: 2,
    });
    expect(after.history).toBe(2);
    const history = await h.subgraph.prisma.orderStatusChange.findMany({
      where: { orderId: order.id, version: 2 },
    });
    expect(history[0]).toMatchObject({ actor: 'SYSTEM', actorUserId: null });
    expect(
      (await eventsOf(h.subgraph, order.id)).filter((e) => e.type === 'order.status_changed'),
    ).toHaveLength(1);
    expect(await jobExists(order.id)).toBe(false);
  });

  it('payment.succeeded for a cancelled order changes nothing (payment refunds it)', async () => {
    const order = await newOrder('CANCELLED', { payStatus: 'UNPAID' });
    const before = await orderSnapshot(h.subgraph, order.id);
    const event = paymentEvent('payment.succeeded', order.id);
    await publish(event);
    await waitFor(() => processed(event.id), 'the event to be handled');
    expect(await orderSnapshot(h.subgraph, order.id)).toEqual(before);
  });

  it('the handler itself is a no-op for an order that already left PENDING_PAYMENT', async () => {
    const order = await newOrder('CONFIRMED');
    const before = await orderSnapshot(h.subgraph, order.id);
    const afterCommit: (() => unknown)[] = [];
    await h.subgraph.handleEvent(paymentEvent('payment.succeeded', order.id), (work) =>
      h.subgraph.prisma.$transaction((tx) =>
        work({ tx, outbox: new Outbox(tx), afterCommit: (callback) => afterCommit.push(callback) }),
      ),
    );
    expect(afterCommit).toHaveLength(0);
    expect(await orderSnapshot(h.subgraph, order.id)).toEqual(before);
  });

  it('payment.refunded marks a cancelled paid order REFUNDED', async () => {
    const order = await newOrder('TO_BE_CONFIRMED');
    ok(await h.run(ACTIONS.cancelOrder!.mutation, { id: order.id }, tokens.customer));
    const event = paymentEvent('payment.refunded', order.id, {
      refundId: randomUUID(),
      amount: { amount: order.totalAmount, currency: 'CNY' },
    });
    await publish(event);
    await waitFor(() => processed(event.id), 'the refund event to be handled');
    const row = await h.subgraph.prisma.order.findUnique({ where: { id: order.id } });
    expect(row).toMatchObject({ status: 'CANCELLED', payStatus: 'REFUNDED', version: 3 });
  });
});

const REMIND = `mutation($id: ID!) { remindOrder(id: $id) {
  order { id lastRemindedAt } remindedAt nextReminderAllowedAt } }`;

describe('remindOrder (催单)', () => {
  it('reaches the merchant once per interval, only while paid and not picked up', async () => {
    const order = await newOrder('CONFIRMED');
    const first = ok(
      await h.run<{
        remindOrder: { remindedAt: string; nextReminderAllowedAt: string; order: { id: string } };
      }>(REMIND, { id: order.id }, tokens.customer),
    ).remindOrder;
    expect(
      new Date(first.nextReminderAllowedAt).getTime() - new Date(first.remindedAt).getTime(),
    ).toBe(300_000);
    const events = (await eventsOf(h.subgraph, order.id)).filter(
      (e) => e.type === 'order.reminded',
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.payload).toMatchObject({ orderId: order.id, merchantId });

    const again = await h.run(REMIND, { id: order.id }, tokens.customer);
    expect(codeOf(again)).toBe('RATE_LIMITED');
    expect(again.errors?.[0]?.extensions?.retryAfterSeconds).toBeGreaterThan(0);

    // Once the interval has passed, the next reminder goes through.
    await h.subgraph.prisma.order.update({
      where: { id: order.id },
      data: { lastRemindedAt: new Date(Date.now() - 301_000) },
    });
    ok(await h.run(REMIND, { id: order.id }, tokens.customer));
  });

  it('refuses other statuses, other people and concurrent repeats', async () => {
    const unpaid = await newOrder('PENDING_PAYMENT');
    expect(codeOf(await h.run(REMIND, { id: unpaid.id }, tokens.customer))).toBe(
      'INVALID_STATE_TRANSITION',
    );
    const order = await newOrder('TO_BE_CONFIRMED');
    for (const person of ['otherCustomer', 'ownStaff', 'rider', 'admin'] as const) {
      expect(codeOf(await h.run(REMIND, { id: order.id }, tokens[person])), person).toBe(
        'FORBIDDEN',
      );
    }
    const burst = await Promise.all(
      Array.from({ length: 5 }, () => h.run(REMIND, { id: order.id }, tokens.customer)),
    );
    expect(burst.filter((r) => !r.errors)).toHaveLength(1);
    expect(burst.filter((r) => codeOf(r) === 'RATE_LIMITED')).toHaveLength(4);
  });
});

const MERCHANT_ORDERS = `query($merchantId: ID!, $filter: MerchantOrderFilter, $first: Int, $after: String) {
  merchantOrders(merchantId: $merchantId, filter: $filter, first: $first, after: $after) {
    edges { cursor node { id status orderNumber address { phone } } }
    pageInfo { hasNextPage endCursor }
  }
}`;
const COUNTS = `query($merchantId: ID!) { merchantOrderCounts(merchantId: $merchantId) { status count } }`;

describe("the merchant console's views", () => {
  let shopId: string;
  let staffToken: string;
  const orders: Order[] = [];

  beforeAll(async () => {
    shopId = randomUUID();
    staffToken = h.token({ userId: randomUUID(), roles: ['MERCHANT_STAFF'], merchantId: shopId });
    for (const status of [
      'TO_BE_CONFIRMED',
      'TO_BE_CONFIRMED',
      'CONFIRMED',
      'CANCELLED',
    ] as const) {
      orders.push(
        await insertOrder(h.subgraph, {
          customerId: people.customer.userId,
          merchantId: shopId,
          status,
        }),
      );
    }
    await h.subgraph.prisma.order.update({
      where: { id: orders[2]!.id },
      data: { addressPhone: '13912345678' },
    });
  });

  it("lists, filters and pages the merchant's orders", async () => {
    type Page = {
      merchantOrders: {
        edges: { node: { id: string; status: string; orderNumber: string } }[];
        pageInfo: { hasNextPage: boolean; endCursor: string };
      };
    };
    const all = ok(await h.run<Page>(MERCHANT_ORDERS, { merchantId: shopId }, staffToken));
    expect(all.merchantOrders.edges).toHaveLength(4);
    const waiting = ok(
      await h.run<Page>(
        MERCHANT_ORDERS,
        { merchantId: shopId, filter: { status: 'TO_BE_CONFIRMED' } },
        staffToken,
      ),
    );
    expect(waiting.merchantOrders.edges.map((e) => e.node.status)).toEqual([
      'TO_BE_CONFIRMED',
      'TO_BE_CONFIRMED',
    ]);
    const byPhone = ok(
      await h.run<Page>(
        MERCHANT_ORDERS,
        { merchantId: shopId, filter: { phone: '5678' } },
        staffToken,
      ),
    );
    expect(byPhone.merchantOrders.edges.map((e) => e.node.id)).toEqual([orders[2]!.id]);
    const byNumber = ok(
      await h.run<Page>(
        MERCHANT_ORDERS,
        { merchantId: shopId, filter: { orderNumber: orders[3]!.orderNumber } },
        staffToken,
      ),
    );
    expect(byNumber.merchantOrders.edges.map((e) => e.node.id)).toEqual([orders[3]!.id]);
    const future = ok(
      await h.run<Page>(
        MERCHANT_ORDERS,
        { merchantId: shopId, filter: { from: new Date(Date.now() + 60_000).toISOString() } },
        staffToken,
      ),
    );
    expect(future.merchantOrders.edges).toHaveLength(0);
    const first = ok(
      await h.run<Page>(MERCHANT_ORDERS, { merchantId: shopId, first: 3 }, staffToken),
    );
    expect(first.merchantOrders.pageInfo.hasNextPage).toBe(true);
    const rest = ok(
      await h.run<Page>(
        MERCHANT_ORDERS,
        { merchantId: shopId, first: 3, after: first.merchantOrders.pageInfo.endCursor },
        staffToken,
      ),
    );
    const ids = [...first.merchantOrders.edges, ...rest.merchantOrders.edges].map((e) => e.node.id);
    expect(new Set(ids)).toEqual(new Set(orders.map((o) => o.id)));
  });

  it('counts per status, zeros included', async () => {
    const counts = ok(
      await h.run<{ merchantOrderCounts: { status: string; count: number }[] }>(
        COUNTS,
        { merchantId: shopId },
        staffToken,
      ),
    ).merchantOrderCounts;
    expect(counts).toEqual([
      { status: 'PENDING_PAYMENT', count: 0 },
      { status: 'TO_BE_CONFIRMED', count: 2 },
      { status: 'CONFIRMED', count: 1 },
      { status: 'DELIVERY_IN_PROGRESS', count: 0 },
      { status: 'COMPLETED', count: 0 },
      { status: 'CANCELLED', count: 1 },
    ]);
  });

  it("is for the merchant's staff and admins only", async () => {
    expect(ok(await h.run(COUNTS, { merchantId: shopId }, tokens.admin))).toBeTruthy();
    for (const person of ['ownStaff', 'customer', 'rider'] as const) {
      expect(codeOf(await h.run(COUNTS, { merchantId: shopId }, tokens[person])), person).toBe(
        'FORBIDDEN',
      );
      expect(
        codeOf(await h.run(MERCHANT_ORDERS, { merchantId: shopId }, tokens[person])),
        person,
      ).toBe('FORBIDDEN');
    }
  });
});

describe('internal endpoint order-for-payment', () => {
  const options = () => ({
    baseUrl: h.url,
    token: h.env.INTERNAL_API_TOKEN!,
    timeoutMs: 5_000,
  });

  it("answers the order's server-side total and state", async () => {
    const order = await newOrder('PENDING_PAYMENT');
    const answer = await callInternal(orderForPayment, options(), { orderId: order.id });
    expect(answer).toEqual({
      orderId: order.id,
      orderNumber: order.orderNumber,
      customerId: people.customer.userId,
      merchantId,
      status: 'PENDING_PAYMENT',
      payStatus: 'UNPAID',
      total: { amount: 4200, currency: 'CNY' },
      paymentDueAt: order.paymentDueAt!.toISOString(),
    });
  });

  it('refuses unknown orders and callers without the service token', async () => {
    await expect(
      callInternal(orderForPayment, options(), { orderId: randomUUID() }),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    await expect(
      callInternal(
        orderForPayment,
        { ...options(), token: 'x'.repeat(40) },
        {
          orderId: randomUUID(),
        },
      ),
    ).rejects.toThrow(/HTTP 401/);
  });

  it('refuses a body that breaks its contract, naming the field, and changes nothing', async () => {
    const order = await newOrder('PENDING_PAYMENT');
    const before = await orderSnapshot(h.subgraph, order.id);
    for (const body of [{ orderId: 42 }, {}, { orderId: null }]) {
      await expect(requestInternal(options(), 'order-for-payment', body)).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', field: 'orderId' },
      });
    }
    expect(await orderSnapshot(h.subgraph, order.id)).toEqual(before);
  });
});
