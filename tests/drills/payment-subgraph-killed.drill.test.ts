import { describe } from 'vitest';
import { browseCatalog, browseOwnOrders, DRILL_ORDERS, drillTest } from './harness.ts';

describe('drill: the payment subgraph is killed while orders are being paid', () => {
  drillTest(
    'loses and repeats nothing; browsing works throughout; paying works after the restart',
    {
      name: 'payment subgraph killed during payment',
      orders: DRILL_ORDERS,
      // Every fifth order is cancelled after payment: its refund needs the payment subgraph too.
      path: (index) => (index % 5 === 4 ? 'refunded' : 'paid'),
      probePath: 'paid',
      inject: ({ platform }) => platform.kill('payment'),
      outageSeconds: 5,
      restore: ({ platform }) => platform.restart('payment'),
      unaffected: (context) => [browseCatalog(context), browseOwnOrders(context)],
    },
  );
});
