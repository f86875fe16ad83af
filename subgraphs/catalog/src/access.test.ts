import type { Role, Viewer } from '@sky/auth';
import { describe, expect, it } from 'vitest';
import { assertManages, merchantToManage } from './access.ts';

const viewer = (roles: Role[], merchantId: string | null = null): Viewer => ({
  userId: 'u',
  roles,
  merchantId,
  expiresAt: 0,
  token: 't',
});

const codeOf = (run: () => unknown) => {
  try {
    return run();
  } catch (error) {
    return (error as { extensions: { code: string } }).extensions.code;
  }
};

describe('merchantToManage', () => {
  it('gives staff their own merchant and refuses another one', () => {
    const staff = viewer(['MERCHANT_STAFF'], 'm1');
    expect(merchantToManage(staff, null)).toBe('m1');
    expect(merchantToManage(staff, 'm1')).toBe('m1');
    expect(codeOf(() => merchantToManage(staff, 'm2'))).toBe('FORBIDDEN');
  });

  it('makes admins name the merchant', () => {
    expect(merchantToManage(viewer(['ADMIN']), 'm2')).toBe('m2');
    expect(codeOf(() => merchantToManage(viewer(['ADMIN']), undefined))).toBe('BAD_USER_INPUT');
  });

  it('refuses anonymous callers, customers, riders and staff without a merchant', () => {
    expect(codeOf(() => merchantToManage(null, 'm1'))).toBe('UNAUTHENTICATED');
    expect(codeOf(() => merchantToManage(viewer(['CUSTOMER']), 'm1'))).toBe('FORBIDDEN');
    expect(codeOf(() => merchantToManage(viewer(['RIDER']), 'm1'))).toBe('FORBIDDEN');
    expect(codeOf(() => merchantToManage(viewer(['MERCHANT_STAFF']), 'm1'))).toBe('FORBIDDEN');
  });
});

describe('assertManages', () => {
  it('lets a merchant’s staff and admins through, nobody else', () => {
    expect(codeOf(() => assertManages(viewer(['MERCHANT_STAFF'], 'm1'), 'm1'))).toBeUndefined();
    expect(codeOf(() => assertManages(viewer(['ADMIN']), 'm1'))).toBeUndefined();
    expect(codeOf(() => assertManages(viewer(['MERCHANT_STAFF'], 'm2'), 'm1'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertManages(viewer(['CUSTOMER']), 'm1'))).toBe('FORBIDDEN');
    expect(codeOf(() => assertManages(null, 'm1'))).toBe('UNAUTHENTICATED');
  });
});
