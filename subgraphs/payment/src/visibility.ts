import { isAdmin, isStaffOf, type Viewer } from '@sky/auth';

/** The parties of a payment, copied onto it from the order when the attempt was created. */
export interface PaymentParties {
  customerId: string;
  merchantId: string;
}

/**
 * Who may see a payment and its refunds: the paying customer, staff of the order's merchant and
 * admins. Used by the shield rules and by `Query.payment`, so both agree.
 */
export function canViewPayment(viewer: Viewer | null, payment: PaymentParties): boolean {
  if (!viewer) return false;
  return (
    viewer.userId === payment.customerId || isStaffOf(viewer, payment.merchantId) || isAdmin(viewer)
  );
}
