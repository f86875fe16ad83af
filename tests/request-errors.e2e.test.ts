import { graphql, postRaw, type GraphQLResponse } from '@sky/testkit';
import { startProductionEdges, startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leaksInternals } from './helpers.ts';

let supergraph: TestSupergraph;
const cleanup: (() => Promise<void>)[] = [];
/** Endpoints under test: the gateway and a subgraph, each in development and production mode. */
const endpoints: Record<string, string> = {};

beforeAll(async () => {
  supergraph = await startTestSupergraph();
  const production = await startProductionEdges(supergraph);
  cleanup.push(production.stop);
  const productionGatewayUrl = production.gatewayUrl;
  const productionUserUrl = production.userUrl;

  Object.assign(endpoints, {
    'gateway (development)': supergraph.gatewayUrl,
    'gateway (production)': productionGatewayUrl,
    'user subgraph (development)': supergraph.subgraphUrls.user!,
    'user subgraph (production)': productionUserUrl,
  });
});
afterAll(async () => {
  for (const step of cleanup) await step();
  await supergraph?.stop();
});

function expectRefusal(response: GraphQLResponse, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.errors?.[0]?.extensions?.code).toBe(code);
  expect(typeof response.errors?.[0]?.extensions?.requestId).toBe('string');
  expect(leaksInternals(response)).toBe(false);
}

/** Nested `me { addresses { user { addresses ... } } }`, `levels` deep. */
function deepQuery(levels: number): string {
  let selection = 'id';
  for (let i = 0; i < levels; i++) selection = `addresses { user { ${selection} } }`;
  return `{ me { ${selection} } }`;
}

const cases: [string, (url: string) => Promise<GraphQLResponse>, number, string][] = [
  ['malformed JSON', (url) => postRaw(url, '{"query": "{ __typename }"'), 400, 'BAD_REQUEST'],
  [
    'a body without a query',
    (url) => postRaw(url, JSON.stringify({ variables: {} })),
    400,
    'BAD_REQUEST',
  ],
  ['an empty query', (url) => postRaw(url, JSON.stringify({ query: '  ' })), 400, 'BAD_REQUEST'],
  [
    'a batched request',
    (url) => postRaw(url, JSON.stringify([{ query: '{ __typename }' }])),
    400,
    'BAD_REQUEST',
  ],
  [
    'a body over the size limit',
    (url) => postRaw(url, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(200_000)}` })),
    413,
    'PAYLOAD_TOO_LARGE',
  ],
  ['a parse error', (url) => graphql(url, '{ me { id '), 400, 'GRAPHQL_PARSE_FAILED'],
  [
    'an unknown field',
    (url) => graphql(url, '{ me { favouriteColour } }'),
    400,
    'GRAPHQL_VALIDATION_FAILED',
  ],
  [
    'a variable of the wrong type',
    (url) =>
      graphql(url, 'query($id: ID!) { user(id: $id) { id } }', {
        variables: { id: { nested: true } },
      }),
    400,
    'BAD_USER_INPUT',
  ],
  // Subgraphs enforce the same limits as the gateway: calling one directly gains nothing.
  [
    'a query deeper than the limit',
    (url) => graphql(url, deepQuery(8)),
    400,
    'GRAPHQL_VALIDATION_FAILED',
  ],
  [
    'an alias bomb',
    (url) =>
      graphql(url, `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: me { id }`).join(' ')} }`),
    400,
    'GRAPHQL_VALIDATION_FAILED',
  ],
  [
    'a document with more tokens than the limit',
    (url) => graphql(url, `{ ${Array.from({ length: 6_000 }, () => '__typename').join(' ')} }`),
    400,
    'GRAPHQL_PARSE_FAILED',
  ],
];

describe('malformed and abusive requests get a stable code and no internals', () => {
  for (const [name, send, status, code] of cases) {
    it(`${name} → ${status} ${code}`, async () => {
      for (const [endpoint, url] of Object.entries(endpoints)) {
        const response = await send(url);
        expect({
          endpoint,
          status: response.status,
          code: response.errors?.[0]?.extensions?.code,
        }).toEqual({
          endpoint,
          status,
          code,
        });
        expectRefusal(response, status, code);
      }
    });
  }
  it('a documented-depth query passes the limits', async () => {
    const response = await graphql(supergraph.gatewayUrl, deepQuery(3));
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({ me: null });
  });

  it('every endpoint keeps serving afterwards', async () => {
    for (const url of Object.values(endpoints)) {
      const response = await graphql(url, '{ __typename }');
      expect(response.status).toBe(200);
      expect(response.data).toEqual({ __typename: 'Query' });
    }
  });

  it('production hides field suggestions and introspection; development offers them', async () => {
    const production = await graphql(
      endpoints['gateway (production)']!,
      '{ merchant(id: "x") { nam } }',
    );
    expect(production.errors?.[0]?.message).not.toMatch(/Did you mean/);
    const introspection = await graphql(
      endpoints['gateway (production)']!,
      '{ __schema { queryType { name } } }',
    );
    expect(introspection.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const development = await graphql(supergraph.gatewayUrl, '{ __schema { queryType { name } } }');
    expect(development.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});
