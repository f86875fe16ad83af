import { describe, it } from 'vitest';
import {
  browseCatalog,
  browseOwnOrders,
  DRILL_ORDERS,
  DRILL_TIMEOUT_MS,
  expectSurvived,
  runDrill,
} from './harness.ts';

describe('drill: the delivery subgraph is killed while accepted orders are being dispatched', () => {
  it(
    'every accepted order gets exactly one delivery once it is back; browsing and orders work throughout',
    async () => {
      const result = await runDrill({
        name: 'delivery subgraph killed during dispatch',
        orders: DRILL_ORDERS,
        path: () => 'dispatched',
        probePath: 'dispatched',
        inject: ({ platform }) => platform.kill('delivery'),
        outageSeconds: 5,
        restore: ({ platform }) => platform.restart('delivery'),
        unaffected: (context) => [browseCatalog(context), browseOwnOrders(context)],
      });
      expectSurvived(result);
    },
    DRILL_TIMEOUT_MS,
  );
});
