import type { RequestContext } from '@sky/server-kit';
import type { ViewerContext } from '@sky/auth';
import type { PaymentService } from './services/index.ts';
import type { PaymentStores } from './stores/index.ts';

/** What every resolver of the payment subgraph receives. */
export interface PaymentContext extends RequestContext, ViewerContext {
  stores: PaymentStores;
  payments: PaymentService;
}
