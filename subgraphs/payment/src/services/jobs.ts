import type { JobHandler } from '@sky/events';
import { JobKind, type PaymentDeps } from './deps.ts';
import { reconcilePayment } from './reconcile.ts';
import { executeRefund } from './refunds.ts';

/** The payment subgraph's durable jobs; each is idempotent, as the job runner requires. */
export function paymentJobs(deps: PaymentDeps): Record<string, JobHandler> {
  return {
    [JobKind.REFUND]: (job) => executeRefund(deps, String(job.payload.refundId)),
    [JobKind.RECONCILE]: (job) => reconcilePayment(deps, String(job.payload.paymentId)),
  };
}
