import { describe } from 'vitest';
import { browseCatalog, browseOwnOrders, DRILL_ORDERS, drillTest } from './harness.ts';

describe('drill: Redis stops and comes back empty', () => {
  drillTest('every event still arrives exactly once: PostgreSQL is the record', {
    name: 'Redis stopped, back empty',
    orders: DRILL_ORDERS,
    // Every fifth order is cancelled after payment: its refund travels as events too.
    path: (index) => (index % 5 === 4 ? 'refunded' : 'paid'),
    probePath: 'paid',
    // The private redis-server keeps nothing on disk: it comes back without streams or groups.
    inject: ({ redis }) => redis.stop(),
    outageSeconds: 5,
    restore: ({ redis }) => redis.start(),
    unaffected: (context) => [browseCatalog(context), browseOwnOrders(context)],
  });
});
