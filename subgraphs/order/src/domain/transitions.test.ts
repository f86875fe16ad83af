import { describe, expect, it } from 'vitest';
import type { Role, Viewer } from '@sky/auth';
import type { OrderStatus } from '../stores/index.ts';
import {
  actionAllowed,
  actorFor,
  canTransition,
  ORDER_TRANSITIONS,
  type OrderAction,
} from './transitions.ts';

const STATUSES: OrderStatus[] = [
  'PENDING_PAYMENT',
  'TO_BE_CONFIRMED',
  'CONFIRMED',
  'DELIVERY_IN_PROGRESS',
  'COMPLETED',
  'CANCELLED',
];

/**
 * The transition table of docs/architecture.md (section 5) written out by hand: action → the
 * statuses it leaves from, and where it goes.
 */
const EXPECTED: Record<OrderAction, [OrderStatus[], OrderStatus]> = {
  CUSTOMER_CANCEL: [['PENDING_PAYMENT', 'TO_BE_CONFIRMED'], 'CANCELLED'],
  PAYMENT_SUCCEEDED: [['PENDING_PAYMENT'], 'TO_BE_CONFIRMED'],
  PAYMENT_TIMEOUT: [['PENDING_PAYMENT'], 'CANCELLED'],
  ACCEPT: [['TO_BE_CONFIRMED'], 'CONFIRMED'],
  REJECT: [['TO_BE_CONFIRMED'], 'CANCELLED'],
  MERCHANT_CANCEL: [['CONFIRMED'], 'CANCELLED'],
  ADMIN_CANCEL: [
    ['PENDING_PAYMENT', 'TO_BE_CONFIRMED', 'CONFIRMED', 'DELIVERY_IN_PROGRESS'],
    'CANCELLED',
  ],
  PICK_UP: [['CONFIRMED'], 'DELIVERY_IN_PROGRESS'],
  DELIVER: [['DELIVERY_IN_PROGRESS'], 'COMPLETED'],
  ACCEPT_TIMEOUT: [['TO_BE_CONFIRMED'], 'CANCELLED'],
  FOOD_READY: [['CONFIRMED'], 'CONFIRMED'],
};

describe('the transition table', () => {
  it('matches docs/architecture.md section 5 for every action and status', () => {
    for (const [action, [from, to]] of Object.entries(EXPECTED) as [
      OrderAction,
      [OrderStatus[], OrderStatus],
    ][]) {
      expect(ORDER_TRANSITIONS[action].to).toBe(to);
      for (const status of STATUSES) {
        expect(canTransition(action, status), `${action} from ${status}`).toBe(
          from.includes(status),
        );
      }
    }
  });

  it('lets food ready happen once per order', () => {
    expect(actionAllowed('FOOD_READY', { status: 'CONFIRMED', foodReadyAt: null })).toBe(true);
    expect(actionAllowed('FOOD_READY', { status: 'CONFIRMED', foodReadyAt: new Date() })).toBe(
      false,
    );
    expect(actionAllowed('FOOD_READY', { status: 'TO_BE_CONFIRMED', foodReadyAt: null })).toBe(
      false,
    );
  });

  it('has no way out of COMPLETED or CANCELLED', () => {
    for (const action of Object.keys(ORDER_TRANSITIONS) as OrderAction[]) {
      expect(canTransition(action, 'COMPLETED')).toBe(false);
      expect(canTransition(action, 'CANCELLED')).toBe(false);
    }
  });
});

const customerId = '11111111-1111-4111-a111-111111111111';
const merchantId = '22222222-2222-4222-a222-222222222222';
const order = { customerId, merchantId };
const viewer = (userId: string, roles: Role[], staffOf: string | null = null): Viewer => ({
  userId,
  roles,
  merchantId: staffOf,
  expiresAt: 0,
  token: '',
});
const customer = viewer(customerId, ['CUSTOMER']);
const otherCustomer = viewer('33333333-3333-4333-a333-333333333333', ['CUSTOMER']);
const staff = viewer('44444444-4444-4444-a444-444444444444', ['MERCHANT_STAFF'], merchantId);
const otherStaff = viewer(
  '55555555-5555-4555-a555-555555555555',
  ['MERCHANT_STAFF'],
  '66666666-6666-4666-a666-666666666666',
);
const rider = viewer('77777777-7777-4777-a777-777777777777', ['RIDER']);
const admin = viewer('88888888-8888-4888-a888-888888888888', ['ADMIN']);

const actorOrForbidden = (action: OrderAction, who: Viewer) => {
  try {
    return actorFor(action, who, order);
  } catch (error) {
    return (error as { extensions: { code: string } }).extensions.code;
  }
};

describe('actorFor', () => {
  it('lets only the customer cancel as a customer', () => {
    expect(actorOrForbidden('CUSTOMER_CANCEL', customer)).toBe('CUSTOMER');
    for (const who of [otherCustomer, staff, otherStaff, rider, admin]) {
      expect(actorOrForbidden('CUSTOMER_CANCEL', who)).toBe('FORBIDDEN');
    }
  });

  it("lets the merchant's own staff and admins accept, reject, cancel and mark food ready", () => {
    for (const action of ['ACCEPT', 'REJECT', 'MERCHANT_CANCEL', 'FOOD_READY'] as const) {
      expect(actorOrForbidden(action, staff)).toBe('MERCHANT');
      expect(actorOrForbidden(action, admin)).toBe('ADMIN');
      for (const who of [customer, otherCustomer, otherStaff, rider]) {
        expect(actorOrForbidden(action, who)).toBe('FORBIDDEN');
      }
    }
  });

  it('keeps admin cancellation to admins and system actions to the system', () => {
    expect(actorOrForbidden('ADMIN_CANCEL', admin)).toBe('ADMIN');
    expect(actorOrForbidden('ADMIN_CANCEL', staff)).toBe('FORBIDDEN');
    for (const action of [
      'PAYMENT_SUCCEEDED',
      'PAYMENT_TIMEOUT',
      'ACCEPT_TIMEOUT',
      'PICK_UP',
      'DELIVER',
    ] as const) {
      for (const who of [customer, staff, rider, admin]) {
        expect(actorOrForbidden(action, who)).toBe('FORBIDDEN');
      }
    }
  });
});
