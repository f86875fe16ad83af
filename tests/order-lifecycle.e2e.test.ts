import { errorCodes, graphql } from '@sky/testkit';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  dishNamed,
  newCustomer,
  noodleHouse,
  ok,
  ORDERING_ENV,
  orderOneDish,
  orderState,
  paidOrder,
  type Customer,
} from './flows.ts';
import { signIn } from './helpers.ts';

/**
 * The transition table of docs/architecture.md (section 5) through the gateway: every state a
 * merchant-side flow reaches × every action × every role. Allowed pairs move the order; every other pair is refused with
 * INVALID_STATE_TRANSITION or FORBIDDEN and changes nothing.
 */
type State = 'PENDING_PAYMENT' | 'TO_BE_CONFIRMED' | 'CONFIRMED' | 'CANCELLED';
type Role = 'customer' | 'ownStaff' | 'otherStaff' | 'rider' | 'admin';
type Action =
  | 'cancelOrder'
  | 'acceptOrder'
  | 'acceptWithPrep'
  | 'markFoodReady'
  | 'rejectOrder'
  | 'merchantCancelOrder'
  | 'adminCancelOrder'
  | 'requestRefund';

const ACTIONS: Record<Action, { mutation: string; roles: Role[]; from: State[]; to: State }> = {
  cancelOrder: {
    mutation: 'mutation($id: ID!) { cancelOrder(id: $id, reason: "no longer hungry") { status } }',
    roles: ['customer'],
    from: ['PENDING_PAYMENT', 'TO_BE_CONFIRMED'],
    to: 'CANCELLED',
  },
  acceptOrder: {
    mutation: 'mutation($id: ID!) { acceptOrder(id: $id) { status } }',
    roles: ['ownStaff', 'admin'],
    from: ['TO_BE_CONFIRMED'],
    to: 'CONFIRMED',
  },
  acceptWithPrep: {
    mutation: 'mutation($id: ID!) { acceptOrder(id: $id, prepMinutes: 25) { status } }',
    roles: ['ownStaff', 'admin'],
    from: ['TO_BE_CONFIRMED'],
    to: 'CONFIRMED',
  },
  // A step within CONFIRMED (recorded in the history as CONFIRMED → CONFIRMED), once per order.
  markFoodReady: {
    mutation: 'mutation($id: ID!) { markFoodReady(id: $id) { status } }',
    roles: ['ownStaff', 'admin'],
    from: ['CONFIRMED'],
    to: 'CONFIRMED',
  },
  rejectOrder: {
    mutation: 'mutation($id: ID!) { rejectOrder(id: $id, reason: "out of noodles") { status } }',
    roles: ['ownStaff', 'admin'],
    from: ['TO_BE_CONFIRMED'],
    to: 'CANCELLED',
  },
  merchantCancelOrder: {
    mutation:
      'mutation($id: ID!) { merchantCancelOrder(id: $id, reason: "kitchen fire") { status } }',
    roles: ['ownStaff', 'admin'],
    from: ['CONFIRMED'],
    to: 'CANCELLED',
  },
  adminCancelOrder: {
    mutation: 'mutation($id: ID!) { adminCancelOrder(id: $id, reason: "fraud check") { status } }',
    roles: ['admin'],
    from: ['PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'CONFIRMED'],
    to: 'CANCELLED',
  },
  // After-sale: only from COMPLETED (tests/after-sale.e2e.test.ts goes there, with the request's
  // own decision × role × state table); refused from every state here.
  requestRefund: {
    mutation:
      'mutation($id: ID!) { requestRefund(input: { orderId: $id, amount: 100, reason: "missing", idempotencyKey: "table" }) { id } }',
    roles: ['customer'],
    from: [],
    to: 'CANCELLED',
  },
};
const STATES: State[] = ['PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'CONFIRMED', 'CANCELLED'];
const ROLES: Role[] = ['customer', 'ownStaff', 'otherStaff', 'rider', 'admin'];

let supergraph: TestSupergraph;
let customer: Customer;
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: ORDERING_ENV });
  const gateway = supergraph.gatewayUrl;
  customer = await newCustomer(gateway, noodleHouse);
  tokens.customer = customer.token;
  tokens.ownStaff = await signIn(gateway, 'staff-noodle-house');
  tokens.otherStaff = await signIn(gateway, 'staff-golden-dumpling');
  tokens.rider = await signIn(gateway, 'rider-li');
  tokens.admin = await signIn(gateway, 'admin');
});
afterAll(async () => {
  await supergraph?.stop();
});

/** A fresh order of the customer's, brought to `state` through the real flows. */
async function orderIn(state: State): Promise<string> {
  const gateway = supergraph.gatewayUrl;
  const beef = dishNamed(noodleHouse, '红烧牛肉面').id;
  if (state === 'PENDING_PAYMENT' || state === 'CANCELLED') {
    const id = await orderOneDish(gateway, customer, noodleHouse.id, beef, '微辣 Mild');
    if (state === 'CANCELLED') {
      ok(
        await graphql(gateway, ACTIONS.cancelOrder.mutation, {
          token: customer.token,
          variables: { id },
        }),
      );
    }
    return id;
  }
  const id = await paidOrder(
    gateway,
    supergraph.paymentSandboxUrl,
    customer,
    noodleHouse.id,
    beef,
    '微辣 Mild',
  );
  if (state === 'CONFIRMED') {
    ok(
      await graphql(gateway, ACTIONS.acceptOrder.mutation, {
        token: tokens.ownStaff,
        variables: { id },
      }),
    );
  }
  return id;
}

describe('every state × action × role through the gateway', () => {
  for (const state of STATES) {
    it(`from ${state}`, async () => {
      const gateway = supergraph.gatewayUrl;
      // Refusals first, all on one order, which must come out unchanged.
      const shared = await orderIn(state);
      // Status, payment and history are what an action changes; the version may also move when
      // the delivery subgraph reports (e.g. no rider yet), which is not the action's doing.
      const snapshot = async () => {
        const { version: _version, ...rest } = (await orderState(gateway, customer.token, shared))!;
        return rest;
      };
      const before = await snapshot();
      expect(before?.status).toBe(state);
      const allowed: [Action, Role][] = [];
      for (const [action, rule] of Object.entries(ACTIONS) as [
        Action,
        (typeof ACTIONS)[Action],
      ][]) {
        for (const role of ROLES) {
          const permitted = rule.roles.includes(role);
          if (permitted && rule.from.includes(state)) {
            allowed.push([action, role]);
            continue;
          }
          const response = await graphql(gateway, rule.mutation, {
            token: tokens[role],
            variables: { id: shared },
          });
          const expected = permitted ? 'INVALID_STATE_TRANSITION' : 'FORBIDDEN';
          expect({ action, role, codes: errorCodes(response) }).toEqual({
            action,
            role,
            codes: [expected],
          });
        }
      }
      expect(await snapshot()).toEqual(before);

      // Each allowed pair on its own fresh order.
      for (const [action, role] of allowed) {
        const id = await orderIn(state);
        const response = await graphql<Record<string, { status: string }>>(
          gateway,
          ACTIONS[action].mutation,
          {
            token: tokens[role],
            variables: { id },
          },
        );
        expect({ action, role, errors: response.errors }).toEqual({
          action,
          role,
          errors: undefined,
        });
        const after = await orderState(gateway, customer.token, id);
        expect({ action, role, status: after?.status }).toEqual({
          action,
          role,
          status: ACTIONS[action].to,
        });
        expect(after?.statusHistory.at(-1)?.to).toBe(ACTIONS[action].to);
      }
    });
  }
});
