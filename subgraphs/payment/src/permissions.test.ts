import { describe, expect, it } from 'vitest';
import type { Viewer } from '@sky/auth';
import { canViewPayment } from './permissions.ts';

const payment = {
  customerId: '00000000-0000-4000-a000-000000000001',
  merchantId: '00000000-0000-4000-a000-0000000000aa',
};

const viewer = (overrides: Partial<Viewer>): Viewer => ({
  userId: '00000000-0000-4000-a000-000000000099',
  roles: ['CUSTOMER'],
  merchantId: null,
  expiresAt: 0,
  token: 't',
  ...overrides,
});

describe('canViewPayment', () => {
  it('lets the paying customer see the payment', () => {
    expect(canViewPayment(viewer({ userId: payment.customerId }), payment)).toBe(true);
  });

  it('lets staff of the order merchant see the payment', () => {
    const staff = viewer({ roles: ['MERCHANT_STAFF'], merchantId: payment.merchantId });
    expect(canViewPayment(staff, payment)).toBe(true);
  });

  it('lets admins see any payment', () => {
    expect(canViewPayment(viewer({ roles: ['ADMIN'] }), payment)).toBe(true);
  });

  it('hides the payment from staff of another merchant', () => {
    const staff = viewer({
      roles: ['MERCHANT_STAFF'],
      merchantId: '00000000-0000-4000-a000-0000000000bb',
    });
    expect(canViewPayment(staff, payment)).toBe(false);
  });

  it('hides the payment from a claimed merchant id without the staff role', () => {
    expect(canViewPayment(viewer({ merchantId: payment.merchantId }), payment)).toBe(false);
  });

  it('hides the payment from other customers and riders', () => {
    expect(canViewPayment(viewer({}), payment)).toBe(false);
    expect(canViewPayment(viewer({ roles: ['RIDER'] }), payment)).toBe(false);
  });

  it('hides the payment from anonymous callers', () => {
    expect(canViewPayment(null, payment)).toBe(false);
  });
});
