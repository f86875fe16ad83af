import { hasRole, isAdmin, isStaffOf, type Viewer } from '@sky/auth';
import { badUserInput, forbidden, unauthenticated } from '@sky/errors';

/**
 * Who may manage a merchant's shop and menu: its own staff and admins. The shield only lets
 * MERCHANT_STAFF and ADMIN reach the mutations; these checks add the ownership that depends on
 * the merchant being changed.
 */

/**
 * The merchant a management call acts on: staff act on their own merchant (naming another one is
 * FORBIDDEN); admins must name it.
 */
export function merchantToManage(viewer: Viewer | null, requested: string | null | undefined) {
  if (!viewer) throw unauthenticated();
  if (isAdmin(viewer)) {
    if (!requested) throw badUserInput('"merchantId" is required for admins.', 'merchantId');
    return requested;
  }
  if (hasRole(viewer, 'MERCHANT_STAFF') && viewer.merchantId) {
    if (requested && requested !== viewer.merchantId) throw notYourMerchant();
    return viewer.merchantId;
  }
  throw forbidden('Only the merchant’s staff and admins may manage its shop.');
}

/** Refuses unless the viewer is staff of `merchantId` or an admin. */
export function assertManages(viewer: Viewer | null, merchantId: string): void {
  if (!viewer) throw unauthenticated();
  if (!isAdmin(viewer) && !isStaffOf(viewer, merchantId)) throw notYourMerchant();
}

const notYourMerchant = () =>
  forbidden('You may only manage the shop and menu of your own merchant.');
