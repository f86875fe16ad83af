import { generateKeyPair } from '@sky/auth';
import { findDemoUser } from '@sky/demo-data';
import { graphql, postRaw, tokenSigner, type GraphQLResponse } from '@sky/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksInternals } from '../helpers.ts';
import type { TestSupergraph } from '../supergraph.ts';
import { endpointsOf, startHostileSupergraph } from './harness.ts';

/**
 * Hostile HTTP requests, table-driven: every case against the gateway and straight against each
 * subgraph (an attacker inside the network skips the gateway). Each asserts its HTTP status and
 * error code, a request id, no internals in the body, and that the endpoint keeps serving.
 */
let supergraph: TestSupergraph;
let endpoints: [string, string][];
beforeAll(async () => {
  supergraph = await startHostileSupergraph({ PAYMENT_TIMEOUT_SECONDS: '86400' });
  endpoints = endpointsOf(supergraph);
});
afterAll(async () => {
  await supergraph?.stop();
});

type Send = (url: string, endpoint: string) => Promise<GraphQLResponse>;
interface Case {
  name: string;
  send: Send;
  status: number;
  code: string;
}

const json = { 'content-type': 'application/json' };
const typenames = (n: number, alias: boolean) =>
  Array.from({ length: n }, (_, i) => (alias ? `t${i}: __typename` : '__typename')).join(' ');

/** `{ __schema { types { fields { type { ofType { ... } } } } } }`, `levels` of `ofType`. */
function deepIntrospection(levels: number): string {
  let chain = 'name';
  for (let i = 0; i < levels; i++) chain = `ofType { ${chain} }`;
  return `{ __schema { types { fields { type { ${chain} } } } } }`;
}

/** Nine levels of fragments, each spreading the one below three times: 3^9 selections. */
function fragmentExplosion(): string {
  const fragments = ['fragment F0 on Query { __typename }'];
  for (let level = 1; level <= 9; level++) {
    fragments.push(
      `fragment F${level} on Query { ...F${level - 1} ...F${level - 1} ...F${level - 1} }`,
    );
  }
  return `query { ...F9 }\n${fragments.join('\n')}`;
}

const forgedToken = () =>
  tokenSigner(generateKeyPair()).signAccessToken({
    userId: findDemoUser('alice').id,
    roles: ['ADMIN'],
    merchantId: null,
  }).token;
const expiredToken = () =>
  tokenSigner(supergraph.keys, -60).signAccessToken({
    userId: findDemoUser('alice').id,
    roles: ['CUSTOMER'],
    merchantId: null,
  }).token;
/** Header and claims of a real token with `alg: none` and no signature. */
function unsignedToken(): string {
  const real = supergraph.tokenFor({ userId: findDemoUser('alice').id, roles: ['ADMIN'] });
  const [, claims] = real.split('.');
  const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  return `${header}.${claims}.`;
}

const generic: Case[] = [
  {
    name: 'malformed JSON',
    send: (url) => postRaw(url, '{"query": "{ __typename }"'),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a batched array of operations',
    send: (url) => postRaw(url, JSON.stringify(Array(50).fill({ query: '{ __typename }' }))),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a body without a query',
    send: (url) => postRaw(url, JSON.stringify({ variables: {} })),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a query that is not a string',
    send: (url) => postRaw(url, JSON.stringify({ query: { nested: ['{ __typename }'] } })),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'variables that are not an object',
    send: (url) => postRaw(url, JSON.stringify({ query: '{ __typename }', variables: 'x' })),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a body over the size limit',
    send: (url) =>
      postRaw(url, JSON.stringify({ query: `{ __typename } #${'x'.repeat(300_000)}` })),
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
  },
  {
    name: 'another HTTP method',
    send: async (url) => {
      const response = await fetch(url, { method: 'PUT', headers: json, body: '{}' });
      return {
        status: response.status,
        headers: response.headers,
        ...((await response.json()) as object),
      };
    },
    status: 405,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a cross-site GET (no content type, no preflight header)',
    send: async (url) => {
      const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
      return {
        status: response.status,
        headers: response.headers,
        ...((await response.json()) as object),
      };
    },
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a cross-site form post (text/plain)',
    send: (url) =>
      postRaw(url, JSON.stringify({ query: '{ __typename }' }), { 'content-type': 'text/plain' }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a cross-site form post (urlencoded)',
    send: (url) =>
      postRaw(url, 'query=%7B__typename%7D', {
        'content-type': 'application/x-www-form-urlencoded',
      }),
    status: 400,
    code: 'BAD_REQUEST',
  },
  {
    name: 'a syntax error',
    send: (url) => graphql(url, '{ __typename '),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'more tokens than the limit',
    send: (url) => graphql(url, `{ ${typenames(6_000, false)} }`),
    status: 400,
    code: 'GRAPHQL_PARSE_FAILED',
  },
  {
    name: 'an unknown field',
    send: (url) => graphql(url, '{ definitelyNotAField }'),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: '31 `__typename` aliases (limit 30)',
    send: (url) => graphql(url, `{ ${typenames(31, true)} }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'an alias bomb of 500',
    send: (url) => graphql(url, `{ ${typenames(500, true)} }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: '60 directives (limit 50)',
    send: (url) => graphql(url, `{ ${Array(60).fill('__typename @include(if: true)').join(' ')} }`),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'introspection 40 `ofType` levels deep',
    send: (url) => graphql(url, deepIntrospection(40)),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'an introspection fan-out (`fields { type { fields ... } }`)',
    send: (url) =>
      graphql(
        url,
        '{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }',
      ),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a fragment explosion (3^9 selections)',
    send: (url) => graphql(url, fragmentExplosion()),
    status: 400,
    code: 'GRAPHQL_VALIDATION_FAILED',
  },
  {
    name: 'a variable of the wrong type',
    send: (url) =>
      graphql(url, 'query($flag: Boolean!) { __typename @include(if: $flag) }', {
        variables: { flag: { nested: true } },
      }),
    status: 400,
    code: 'BAD_USER_INPUT',
  },
  {
    name: 'an operation name that is not in the document',
    send: (url) =>
      postRaw(url, JSON.stringify({ query: 'query A { __typename }', operationName: 'B' })),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'several operations and no operation name',
    send: (url) => graphql(url, 'query A { __typename } query B { __typename }'),
    status: 400,
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a forged token (another key, ADMIN claimed)',
    send: (url) => graphql(url, '{ __typename }', { token: forgedToken() }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an expired token',
    send: (url) => graphql(url, '{ __typename }', { token: expiredToken() }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an unsigned token (alg none)',
    send: (url) => graphql(url, '{ __typename }', { token: unsignedToken() }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
  {
    name: 'an Authorization header that is not a bearer token',
    send: (url) =>
      graphql(url, '{ __typename }', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
    status: 401,
    code: 'UNAUTHENTICATED',
  },
];

/** Queries nested past the depth limit through each endpoint's own cycles of types. */
const deepQueries: Record<string, (levels: number) => string> = {
  gateway: (n) => `{ me { ${'addresses { user { '.repeat(n)}id${' } }'.repeat(n)} } }`,
  user: (n) => `{ me { ${'addresses { user { '.repeat(n)}id${' } }'.repeat(n)} } }`,
  catalog: (n) =>
    `{ merchants(first: 1) { edges { node { ${'dishes(first: 1) { edges { node { merchant { '.repeat(n)}id${' } } } }'.repeat(n)} } } } }`,
  order: (n) =>
    `{ myOrders(first: 1) { edges { node { ${'customer { orders(first: 1) { edges { node { '.repeat(n)}id${' } } } }'.repeat(n)} } } } }`,
  payment: (n) => `{ payment(id: "x") { ${'order { payment { '.repeat(n)}id${' } }'.repeat(n)} } }`,
  delivery: (n) =>
    `{ myRiderProfile { ${'deliveries(first: 1) { edges { node { rider { '.repeat(n)}id${' } } } }'.repeat(n)} } }`,
};

/**
 * Queries whose cost explodes only through their variables (or through omitted arguments'
 * defaults): a cost rule that reads only literals lets these through.
 */
const costBombs: Record<string, { query: string; variables: Record<string, unknown> }> = {
  gateway: {
    query: `query($n: Int) { merchants(first: $n) { edges { node { dishes(first: $n) { edges { node {
      merchant { dishes(first: $n) { edges { node { name } } } } } } } } } } }`,
    variables: { n: 100 },
  },
  ...Object.fromEntries(
    (
      [
        ['user', 'User', '... on User { addresses { id } }'],
        ['catalog', 'Merchant', '... on Merchant { dishes(first: $n) { edges { node { id } } } }'],
        ['order', 'User', '... on User { orders(first: $n) { edges { node { id } } } }'],
        ['payment', 'Order', '... on Order { payment { refunds { id } } }'],
        [
          'delivery',
          'User',
          '... on User { rider { deliveries(first: $n) { edges { node { id } } } } }',
        ],
      ] as const
    ).map(([name, typename, selection]) => [
      name,
      {
        query: `query($r: [_Any!]!${selection.includes('$n') ? ', $n: Int' : ''}) {
          _entities(representations: $r) { ${selection} } }`,
        variables: {
          ...(selection.includes('$n') ? { n: 100 } : {}),
          r: Array.from({ length: 2_000 }, (_, i) => ({ __typename: typename, id: `${i}` })),
        },
      },
    ]),
  ),
};

function expectRefusal(response: GraphQLResponse, expected: { status: number; code: string }) {
  expect({ status: response.status, code: response.errors?.[0]?.extensions?.code }).toEqual({
    status: expected.status,
    code: expected.code,
  });
  expect(typeof response.errors?.[0]?.extensions?.requestId).toBe('string');
  expect(response.errors?.[0]?.extensions?.serviceName).toBeUndefined();
  expect(leaksInternals(response)).toBe(false);
}

describe('hostile HTTP requests', () => {
  const endpointNames = ['gateway', 'user', 'catalog', 'order', 'payment', 'delivery'];
  const url = (name: string) => endpoints.find(([endpoint]) => endpoint === name)![1];

  describe.each(endpointNames)('%s', (endpoint) => {
    it.each(generic.map((c) => [c.name, c] as const))('%s', async (_name, hostile) => {
      expectRefusal(await hostile.send(url(endpoint), endpoint), hostile);
    });

    it('a query nested past the depth limit', async () => {
      expectRefusal(await graphql(url(endpoint), deepQueries[endpoint]!(8)), {
        status: 400,
        code: 'GRAPHQL_VALIDATION_FAILED',
      });
    });

    it('a cost bomb whose size comes from its variables', async () => {
      const bomb = costBombs[endpoint]!;
      const response = await graphql(url(endpoint), bomb.query, { variables: bomb.variables });
      expectRefusal(response, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
      expect(response.errors![0]!.extensions!.cost).toBeGreaterThan(20_000);
    });

    it('still answers an ordinary request afterwards', async () => {
      const response = await graphql(url(endpoint), '{ __typename }');
      expect(response.data).toEqual({ __typename: 'Query' });
    });
  });

  it.each(['gateway', 'catalog'])(
    '%s: a cost bomb made of omitted arguments (their default of 20)',
    async (endpoint) => {
      const response = await graphql(
        url(endpoint),
        `
          {
            merchants {
              edges {
                node {
                  dishes {
                    edges {
                      node {
                        merchant {
                          dishes {
                            edges {
                              node {
                                merchant {
                                  dishes {
                                    edges {
                                      node {
                                        name
                                      }
                                    }
                                  }
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        `,
      );
      expectRefusal(response, { status: 400, code: 'GRAPHQL_VALIDATION_FAILED' });
    },
  );
});
