import { describe, expect, it } from 'vitest';
import type { Viewer } from '@sky/auth';
import { hiddenMenuAccess, isCategoryVisible, seesHiddenMenuOf } from './visibility.ts';

const MERCHANT = '00000000-0000-4000-a000-000000000001';
const OTHER = '00000000-0000-4000-a000-000000000002';
const viewer = (roles: Viewer['roles'], merchantId: string | null = null): Viewer => ({
  userId: '00000000-0000-4000-a000-0000000000ff',
  roles,
  merchantId,
  expiresAt: 0,
  token: 't',
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
