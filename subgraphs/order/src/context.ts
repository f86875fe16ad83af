import type { RequestContext } from '@sky/server-kit';
import type { ViewerContext } from '@sky/auth';
import { unauthenticated } from '@sky/errors';
import type { CartService } from './services/cart-service.ts';
import type { LiveFeeds } from './services/live-feeds.ts';
import type { OrderActions } from './services/order-actions.ts';
import type { PlacementService } from './services/placement-service.ts';
import type { RefundRequests } from './services/refund-requests.ts';
import type { OrderStores } from './stores/index.ts';

/** The domain services of one signed-in caller's request (or subscription). */
export interface OrderServices {
  carts: CartService;
  placement: PlacementService;
  actions: OrderActions;
  feeds: LiveFeeds;
  refunds: RefundRequests;
}

/** What every resolver of the order subgraph receives. */
export interface OrderContext extends RequestContext, ViewerContext {
  stores: OrderStores;
  /** Null for anonymous callers (the shield refuses them before any resolver needs these). */
  services: OrderServices | null;
}

export function servicesOf(context: OrderContext): OrderServices {
  if (!context.services) throw unauthenticated();
  return context.services;
}
