import { buildSubgraphSchema } from '@apollo/subgraph';
import { fieldsWithoutRule, readSubgraphSchema, typesWithoutCatchAll } from '@sky/server-kit';
import { permissionRules as catalog } from '@sky/subgraph-catalog';
import { permissionRules as delivery } from '@sky/subgraph-delivery';
import { permissionRules as order } from '@sky/subgraph-order';
import { permissionRules as payment } from '@sky/subgraph-payment';
import { permissionRules as user } from '@sky/subgraph-user';
import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';

/**
 * Deny by default, for real: every field of every subgraph's contract is named in its shield
 * rules. A field added to a schema without a rule answers FORBIDDEN at run time (each type closes
 * the rest with `'*': deny`) and fails this test, which names it.
 */
const subgraphs = { user, catalog, order, payment, delivery };

describe.each(Object.entries(subgraphs))('%s subgraph permissions', (name, rules) => {
  const schema = buildSubgraphSchema([{ typeDefs: parse(readSubgraphSchema(name)) }]);

  it('name a rule for every field of the schema', () => {
    expect(fieldsWithoutRule(schema, rules)).toEqual([]);
  });

  it("close every type's remaining fields with '*'", () => {
    expect(typesWithoutCatchAll(rules)).toEqual([]);
  });
});

it('notices a field added without a rule', () => {
  const schema = buildSubgraphSchema([
    {
      typeDefs: parse(
        `${readSubgraphSchema('payment')}\nextend type Payment { cardNumber: String }`,
      ),
    },
  ]);
  expect(fieldsWithoutRule(schema, payment)).toEqual(['Payment.cardNumber']);
});
