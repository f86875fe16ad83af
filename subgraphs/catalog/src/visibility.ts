import { hasRole, isAdmin, isStaffOf, type Viewer } from '@sky/auth';

/**
 * Who may see the hidden parts of a menu: disabled categories and dishes or set meals that are
 * off sale (or listed under a disabled category). Everyone else simply does not see them: they
 * are filtered out, as if they did not exist, rather than refused with an error.
 */
export type HiddenMenuAccess =
  { kind: 'all' } | { kind: 'merchant'; merchantId: string } | { kind: 'none' };

export function hiddenMenuAccess(viewer: Viewer | null): HiddenMenuAccess {
  if (isAdmin(viewer)) return { kind: 'all' };
  if (viewer?.merchantId && hasRole(viewer, 'MERCHANT_STAFF')) {
    return { kind: 'merchant', merchantId: viewer.merchantId };
  }
  return { kind: 'none' };
}

/** Whether the viewer sees the hidden parts of this merchant's menu (its staff and admins). */
export function seesHiddenMenuOf(viewer: Viewer | null, merchantId: string): boolean {
  return isAdmin(viewer) || isStaffOf(viewer, merchantId);
}

/** Whether a category is shown to the viewer. */
export function isCategoryVisible(
  category: { merchantId: string; enabled: boolean },
  viewer: Viewer | null,
): boolean {
  return category.enabled || seesHiddenMenuOf(viewer, category.merchantId);
}
