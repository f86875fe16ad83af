import { isAdmin, isStaffOf, type Viewer } from '@sky/auth';

/**
 * Who may see what in the order subgraph, as written in schema/order.graphql. Both the shield
 * (permissions.ts) and the `order(id)` resolver decide with these functions, so they never
 * disagree.
 *
 * Riders are not in these rules yet: which rider delivers which order is known to the delivery
 * subgraph, and giving riders access to their assigned orders is a later change.
 */

/** An order is visible to the customer who placed it, to its merchant's staff and to admins. */
export function canViewOrder(
  viewer: Viewer | null,
  order: { customerId: string; merchantId: string },
): boolean {
  if (!viewer) return false;
  return (
    viewer.userId === order.customerId || isStaffOf(viewer, order.merchantId) || isAdmin(viewer)
  );
}

/** A cart is the customer's own; admins may look at it (support), nobody else. */
export function canViewCart(viewer: Viewer | null, cart: { customerId: string }): boolean {
  if (!viewer) return false;
  return viewer.userId === cart.customerId || isAdmin(viewer);
}

/** `User.orders`: the user themself or an admin. */
export function canListOrdersOfUser(viewer: Viewer | null, userId: string): boolean {
  if (!viewer) return false;
  return viewer.userId === userId || isAdmin(viewer);
}

/** `Merchant.orders`: that merchant's staff or an admin. */
export function canListOrdersOfMerchant(viewer: Viewer | null, merchantId: string): boolean {
  if (!viewer) return false;
  return isStaffOf(viewer, merchantId) || isAdmin(viewer);
}
