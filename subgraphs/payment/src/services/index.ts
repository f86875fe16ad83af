import type { Viewer } from '@sky/auth';
import type { Payment } from '../stores/index.ts';
import type { PaymentDeps } from './deps.ts';
import { payOrder, type PayOrderRequest } from './pay-order.ts';

/** The domain operations resolvers call (per subgraph, not per request). */
export interface PaymentService {
  payOrder(viewer: Viewer, request: PayOrderRequest, requestId?: string): Promise<Payment>;
}

export function createPaymentService(deps: PaymentDeps): PaymentService {
  return {
    payOrder: (viewer, request, requestId) => payOrder(deps, viewer, request, requestId),
  };
}

export type { PaymentDeps } from './deps.ts';
export type { PayOrderRequest, TestOutcome } from './pay-order.ts';
