import { demoId } from '@sky/demo-data';
import { errorCodes, graphql } from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dishNamed, noodleHouse } from './flows.ts';
import { signIn } from './helpers.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

/**
 * The rule "missing or not yours" (docs section 6) on every root field that looks an entity up by
 * id, through the gateway in server mode: an unknown id and an entity the caller may not see both
 * answer null with one NOT_FOUND error carrying the same message, so nothing reveals existence.
 */

let supergraph: TestSupergraph;
beforeAll(async () => {
  supergraph = await startTestSupergraph();
});
afterAll(async () => {
  await supergraph?.stop();
});

interface Row {
  field: string;
  /** An id the owner may see. */
  id: string;
  /** A demo account that may see it, and one that may not (null: everyone may, it is public). */
  owner: string | null;
  stranger: string | null;
}

const rows: Row[] = [
  { field: 'order', id: demoId('order:alice-completed'), owner: 'alice', stranger: 'bob' },
  { field: 'payment', id: demoId('payment:alice-completed'), owner: 'alice', stranger: 'bob' },
  { field: 'delivery', id: demoId('delivery:alice-completed'), owner: 'alice', stranger: 'bob' },
  { field: 'rider', id: demoId('rider:li'), owner: 'rider-li', stranger: 'rider-chen' },
  { field: 'user', id: demoId('user:alice'), owner: 'alice', stranger: 'bob' },
  { field: 'address', id: demoId('address:alice:home'), owner: 'alice', stranger: 'bob' },
  { field: 'merchant', id: noodleHouse.id, owner: null, stranger: null },
  { field: 'dish', id: dishNamed(noodleHouse, '红烧牛肉面').id, owner: null, stranger: null },
  { field: 'setMeal', id: noodleHouse.setMeals[0]!.id, owner: null, stranger: null },
];

describe('missing or not yours: every root lookup by id', () => {
  it.each(rows)('$field(id)', async ({ field, id, owner, stranger }) => {
    const gateway = supergraph.gatewayUrl;
    const query = `query ($id: ID!) { ${field}(id: $id) { id } }`;
    const ask = async (account: string | null, asked: string) =>
      graphql<Record<string, { id: string } | null>>(gateway, query, {
        token: account ? await signIn(gateway, account) : undefined,
        variables: { id: asked },
      });

    const seen = await ask(owner, id);
    expect(seen.errors).toBeUndefined();
    expect(seen.data?.[field]).toEqual({ id });

    const unknown = await ask(owner, randomUUID());
    expect(unknown.data?.[field] ?? null).toBeNull();
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);

    if (stranger) {
      const hidden = await ask(stranger, id);
      expect(hidden.data?.[field] ?? null).toBeNull();
      expect(errorCodes(hidden)).toEqual(['NOT_FOUND']);
      // The same words as for an id that does not exist: nothing tells the two apart.
      expect(hidden.errors![0]!.message).toBe(unknown.errors![0]!.message);
      expect(errorCodes(await ask(null, id))).toEqual(['UNAUTHENTICATED']);
    }
  });
});
