import pg from 'pg';
import { randomUUID } from 'node:crypto';

/** Runs statements against one subgraph's database, then closes the connection. */
export async function withDatabase<T>(url: string, work: (client: pg.Client) => Promise<T>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface FixtureOrder {
  id?: string;
  merchantId: string;
  placedAt: string;
  status: 'PENDING_PAYMENT' | 'TO_BE_CONFIRMED' | 'CONFIRMED' | 'COMPLETED' | 'CANCELLED';
  total: number;
  items?: { dishId?: string; setMealId?: string; name: string; quantity: number }[];
}

/** Orders (and their items) written straight into the order database, with explicit times. */
export async function insertOrders(client: pg.Client, orders: FixtureOrder[]) {
  for (const order of orders) {
    const id = order.id ?? randomUUID();
    await client.query(
      `INSERT INTO orders (id, "orderNumber", status, "payStatus", "customerId", "merchantId",
         "itemsTotalAmount", "packingFeeAmount", "deliveryFeeAmount", "totalAmount",
         "addressContactName", "addressPhone", "addressDetail", "addressLatitude", "addressLongitude",
         "placedAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, 0, 0, $7, 'Fixture', '13800000000', 'Fixture Rd 1', 31.2, 121.4, $8, $8)`,
      [
        id,
        `FX${id.replaceAll('-', '').slice(0, 20)}`,
        order.status,
        order.status === 'PENDING_PAYMENT'
          ? 'UNPAID'
          : order.status === 'CANCELLED'
            ? 'REFUNDED'
            : 'PAID',
        randomUUID(),
        order.merchantId,
        order.total,
        order.placedAt,
      ],
    );
    for (const item of order.items ?? []) {
      await client.query(
        `INSERT INTO order_items (id, "orderId", "dishId", "setMealId", name, quantity,
           "unitPriceAmount", "lineTotalAmount", "createdAt")
         VALUES ($1, $2, $3, $4, $5, $6, 100, $7, $8)`,
        [
          randomUUID(),
          id,
          item.dishId ?? null,
          item.setMealId ?? null,
          item.name,
          item.quantity,
          item.quantity * 100,
          order.placedAt,
        ],
      );
    }
  }
}
