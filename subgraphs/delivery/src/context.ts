import type { RequestContext } from '@sky/server-kit';
import type { ViewerContext } from '@sky/auth';
import { unauthenticated } from '@sky/errors';
import type { LivePubSub } from '@sky/events';
import type { DeliveryActions } from './services/delivery-actions.ts';
import type { RiderActions } from './services/rider-actions.ts';
import type { DeliveryStores } from './stores/index.ts';

/** The domain services of one signed-in caller's request. */
export interface DeliveryServices {
  riders: RiderActions;
  deliveries: DeliveryActions;
}

/** What every resolver of the delivery subgraph receives. */
export interface DeliveryContext extends RequestContext, ViewerContext {
  stores: DeliveryStores;
  /** Null for anonymous callers (the shield refuses them before any resolver needs these). */
  services: DeliveryServices | null;
  /** Live updates (Redis pub/sub in server mode): subscriptions listen here. */
  live: LivePubSub;
}

export function servicesOf(context: DeliveryContext): DeliveryServices {
  if (!context.services) throw unauthenticated();
  return context.services;
}
