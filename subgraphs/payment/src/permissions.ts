import {
  isAdmin,
  isAuthenticated,
  isStaffOf,
  ownerRule,
  type Viewer,
  closed,
  fields,
  type RuleTree,
  denyByDefault,
} from '@sky/auth';
import { allow, deny, rule } from 'graphql-shield';
import { mayViewReport } from '@sky/server-kit';
import { forbidden, unauthenticated } from '@sky/errors';
import type { Payment, Refund } from './stores/index.ts';
import type { PaymentContext } from './context.ts';

/** All of the payment subgraph's authorization: who may see a payment, and the shield. */

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

/** The paying customer, staff of the order's merchant, or an admin. */
const mayViewPayment = ownerRule<Payment>('mayViewPayment', (payment, viewer) =>
  canViewPayment(viewer, payment),
);

/**
 * A refund is visible to whoever may see its payment. The refund row does not carry the parties,
 * so the rule loads the payment (through the request's DataLoader: one query for all refunds).
 * Cached per refund ('strict'), like every ownership rule.
 */
const mayViewRefund = rule('mayViewRefund', { cache: 'strict' })(async (
  refund: Refund,
  _args,
  ctx: PaymentContext,
) => {
  if (!ctx.viewer) return unauthenticated();
  const payment = await ctx.stores.payments.load(refund.paymentId);
  return payment && canViewPayment(ctx.viewer, payment) ? true : forbidden();
});

/**
 * Deny by default: every type and root field is listed. Payment and Refund fields carry the
 * ownership rules, so `_entities` (allowed for the gateway) and `Order.payment` reveal no more
 * than those rules allow.
 *
 * Every type closes its remaining fields with `'*': deny`, so a field added later answers
 * FORBIDDEN until it gets a rule; `rules` is exported for the test that names such fields.
 */
export const rules: RuleTree = {
  Query: {
    '*': deny,
    _service: allow,
    _entities: allow,
    // Anonymous callers are told to sign in; signed-in callers get null for payments they may
    // not see (see the resolver).
    payment: isAuthenticated,
  },
  Mutation: {
    '*': deny,
    // Ownership (only the order's customer) and the order's state are checked by the service.
    payOrder: isAuthenticated,
  },
  _Service: closed(fields('sdl', allow)),
  // Report contributions: every field checks the entity's key (scope) against the caller.
  BusinessReport: closed(fields('id refundDays refundTotals', mayViewReport)),
  RefundDayFigures: closed(fields('date figures', allow)),
  RefundFigures: closed(fields('refunds refundedAmount', allow)),
  Order: {
    '*': deny,
    id: allow,
    payment: isAuthenticated,
  },
  Payment: closed(
    fields(
      'id order customer merchant amount status method providerPaymentId failureReason createdAt paidAt updatedAt refunds',
      mayViewPayment,
    ),
  ),
  Refund: closed(
    fields('id payment amount reason status providerRefundId createdAt completedAt', mayViewRefund),
  ),
  Money: closed(fields('amount currency', allow)),
  User: closed(fields('id', allow)),
  Merchant: closed(fields('id', allow)),
};

export const permissions = denyByDefault(rules);
