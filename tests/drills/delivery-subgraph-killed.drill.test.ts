import { describe } from 'vitest';
import { browseCatalog, browseOwnOrders, DRILL_ORDERS, drillTest } from './harness.ts';

describe('drill: the delivery subgraph is killed while accepted orders are being dispatched', () => {
  drillTest('every accepted order gets exactly one delivery once it is back', {
    name: 'delivery subgraph killed during dispatch',
    orders: DRILL_ORDERS,
    path: () => 'dispatched',
    probePath: 'dispatched',
    inject: ({ platform }) => platform.kill('delivery'),
    outageSeconds: 5,
    restore: ({ platform }) => platform.restart('delivery'),
    unaffected: (context) => [browseCatalog(context), browseOwnOrders(context)],
  });
});
