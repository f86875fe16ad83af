import { generateKeyPair } from '@sky/auth';
import { demoId } from '@sky/demo-data';
import { graphql } from '@sky/testkit';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let supergraph: TestSupergraph;
beforeAll(async () => {
  supergraph = await startTestSupergraph();
});
afterAll(async () => {
  await supergraph?.stop();
});

const alice = demoId('user:alice');
const nowSeconds = () => Math.floor(Date.now() / 1000);
const claims = () => ({ sub: alice, roles: ['CUSTOMER'], exp: nowSeconds() + 600 });
const signOptions = {
  algorithm: 'ES256' as const,
  issuer: 'sky-takeout',
  audience: 'sky-takeout-api',
};

/** Every kind of bad token a client or an attacker might send. */
const badTokens: Record<string, () => string> = {
  'signed with another key': () => jwt.sign(claims(), generateKeyPair().privateKeyPem, signOptions),
  expired: () =>
    jwt.sign({ ...claims(), exp: nowSeconds() - 60 }, supergraph.keys.privateKeyPem, signOptions),
  'for another audience': () =>
    jwt.sign(claims(), supergraph.keys.privateKeyPem, { ...signOptions, audience: 'someone-else' }),
  'from another issuer': () =>
    jwt.sign(claims(), supergraph.keys.privateKeyPem, { ...signOptions, issuer: 'evil' }),
  'HS256 with the public key as secret': () =>
    jwt.sign(claims(), supergraph.keys.publicKeyPem, {
      ...signOptions,
      algorithm: 'HS256',
    }),
  'unsigned (alg none)': () => jwt.sign(claims(), '', { ...signOptions, algorithm: 'none' }),
  'with a tampered payload': () => {
    const [header, , signature] = jwt
      .sign(claims(), supergraph.keys.privateKeyPem, signOptions)
      .split('.');
    const payload = Buffer.from(JSON.stringify({ ...claims(), roles: ['ADMIN'] })).toString(
      'base64url',
    );
    return `${header}.${payload}.${signature}`;
  },
  'not a JWT at all': () => 'garbage',
};

describe('a bad Authorization header rejects the whole request with 401 UNAUTHENTICATED', () => {
  const endpoints = () => ({ gateway: supergraph.gatewayUrl, ...supergraph.subgraphUrls });
  // A public query: the token is refused even though no identity is needed.
  const PUBLIC_QUERY = '{ __typename }';

  for (const [kind, makeToken] of Object.entries(badTokens)) {
    it(`a token ${kind}, at the gateway and at every subgraph called directly`, async () => {
      for (const [name, url] of Object.entries(endpoints())) {
        const response = await graphql(url, PUBLIC_QUERY, { token: makeToken() });
        expect({ name, status: response.status }).toEqual({ name, status: 401 });
        expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect(response.data).toBeUndefined();
      }
    });
  }

  it('a header that is not a bearer token', async () => {
    const response = await graphql(supergraph.gatewayUrl, PUBLIC_QUERY, {
      headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' },
    });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('no header means anonymous: public fields answer, private ones say UNAUTHENTICATED', async () => {
    const publicResponse = await graphql(
      supergraph.gatewayUrl,
      '{ merchants(first: 1) { edges { node { name } } } }',
    );
    expect(publicResponse.status).toBe(200);
    expect(publicResponse.errors).toBeUndefined();
    const privateResponse = await graphql(
      supergraph.gatewayUrl,
      '{ myOrders { edges { node { id } } } }',
    );
    expect(privateResponse.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a valid token is accepted at the gateway and directly', async () => {
    const token = jwt.sign(claims(), supergraph.keys.privateKeyPem, signOptions);
    for (const url of [supergraph.gatewayUrl, supergraph.subgraphUrls.user!]) {
      const response = await graphql<{ me: { id: string } }>(url, '{ me { id } }', { token });
      expect(response.data?.me.id).toBe(alice);
    }
  });
});
