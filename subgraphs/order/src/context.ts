import type { RequestContext } from '@sky/server-kit';
import type { ViewerContext } from '@sky/auth';
import type { OrderStores } from './stores/index.ts';

/** What every resolver of the order subgraph receives. */
export interface OrderContext extends RequestContext, ViewerContext {
  stores: OrderStores;
}
