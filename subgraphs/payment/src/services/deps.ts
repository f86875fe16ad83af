import type { OrderForPayment } from '@sky/contracts';
import type { Logger } from '@sky/logging';
import type { PaymentProviderClient } from '../clients/payment-provider.ts';
import type { PaymentLedger } from '../stores/ledger.ts';

/** What the payment domain needs from the outside world; built once per subgraph. */
export interface PaymentDeps {
  ledger: PaymentLedger;
  /** Null when no provider is configured (outside production only). */
  provider: PaymentProviderClient | null;
  logger: Logger;
  /** Where the provider should send this payment's callback. */
  callbackUrl: () => string;
  /** The order subgraph's `order-for-payment`; refusals come back as GraphQLErrors. */
  fetchOrder: (orderId: string, requestId?: string) => Promise<OrderForPayment>;
  allowTestOutcome: boolean;
  /** When a payment still pending is checked with the provider. */
  reconcileAfterSeconds: number;
}

/** Durable job kinds of the payment subgraph. */
export const JobKind = {
  /** Sends a pending refund to the provider until it answers (payload `{ refundId }`). */
  REFUND: 'payment.refund',
  /** Asks the provider about a payment that got no callback (payload `{ paymentId }`). */
  RECONCILE: 'payment.reconcile',
} as const;

export const refundJobKey = (refundId: string) => `payment.refund:${refundId}`;
export const reconcileJobKey = (paymentId: string) => `payment.reconcile:${paymentId}`;
