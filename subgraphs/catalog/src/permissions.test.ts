import type { Viewer } from '@sky/auth';
import { describe, expect, it } from 'vitest';
import {
  assertManages,
  hiddenMenuAccess,
  isCategoryVisible,
  merchantToManage,
  seesHiddenMenuOf,
} from './permissions.ts';

const MERCHANT = '00000000-0000-4000-a000-000000000001';
const OTHER = '00000000-0000-4000-a000-000000000002';
const viewer = (roles: Viewer['roles'], merchantId: string | null = null): Viewer => ({
  userId: '00000000-0000-4000-a000-0000000000ff',
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

describe('hidden menu visibility', () => {
  it('lets admins see every merchant’s hidden items', () => {
    expect(hiddenMenuAccess(viewer(['ADMIN']))).toEqual({ kind: 'all' });
    expect(seesHiddenMenuOf(viewer(['ADMIN']), MERCHANT)).toBe(true);
  });

  it('lets staff see only their own merchant’s hidden items', () => {
    const staff = viewer(['MERCHANT_STAFF'], MERCHANT);
    expect(hiddenMenuAccess(staff)).toEqual({ kind: 'merchant', merchantId: MERCHANT });
    expect(seesHiddenMenuOf(staff, MERCHANT)).toBe(true);
    expect(seesHiddenMenuOf(staff, OTHER)).toBe(false);
  });

  it('hides them from customers, riders and anonymous callers', () => {
    for (const v of [
      null,
      viewer(['CUSTOMER']),
      viewer(['RIDER']),
      viewer(['CUSTOMER'], MERCHANT),
    ]) {
      expect(hiddenMenuAccess(v)).toEqual({ kind: 'none' });
      expect(seesHiddenMenuOf(v, MERCHANT)).toBe(false);
    }
  });

  it('shows enabled categories to everyone and disabled ones to staff and admins', () => {
    expect(isCategoryVisible({ merchantId: MERCHANT, enabled: true }, null)).toBe(true);
    expect(isCategoryVisible({ merchantId: MERCHANT, enabled: false }, null)).toBe(false);
    expect(
      isCategoryVisible(
        { merchantId: MERCHANT, enabled: false },
        viewer(['MERCHANT_STAFF'], MERCHANT),
      ),
    ).toBe(true);
  });
});
