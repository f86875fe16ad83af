import { describe, expect, it } from 'vitest';
import type { Role, Viewer } from '@sky/auth';
import {
  canListOrdersOfMerchant,
  canListOrdersOfUser,
  canViewCart,
  canViewOrder,
  canViewRefundRequest,
} from './permissions.ts';

const customerId = '11111111-1111-4111-a111-111111111111';
const merchantId = '22222222-2222-4222-a222-222222222222';
const otherMerchantId = '33333333-3333-4333-a333-333333333333';
const order = { customerId, merchantId };

const viewer = (userId: string, roles: Role[], staffOf: string | null = null): Viewer => ({
  userId,
  roles,
  merchantId: staffOf,
  expiresAt: 0,
  token: '',
});

const customer = viewer(customerId, ['CUSTOMER']);
const stranger = viewer('44444444-4444-4444-a444-444444444444', ['CUSTOMER']);
const staff = viewer('55555555-5555-4555-a555-555555555555', ['MERCHANT_STAFF'], merchantId);
const otherStaff = viewer(
  '66666666-6666-4666-a666-666666666666',
  ['MERCHANT_STAFF'],
  otherMerchantId,
);
const admin = viewer('77777777-7777-4777-a777-777777777777', ['ADMIN']);
const rider = viewer('88888888-8888-4888-a888-888888888888', ['RIDER']);
// A merchantId claim without the staff role grants nothing.
const customerClaimingMerchant = viewer(stranger.userId, ['CUSTOMER'], merchantId);

describe('canViewOrder', () => {
  it('lets the customer, the merchant staff and admins see the order', () => {
    expect(canViewOrder(customer, order)).toBe(true);
    expect(canViewOrder(staff, order)).toBe(true);
    expect(canViewOrder(admin, order)).toBe(true);
  });

  it('hides the order from everyone else', () => {
    expect(canViewOrder(null, order)).toBe(false);
    expect(canViewOrder(stranger, order)).toBe(false);
    expect(canViewOrder(otherStaff, order)).toBe(false);
    expect(canViewOrder(rider, order)).toBe(false);
    expect(canViewOrder(customerClaimingMerchant, order)).toBe(false);
  });

  it('lets the assigned rider see the order, and no other rider', () => {
    expect(canViewOrder(rider, { ...order, riderUserId: rider.userId })).toBe(true);
    expect(canViewOrder(rider, { ...order, riderUserId: stranger.userId })).toBe(false);
    // Unassigned: the rider loses it.
    expect(canViewOrder(rider, { ...order, riderUserId: null })).toBe(false);
    expect(canViewOrder(null, { ...order, riderUserId: rider.userId })).toBe(false);
  });
});

describe('canViewCart', () => {
  it('allows the owner and admins only', () => {
    expect(canViewCart(customer, { customerId })).toBe(true);
    expect(canViewCart(admin, { customerId })).toBe(true);
    expect(canViewCart(staff, { customerId })).toBe(false);
    expect(canViewCart(stranger, { customerId })).toBe(false);
    expect(canViewCart(null, { customerId })).toBe(false);
  });
});

describe('order lists', () => {
  it('User.orders: self or admin', () => {
    expect(canListOrdersOfUser(customer, customerId)).toBe(true);
    expect(canListOrdersOfUser(admin, customerId)).toBe(true);
    expect(canListOrdersOfUser(stranger, customerId)).toBe(false);
    expect(canListOrdersOfUser(staff, customerId)).toBe(false);
    expect(canListOrdersOfUser(null, customerId)).toBe(false);
  });

  it("Merchant.orders: that merchant's staff or admin", () => {
    expect(canListOrdersOfMerchant(staff, merchantId)).toBe(true);
    expect(canListOrdersOfMerchant(admin, merchantId)).toBe(true);
    expect(canListOrdersOfMerchant(otherStaff, merchantId)).toBe(false);
    expect(canListOrdersOfMerchant(customerClaimingMerchant, merchantId)).toBe(false);
    expect(canListOrdersOfMerchant(customer, merchantId)).toBe(false);
    expect(canListOrdersOfMerchant(null, merchantId)).toBe(false);
  });
});

describe('canViewRefundRequest', () => {
  it('shows a refund request to the customer, the merchant staff and admins only', () => {
    expect(canViewRefundRequest(customer, order)).toBe(true);
    expect(canViewRefundRequest(staff, order)).toBe(true);
    expect(canViewRefundRequest(admin, order)).toBe(true);
    expect(canViewRefundRequest(stranger, order)).toBe(false);
    expect(canViewRefundRequest(otherStaff, order)).toBe(false);
    expect(canViewRefundRequest(customerClaimingMerchant, order)).toBe(false);
    expect(canViewRefundRequest(null, order)).toBe(false);
    // The rider who delivered the order sees the order, not what the two parties settle.
    expect(canViewRefundRequest(rider, order)).toBe(false);
  });
});
