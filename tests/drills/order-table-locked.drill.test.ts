import { databaseUrl } from '@sky/testkit';
import pg from 'pg';
import { describe } from 'vitest';
import { browseCatalog, DRILL_ORDERS, drillTest, readOwnAccount } from './harness.ts';

describe('drill: PostgreSQL is slow, a lock held on the order table', () => {
  // A migration or a careless maintenance query: ACCESS EXCLUSIVE blocks reads and writes.
  let lockHolder: pg.Client | null = null;
  drillTest('orders wait or fail, then all go through exactly once', {
    name: 'order table locked (8 s)',
    orders: DRILL_ORDERS,
    path: (index) => (index % 5 === 4 ? 'refunded' : 'paid'),
    probePath: 'paid',
    inject: async ({ platform }) => {
      lockHolder = new pg.Client({ connectionString: databaseUrl(platform.databases.order.name) });
      await lockHolder.connect();
      await lockHolder.query('BEGIN');
      await lockHolder.query('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');
    },
    outageSeconds: 8,
    restore: async () => {
      await lockHolder!.query('ROLLBACK');
      await lockHolder!.end();
    },
    unaffected: (context) => [browseCatalog(context), readOwnAccount(context)],
  });
});
