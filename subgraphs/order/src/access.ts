import { isAdmin, isStaffOf, type Viewer } from '@sky/auth';

/**
 * Who may see what in the order subgraph, as written in schema/order.graphql. The shield
 * (permissions.ts), the `order(id)` resolver and the live subscriptions decide with these
 * functions, so they never disagree.
 */

/** The parts of an order its visibility depends on. */
export interface OrderAudience {
  customerId: string;
  merchantId: string;
  /** The account of the rider currently assigned (from delivery's events); null while none is. */
  riderUserId?: string | null;
}

/**
 * An order is visible to the customer who placed it, to its merchant's staff, to the rider
 * currently assigned to deliver it (no longer once unassigned) and to admins.
 */
export function canViewOrder(viewer: Viewer | null, order: OrderAudience): boolean {
  if (!viewer) return false;
  return (
    viewer.userId === order.customerId ||
    isStaffOf(viewer, order.merchantId) ||
    isAssignedRider(viewer, order) ||
    isAdmin(viewer)
  );
}

/** The viewer's account is the one of the rider delivery assigned to the order. */
export function isAssignedRider(viewer: Viewer, order: OrderAudience): boolean {
  return !!order.riderUserId && viewer.userId === order.riderUserId;
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
