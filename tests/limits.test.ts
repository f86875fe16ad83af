import { buildSubgraphSchema } from '@apollo/subgraph';
import { requestLimitsFrom } from '@sky/config';
import { buildApiSchema } from '@sky/gateway';
import { DocumentLimits, operationCost, readSubgraphSchema } from '@sky/server-kit';
import { getIntrospectionQuery, parse, type GraphQLSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as operations from './operations.ts';

const root = join(import.meta.dirname, '..');
const apiSchema = buildApiSchema(readFileSync(join(root, 'schema', 'supergraph.graphql'), 'utf8'));
const development = new DocumentLimits(requestLimitsFrom(), false);
const production = new DocumentLimits(requestLimitsFrom(), true);

/** The README's example operations, as a frontend team would paste them. */
function readmeOperations(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  return [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/** Each operation of a document on its own, with the variables it declares set to the maximum. */
function operationsOf(document: string): { source: string; name: string }[] {
  return parse(document)
    .definitions.filter((d) => d.kind === 'OperationDefinition')
    .map((d) => ({ source: document, name: d.name?.value ?? '' }));
}

const largestVariables = {
  first: 100,
  id: 'x',
  orderId: 'x',
  key: 'k',
  token: 't',
  email: 'a@b.co',
  password: 'p',
  near: { latitude: 31.2, longitude: 121.4 },
};

function refusal(limits: DocumentLimits, schema: GraphQLSchema, query: string, variables = {}) {
  const checked = limits.checkRequest(schema, { query, variables });
  return 'errors' in checked ? [...new Set(checked.errors.map((e) => e.extensions.code))] : [];
}

describe('every documented operation passes the limits', () => {
  const documented = [
    ...readmeOperations().flatMap(operationsOf),
    ...Object.values(operations).flatMap(operationsOf),
  ];

  it('finds the README and test operations', () => {
    expect(documented.length).toBeGreaterThanOrEqual(12);
  });

  it.each(documented.map((o) => [o.name, o.source]))('%s', (name, source) => {
    for (const limits of [development, production]) {
      const checked = limits.checkRequest(apiSchema, {
        query: source,
        operationName: name,
        variables: largestVariables,
      });
      expect('errors' in checked ? checked.errors.map((e) => e.message) : []).toEqual([]);
    }
  });

  it('graphql-js introspection (what Sandbox and code generators send) passes in development', () => {
    expect(refusal(development, apiSchema, getIntrospectionQuery({ descriptions: true }))).toEqual(
      [],
    );
  });
});

describe('cost counts variables and argument defaults', () => {
  const bomb = (first: string) => `query Bomb($n: Int) {
    merchants(first: ${first}) { edges { node { dishes(first: ${first}) { edges { node {
      merchant { dishes(first: ${first}) { edges { node { name } } } } } } } } } }
  }`;
  const cost = (query: string, variables: Record<string, unknown> = {}) =>
    operationCost(apiSchema, parse(query), variables, undefined);

  it('a variable `first` costs what it asks for', () => {
    expect(cost(bomb('$n'), { n: 100 })).toBe(cost(bomb('100')));
    expect(cost(bomb('$n'), { n: 100 })).toBeGreaterThan(1_000_000);
  });

  it('an omitted `first` costs its default', () => {
    const omitted = '{ merchants { edges { node { name } } } }';
    expect(cost(omitted)).toBe(cost('{ merchants(first: 20) { edges { node { name } } } }'));
  });

  it('a huge `first` costs what it asks, and an explicit null costs the default', () => {
    expect(cost('{ merchants(first: 5000) { edges { node { name } } } }')).toBe(
      50 * cost('{ merchants(first: 100) { edges { node { name } } } }')!,
    );
    expect(cost('{ merchants(first: null) { edges { node { name } } } }')).toBe(
      cost('{ merchants(first: 20) { edges { node { name } } } }'),
    );
  });

  it('the nested bomb is refused with variables as with literals', () => {
    expect(refusal(development, apiSchema, bomb('$n'), { n: 100 })).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(refusal(development, apiSchema, bomb('100'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('a subgraph counts `_entities` once per representation', () => {
    const catalog = buildSubgraphSchema([{ typeDefs: parse(readSubgraphSchema('catalog')) }]);
    const query = `query($r: [_Any!]!) { _entities(representations: $r) {
      ... on Merchant { dishes(first: 100) { edges { node { name } } } } } }`;
    const representations = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ __typename: 'Merchant', id: `m${i}` }));
    const one = operationCost(catalog, parse(query), { r: representations(1) }, undefined)!;
    expect(operationCost(catalog, parse(query), { r: representations(300) }, undefined)).toBe(
      300 * one,
    );
    expect(refusal(development, catalog, query, { r: representations(300) })).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
  });
});

describe('depth and aliases', () => {
  it('counts introspection: a 40-level `ofType` chain is refused', () => {
    let chain = 'name';
    for (let i = 0; i < 40; i++) chain = `ofType { ${chain} }`;
    const query = `{ __schema { types { fields { type { ${chain} } } } } }`;
    expect(refusal(development, apiSchema, query)).toContain('GRAPHQL_VALIDATION_FAILED');
  });

  it('counts `__typename` aliases: 31 are refused with a limit of 30', () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `t${i}: __typename`).join(' ')} }`;
    expect(refusal(development, apiSchema, aliases(30))).toEqual([]);
    expect(refusal(development, apiSchema, aliases(31))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('refuses introspection and `_service` in production on every path', () => {
    const user = buildSubgraphSchema([{ typeDefs: parse(readSubgraphSchema('user')) }]);
    expect(refusal(production, user, '{ _service { sdl } }')).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(refusal(production, user, '{ __schema { queryType { name } } }')).toEqual([
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    expect(refusal(development, user, '{ _service { sdl } }')).toEqual([]);
  });
});
