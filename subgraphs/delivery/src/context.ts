import type { RequestContext } from '@sky/server-kit';
import type { ViewerContext } from '@sky/auth';
import type { DeliveryStores } from './stores/index.ts';

/** What every resolver of the delivery subgraph receives. */
export interface DeliveryContext extends RequestContext, ViewerContext {
  stores: DeliveryStores;
}
