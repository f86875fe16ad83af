import { addresses, demoId, merchants, orders, riders, users } from '@sky/demo-data';
import { graphql } from '@sky/testkit';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let supergraph: TestSupergraph;
const statements: Record<string, number> = {};
let adminToken: string;

beforeAll(async () => {
  supergraph = await startTestSupergraph();
  for (const [name, subgraph] of Object.entries(supergraph.subgraphs)) {
    statements[name] = 0;
    // Background workers (outbox relay, job runner) poll their own tables on the same client;
    // only the statements serving the request count.
    subgraph.onQuery((sql) => {
      if (!/outbox_events|scheduled_jobs|processed_events|^\s*(BEGIN|COMMIT|ROLLBACK)/i.test(sql)) {
        statements[name]!++;
      }
    });
  }
  adminToken = supergraph.tokenFor({ userId: demoId('user:admin'), roles: ['ADMIN'] });
});
afterAll(async () => {
  await supergraph?.stop();
});

/** 100 ids: the known ones first, then unknown ones, so the answer must be ordered and null-filled. */
function hundredIds(known: string[]): string[] {
  return [...known, ...Array.from({ length: 100 - known.length }, () => randomUUID())];
}

interface EntityCase {
  subgraph: string;
  typename: string;
  fields: string;
  known: string[];
  /** SQL statements for the whole batch: 1, unless the authorization rule needs its own load. */
  expectedStatements: number;
}

const cases: EntityCase[] = [
  {
    subgraph: 'user',
    typename: 'User',
    fields: 'id name createdAt',
    known: users.map((u) => u.id),
    expectedStatements: 1,
  },
  {
    subgraph: 'user',
    typename: 'Address',
    fields: 'id contactName detail',
    known: addresses.map((a) => a.id),
    expectedStatements: 1,
  },
  {
    subgraph: 'catalog',
    typename: 'Merchant',
    fields: 'id name status deliveryRadiusMeters',
    known: merchants.map((m) => m.id),
    expectedStatements: 1,
  },
  {
    subgraph: 'catalog',
    typename: 'Category',
    fields: 'id name sortOrder enabled',
    known: merchants.flatMap((m) => m.categories.map((c) => c.id)),
    expectedStatements: 1,
  },
  {
    subgraph: 'catalog',
    typename: 'Dish',
    fields: 'id name onSale dailyStock',
    known: merchants.flatMap((m) => m.dishes.map((d) => d.id)),
    expectedStatements: 1,
  },
  {
    subgraph: 'catalog',
    typename: 'SetMeal',
    fields: 'id name onSale',
    known: merchants.flatMap((m) => m.setMeals.map((s) => s.id)),
    expectedStatements: 1,
  },
  {
    subgraph: 'order',
    typename: 'Order',
    fields: 'id orderNumber status payStatus',
    known: orders.map((o) => o.id),
    expectedStatements: 1,
  },
  {
    // The demo data has no after-sale requests: 100 unknown ids, still one statement.
    subgraph: 'order',
    typename: 'RefundRequest',
    fields: 'id status amount { amount }',
    known: [],
    expectedStatements: 1,
  },
  {
    subgraph: 'payment',
    typename: 'Payment',
    fields: 'id status providerPaymentId',
    known: orders.flatMap((o) => (o.payment ? [o.payment.id] : [])),
    expectedStatements: 1,
  },
  {
    subgraph: 'delivery',
    typename: 'Rider',
    fields: 'id status vehicle',
    known: riders.map((r) => r.id),
    expectedStatements: 1,
  },
  {
    subgraph: 'delivery',
    typename: 'Delivery',
    fields: 'id status distanceMeters version',
    known: orders.flatMap((o) => (o.delivery ? [o.delivery.id] : [])),
    expectedStatements: 1,
  },
];

describe('_entities batches 100 representations into one SQL statement, with the shield applied', () => {
  for (const entity of cases) {
    it(`${entity.subgraph}: 100 × ${entity.typename}`, async () => {
      const ids = hundredIds(entity.known);
      statements[entity.subgraph] = 0;
      const response = await graphql<{ _entities: ({ id: string } | null)[] }>(
        supergraph.subgraphUrls[entity.subgraph]!,
        `query($r: [_Any!]!) { _entities(representations: $r) { ... on ${entity.typename} { ${entity.fields} } } }`,
        {
          token: adminToken,
          variables: { r: ids.map((id) => ({ __typename: entity.typename, id })) },
        },
      );
      expect(response.errors).toBeUndefined();
      const answered = response.data!._entities;
      expect(answered).toHaveLength(100);
      // Ordered like the representations, resolved (the shield kept __resolveReference), null-filled.
      expect(answered.slice(0, entity.known.length).map((e) => e?.id)).toEqual(entity.known);
      expect(answered.slice(entity.known.length).every((e) => e === null)).toBe(true);
      expect(statements[entity.subgraph]).toBe(entity.expectedStatements);
    });
  }

  it('entity fields keep their ownership rules when reached through _entities', async () => {
    const bob = supergraph.tokenFor({ userId: demoId('user:bob'), roles: ['CUSTOMER'] });
    const alicesOrder = orders.find((o) => o.customerId === demoId('user:alice'))!;
    const response = await graphql(
      supergraph.subgraphUrls.payment!,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { payment { status amount { amount } } } } }',
      { token: bob, variables: { r: [{ __typename: 'Order', id: alicesOrder.id }] } },
    );
    expect(JSON.stringify(response.data)).not.toContain('SUCCEEDED');
    expect(response.errors?.map((e) => e.extensions?.code)).toContain('FORBIDDEN');
  });
});
