import { allow, deny, rule, shield } from 'graphql-shield';
import { isAuthenticated, ownerRule } from '@sky/auth';
import { forbidden, unauthenticated } from '@sky/errors';
import type { Payment, Refund } from './__generated__/prisma/client.ts';
import type { PaymentContext } from './context.ts';
import { canViewPayment } from './visibility.ts';

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
 */
export const permissions = shield(
  {
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
    _Service: allow,
    Order: {
      '*': deny,
      id: allow,
      payment: isAuthenticated,
    },
    Payment: mayViewPayment,
    Refund: mayViewRefund,
    Money: allow,
    User: allow,
    Merchant: allow,
  },
  {
    fallbackRule: deny,
    fallbackError: () => forbidden(),
    // Domain errors thrown by resolvers (with their codes) pass through unchanged.
    allowExternalErrors: true,
  },
);
