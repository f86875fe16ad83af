import { describe } from 'vitest';
import {
  browseCatalog,
  browseOwnOrders,
  DRILL_ORDERS,
  drillTest,
  sql,
  type DrillContext,
} from './harness.ts';

/** Opens or closes the delivery database to every connection, the running ones included. */
async function deliveryDatabaseReachable({ platform }: DrillContext, reachable: boolean) {
  const name = platform.databases.delivery.name;
  await sql('postgres', `ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS ${reachable}`);
  if (!reachable) {
    await sql(
      'postgres',
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
      [name],
    );
  }
}

describe('drill: the delivery database becomes unreachable', () => {
  drillTest('accepted orders get exactly one delivery once it is back', {
    name: 'delivery database unreachable',
    orders: DRILL_ORDERS,
    path: () => 'dispatched',
    probePath: 'dispatched',
    inject: (context) => deliveryDatabaseReachable(context, false),
    outageSeconds: 5,
    restore: (context) => deliveryDatabaseReachable(context, true),
    unaffected: (context) => [browseCatalog(context), browseOwnOrders(context)],
  });
});
