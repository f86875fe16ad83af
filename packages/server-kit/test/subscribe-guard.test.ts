import { closed, fields, isAuthenticated, type Viewer } from '@sky/auth';
import { forbidden } from '@sky/errors';
import { createSourceEventStream, parse, type ExecutionResult } from 'graphql';
import { allow, shield } from 'graphql-shield';
import { describe, expect, it } from 'vitest';
import { buildProtectedSubgraphSchema } from '../src/index.ts';

const typeDefs = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Query { hello: String }
  type Subscription { watch: Int }
`;

describe('the shield guards subscribe, not only resolve', () => {
  let opened = 0;
  const schema = buildProtectedSubgraphSchema({
    typeDefs,
    resolvers: {
      Query: { hello: () => 'hi' },
      Subscription: {
        watch: {
          // A field with both functions: graphql-middleware alone would wrap only `resolve`.
          subscribe: async function* () {
            opened++;
            yield 1;
          },
          resolve: (value: number) => value,
        },
      },
    },
    permissions: shield(
      {
        Query: closed({ ...fields('hello _service', allow) }),
        Subscription: closed({ watch: isAuthenticated }),
        _Service: closed(fields('sdl', allow)),
      },
      { fallbackError: () => forbidden(), allowExternalErrors: true },
    ),
  });
  const subscribe = (viewer: Viewer | null) =>
    createSourceEventStream({
      schema,
      document: parse('subscription { watch }'),
      contextValue: { viewer },
    });

  it('refuses an anonymous subscriber before the stream opens', async () => {
    const result = await subscribe(null);
    expect(Symbol.asyncIterator in result).toBe(false);
    expect((result as ExecutionResult).errors![0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(opened).toBe(0);
  });

  it('opens the stream for a subscriber the rule allows', async () => {
    const viewer: Viewer = {
      userId: 'u',
      roles: ['CUSTOMER'],
      merchantId: null,
      expiresAt: 0,
      token: 't',
    };
    const stream = (await subscribe(viewer)) as AsyncIterableIterator<unknown>;
    expect(Symbol.asyncIterator in stream).toBe(true);
    await stream.next();
    expect(opened).toBe(1);
  });
});
