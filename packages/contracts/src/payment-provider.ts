import { z } from 'zod';
import { isoDateTime } from './common.ts';

/**
 * The payment provider's callback body (`POST <callbackUrl>`, HMAC-signed over its raw bytes):
 * the sandbox provider (packages/payment-sandbox) writes it, the payment subgraph's webhook parses
 * it with this schema once the signature holds.
 */
export const providerCallback = z.object({
  /** Unique per callback; a retried delivery of one callback keeps it. */
  eventId: z.string().min(1).max(200),
  providerPaymentId: z.string().min(1).max(200),
  /** The payment subgraph's own payment id, given when the payment was created. */
  merchantReference: z.string().min(1).max(200),
  status: z.enum(['SUCCEEDED', 'DECLINED']),
  amount: z.number().int(),
  currency: z.string().length(3),
  occurredAt: isoDateTime,
});
export type ProviderCallback = z.infer<typeof providerCallback>;
