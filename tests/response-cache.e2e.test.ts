import { errorCodes, graphql } from '@sky/testkit';
import { demoId } from '@sky/demo-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dishNamed, noodleHouse } from './flows.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * The gateway's response cache of public catalog reads (docs section 13.2), in server mode (Redis
 * store, Redis live channel). The TTL is an hour, so an answer that changes can only have been
 * invalidated by the catalog's `catalog.changed` message, never expired.
 */

let supergraph: TestSupergraph;
let gateway: string;
let staff: string;
let customer: string;
const dish = dishNamed(noodleHouse, '红烧牛肉面');

beforeAll(async () => {
  supergraph = await startTestSupergraph({ env: { RESPONSE_CACHE_TTL_SECONDS: '3600' } });
  gateway = supergraph.gatewayUrl;
  staff = supergraph.tokenFor({
    userId: demoId('user:e2e-noodle-staff'),
    roles: ['MERCHANT_STAFF'],
    merchantId: noodleHouse.id,
  });
  customer = supergraph.tokenFor({ userId: demoId('user:e2e-customer'), roles: ['CUSTOMER'] });
});
afterAll(async () => {
  await supergraph?.stop();
});

// Each test its own document (a comment changes nothing; `first` does), so none sees another's
// cached answer.
const browse = (first: number) => `
  query Browse($id: ID!) {
    merchants(first: ${first}) { edges { node { id name } } }
    dish(id: $id) { id name price { amount currency } }
  }`;
interface Browse {
  dish: { price: { amount: number } } | null;
}
const UPDATE_PRICE = `
  mutation ($id: ID!, $amount: Int!) {
    updateDish(id: $id, input: { priceAmount: $amount }) { id price { amount } }
  }`;

describe('response cache of anonymous catalog reads', () => {
  it('answers a second identical anonymous query from the cache, with the same data', async () => {
    const variables = { id: dish.id };
    const first = await graphql<Browse>(gateway, browse(1), { variables });
    const second = await graphql<Browse>(gateway, browse(1), { variables });
    expect(first.errors).toBeUndefined();
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(second.data).toEqual(first.data);
    // Other variables are another entry.
    const other = await graphql(gateway, browse(1), { variables: { id: demoId('dish:none') } });
    expect(other.headers.get('x-cache')).toBe('MISS');
  });

  it('never stores an answer with errors', async () => {
    const missing = { id: demoId('dish:no-such-dish') };
    const first = await graphql(gateway, browse(2), { variables: missing });
    expect(errorCodes(first)).toEqual(['NOT_FOUND']);
    const second = await graphql(gateway, browse(2), { variables: missing });
    expect(second.headers.get('x-cache')).toBe('MISS');
    expect(errorCodes(second)).toEqual(['NOT_FOUND']);
  });

  it('never stores nor serves an authenticated request', async () => {
    const variables = { id: dish.id };
    const signedIn = await graphql(gateway, browse(3), { variables, token: customer });
    expect(signedIn.errors).toBeUndefined();
    expect(signedIn.headers.get('x-cache')).toBeNull();
    // The signed-in answer was not stored: the first anonymous one misses.
    const anonymous = await graphql(gateway, browse(3), { variables });
    expect(anonymous.headers.get('x-cache')).toBe('MISS');
    expect((await graphql(gateway, browse(3), { variables })).headers.get('x-cache')).toBe('HIT');
    // And a cached anonymous answer is not served to a signed-in caller.
    const again = await graphql(gateway, browse(3), { variables, token: customer });
    expect(again.headers.get('x-cache')).toBeNull();
  });

  it('never caches a query that reaches another subgraph', async () => {
    const query = `query ($id: ID!) { merchant(id: $id) { id orders(first: 1) { totalCount } } }`;
    const variables = { id: noodleHouse.id };
    await graphql(gateway, query, { variables });
    const second = await graphql(gateway, query, { variables });
    expect(second.headers.get('x-cache')).toBe('MISS');
  });

  it('shows a price changed through updateDish on the next reads (catalog.changed)', async () => {
    const variables = { id: dish.id };
    const before = await graphql<Browse>(gateway, browse(4), { variables });
    expect((await graphql(gateway, browse(4), { variables })).headers.get('x-cache')).toBe('HIT');
    const newPrice = before.data!.dish!.price.amount + 100;
    const updated = await graphql(gateway, UPDATE_PRICE, {
      variables: { id: dish.id, amount: newPrice },
      token: staff,
    });
    expect(updated.errors).toBeUndefined();
    // The change message travels through Redis pub/sub, after the mutation's answer: the first
    // reads may still hit. With an hour's TTL only the invalidation can end them.
    let after = await graphql<Browse>(gateway, browse(4), { variables });
    for (let attempt = 0; attempt < 50 && after.headers.get('x-cache') === 'HIT'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await graphql<Browse>(gateway, browse(4), { variables });
    }
    expect(after.headers.get('x-cache')).toBe('MISS');
    expect(after.data!.dish!.price.amount).toBe(newPrice);
    // The fresh answer is cached again.
    const next = await graphql<Browse>(gateway, browse(4), { variables });
    expect(next.headers.get('x-cache')).toBe('HIT');
    expect(next.data!.dish!.price.amount).toBe(newPrice);
  });
});
