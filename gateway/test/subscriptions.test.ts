import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { generateKeyPair, TokenVerifier, type Viewer } from '@sky/auth';
import { createLogger } from '@sky/logging';
import { createGraphQLService, DocumentLimits, type RequestContext } from '@sky/server-kit';
import { requestLimitsFrom } from '@sky/config';
import { TEST_ENV, tokenSigner } from '@sky/testkit';
import { GraphQLError, parse, type GraphQLSchema } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { EventEmitter, on } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, loadConfig, type Gateway } from '../src/index.ts';

/**
 * The gateway's subscription layer against a supergraph it has never seen (two small subgraphs
 * made up here): it must know no field, type or channel name of the platform's own schema.
 */
const keys = generateKeyPair();
const verifier = new TokenVerifier(keys.publicKeyPem, {
  issuer: 'sky-takeout',
  audience: 'sky-takeout-api',
});
const logger = createLogger('test', 'silent');
const bus = new EventEmitter();
/** How many times the people subgraph resolved a courier: one per completed event. */
let courierResolutions = 0;

const tracksSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Parcel @key(fields: "id") { id: ID! status: String! version: Int! }
  type Query { parcel(id: ID!): Parcel }
  type Subscription { parcelMoved(id: ID!): Parcel! }`;
const peopleSdl = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
  type Parcel @key(fields: "id") { id: ID! courier: Courier }
  type Courier { name: String! seenBy: String }
  type Query { courierCount: Int! }`;

const tracksSchema = buildSubgraphSchema([
  {
    typeDefs: parse(tracksSdl),
    resolvers: {
      Query: {
        parcel: (_: unknown, { id }: { id: string }) => ({ id, status: 'NEW', version: 0 }),
      },
      Subscription: {
        parcelMoved: {
          // An explicit iterator (not an async generator) so that unsubscribing removes the
          // listener at once, which the test observes.
          subscribe: (_: unknown, { id }: { id: string }, ctx: { viewer: Viewer | null }) => {
            if (!ctx.viewer) throw new Error('anonymous');
            const events = on(bus, `moved:${id}`);
            const iterator = {
              next: async () => {
                const next = await events.next();
                return next.done ? next : { done: false, value: { parcelMoved: next.value[0] } };
              },
              return: () => events.return!(),
              [Symbol.asyncIterator]: () => iterator,
            };
            return iterator;
          },
        },
      },
    } as never,
  },
]);
const peopleSchema = buildSubgraphSchema([
  {
    typeDefs: parse(peopleSdl),
    resolvers: {
      Parcel: {
        __resolveReference: (ref: { id: string }) => ref,
        courier: (p: { id: string }, _: unknown, ctx: RequestContext) => {
          courierResolutions++;
          return { name: `courier of ${p.id}`, seenBy: ctx.viewer?.userId ?? null };
        },
      },
      Query: { courierCount: () => 1 },
    } as never,
  },
]);

async function startSubgraph(schema: GraphQLSchema) {
  const service = await createGraphQLService<RequestContext>({
    name: 'fake',
    logger,
    verifier,
    bodyLimitBytes: 100_000,
    production: false,
    limits: new DocumentLimits(requestLimitsFrom(), false),
    trustProxy: 'false',
    schema,
    createContext: (state) => state,
    checkReadiness: async () => {},
  });
  const wsServer = new WebSocketServer({ server: service.httpServer, path: '/graphql' });
  const ws = useServer(
    {
      schema,
      // A refusal at subscribe time, as a subgraph's limits give it (the id is the switch).
      onSubscribe: (_ctx, _id, payload) =>
        payload.variables?.id === 'refused-upstream'
          ? [
              new GraphQLError('Too many subscriptions started; retry shortly.', {
                extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 3 },
              }),
            ]
          : undefined,
      context: (ctx) => ({
        viewer: (() => {
          const header = ctx.connectionParams?.authorization;
          return typeof header === 'string' ? verifier.viewerFromHeader(header) : null;
        })(),
      }),
    },
    wsServer,
  );
  const { url } = await service.listen(0);
  return {
    url,
    stop: async () => {
      await ws.dispose();
      await service.stop();
    },
  };
}

let gateway: Gateway;
let gatewayWsUrl = '';
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const tracks = await startSubgraph(tracksSchema);
  const people = await startSubgraph(peopleSchema);
  stops.push(tracks.stop, people.stop);
  const composed = composeServices([
    { name: 'tracks', url: tracks.url, typeDefs: parse(tracksSdl) },
    { name: 'people', url: people.url, typeDefs: parse(peopleSdl) },
  ]);
  if (composed.errors) throw composed.errors[0];
  const dir = mkdtempSync(join(tmpdir(), 'sky-supergraph-'));
  writeFileSync(join(dir, 'supergraph.graphql'), composed.supergraphSdl);
  gateway = await createGateway(
    loadConfig({
      ...TEST_ENV,
      JWT_PUBLIC_KEY: keys.publicKeyPem,
      SUPERGRAPH_PATH: join(dir, 'supergraph.graphql'),
      MAX_SUBSCRIPTIONS_PER_CONNECTION: '2',
    }),
    logger,
  );
  gatewayWsUrl = (await gateway.listen(0)).url.replace('http', 'ws');
});
afterAll(async () => {
  await gateway?.stop();
  for (const stop of stops) await stop();
});

function client(token: string | null, onClose?: (code: number) => void): Client {
  return createClient({
    url: gatewayWsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    on: { closed: (event) => onClose?.((event as { code: number }).code) },
  });
}

const token = (ttlSeconds = 600, userId = 'user-1') =>
  tokenSigner(keys, ttlSeconds).signAccessToken({ userId, roles: ['CUSTOMER'], merchantId: null })
    .token;

const waitUntil = async (check: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 200 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
};

/** Client subscriptions the gateway holds, from its Prometheus exposition. */
const activeSubscriptions = async () => {
  const text = await gateway.metrics.render();
  return Number(/^sky_graphql_subscriptions_active(?:\{[^}]*\})? (\d+)/m.exec(text)?.[1] ?? -1);
};

describe('generic subscription layer', () => {
  it('completes each event with fields of another subgraph, with aliases, fragments and variables', async () => {
    const subscriber = client(token(600, 'alice'));
    const received: unknown[] = [];
    const iterator = subscriber.iterate({
      query: `subscription Track($parcel: ID!) {
        moved: parcelMoved(id: $parcel) { ...Progress carrier: courier { name seenBy } }
      }
      fragment Progress on Parcel { id state: status version }`,
      variables: { parcel: 'p-1' },
    });
    const reading = (async () => {
      for await (const result of iterator) {
        received.push(result);
        if (received.length === 2) break;
      }
    })();
    await waitUntil(() => bus.listenerCount('moved:p-1') > 0);
    bus.emit('moved:p-1', { id: 'p-1', status: 'PICKED_UP', version: 1 });
    bus.emit('moved:p-1', { id: 'p-1', status: 'DELIVERED', version: 2 });
    await reading;
    expect(received).toEqual([
      {
        data: {
          moved: {
            id: 'p-1',
            state: 'PICKED_UP',
            version: 1,
            carrier: { name: 'courier of p-1', seenBy: 'alice' },
          },
        },
      },
      {
        data: {
          moved: {
            id: 'p-1',
            state: 'DELIVERED',
            version: 2,
            carrier: { name: 'courier of p-1', seenBy: 'alice' },
          },
        },
      },
    ]);
    await subscriber.dispose();
    // The upstream subscription ends with the client's.
    await waitUntil(() => bus.listenerCount('moved:p-1') === 0);
    expect(bus.listenerCount('moved:p-1')).toBe(0);
  });

  it('shares one upstream subscription and one completion between identical subscribers, never across principals', async () => {
    const aliceToken = token(600, 'alice');
    const subscribers = [client(aliceToken), client(aliceToken), client(token(600, 'bob'))];
    const query = `subscription($parcel: ID!) {
      parcelMoved(id: $parcel) { status courier { name seenBy } }
    }`;
    const firstEvents = subscribers.map(async (subscriber) => {
      for await (const result of subscriber.iterate({ query, variables: { parcel: 'p-2' } })) {
        return result;
      }
    });
    await waitUntil(async () => (await activeSubscriptions()) === 3);
    expect(await activeSubscriptions()).toBe(3);
    // Alice's two subscriptions are one upstream; Bob's is his own.
    await waitUntil(() => bus.listenerCount('moved:p-2') === 2);
    expect(bus.listenerCount('moved:p-2')).toBe(2);
    const before = courierResolutions;
    bus.emit('moved:p-2', { id: 'p-2', status: 'PICKED_UP', version: 1 });
    const [alice1, alice2, bob] = await Promise.all(firstEvents);
    const seenBy = (result: unknown) =>
      (result as { data: { parcelMoved: { courier: { seenBy: string } } } }).data.parcelMoved
        .courier.seenBy;
    expect([seenBy(alice1), seenBy(alice2), seenBy(bob)]).toEqual(['alice', 'alice', 'bob']);
    // One completion of the event for Alice's two subscriptions, one for Bob's.
    expect(courierResolutions - before).toBe(2);
    for (const subscriber of subscribers) await subscriber.dispose();
    await waitUntil(() => bus.listenerCount('moved:p-2') === 0);
    expect(bus.listenerCount('moved:p-2')).toBe(0);
  });

  it('gives a late identical subscriber an upstream subscription of its own when events are not whole states', async () => {
    const aliceToken = token(600, 'alice');
    const query = 'subscription($parcel: ID!) { parcelMoved(id: $parcel) { status } }';
    const early = client(aliceToken);
    const earlyEvents: unknown[] = [];
    const earlyReading = (async () => {
      for await (const result of early.iterate({ query, variables: { parcel: 'p-3' } })) {
        earlyEvents.push(result);
        if (earlyEvents.length === 2) return;
      }
    })();
    await waitUntil(() => bus.listenerCount('moved:p-3') === 1);
    bus.emit('moved:p-3', { id: 'p-3', status: 'PICKED_UP', version: 1 });
    await waitUntil(() => earlyEvents.length === 1);
    // The tracks subgraph does not mark its events as states: a late subscriber must not be
    // handed an event that happened before it subscribed.
    const late = client(aliceToken);
    const lateEvents: unknown[] = [];
    const lateReading = (async () => {
      for await (const result of late.iterate({ query, variables: { parcel: 'p-3' } })) {
        lateEvents.push(result);
        return;
      }
    })();
    await waitUntil(() => bus.listenerCount('moved:p-3') === 2);
    expect(bus.listenerCount('moved:p-3')).toBe(2);
    bus.emit('moved:p-3', { id: 'p-3', status: 'DELIVERED', version: 2 });
    await Promise.all([earlyReading, lateReading]);
    expect(lateEvents).toEqual([{ data: { parcelMoved: { status: 'DELIVERED' } } }]);
    expect(earlyEvents).toEqual([
      { data: { parcelMoved: { status: 'PICKED_UP' } } },
      { data: { parcelMoved: { status: 'DELIVERED' } } },
    ]);
    await early.dispose();
    await late.dispose();
  });

  it('refuses a connection with a bad token with close code 4401', async () => {
    let closeCode = 0;
    const subscriber = client('not-a-token', (code) => (closeCode = code));
    const iterator = subscriber.iterate({ query: 'subscription { parcelMoved(id: "x") { id } }' });
    await expect(iterator.next()).rejects.toBeDefined();
    expect(closeCode).toBe(4401);
  });

  it('ends a subscription with UNAUTHENTICATED and closes 4401 when the token expires', async () => {
    let closeCode = 0;
    const subscriber = client(token(1), (code) => (closeCode = code));
    const results: { errors?: { extensions?: { code?: string } }[] }[] = [];
    const iterator = subscriber.iterate({
      query: 'subscription { parcelMoved(id: "p-2") { id } }',
    });
    const reading = (async () => {
      try {
        for await (const result of iterator) results.push(result as never);
      } catch {
        // The socket closes after the error.
      }
    })();
    await reading;
    expect(results.at(-1)?.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await waitUntil(() => closeCode !== 0);
    expect(closeCode).toBe(4401);
  });

  it('answers an invalid subscription document with GRAPHQL_VALIDATION_FAILED', async () => {
    const subscriber = client(token());
    const iterator = subscriber.iterate({
      query: 'subscription { parcelMoved(id: "x") { nope } }',
    });
    await expect(iterator.next()).rejects.toMatchObject([
      { extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } },
    ]);
    await subscriber.dispose();
  });

  it("passes the owning subgraph's refusal at subscribe time on with its code", async () => {
    const subscriber = client(token());
    const iterator = subscriber.iterate({
      query: 'subscription($id: ID!) { parcelMoved(id: $id) { id } }',
      variables: { id: 'refused-upstream' },
    });
    const first = await iterator.next();
    expect(first.value).toMatchObject({
      errors: [{ extensions: { code: 'RATE_LIMITED', retryAfterSeconds: 3 } }],
    });
    expect((await iterator.next()).done).toBe(true);
    await subscriber.dispose();
  });

  it('refuses more subscriptions on one connection than the limit with RATE_LIMITED', async () => {
    const subscriber = client(token());
    const query = 'subscription($id: ID!) { parcelMoved(id: $id) { id } }';
    const first = subscriber.iterate({ query, variables: { id: 'limit-1' } });
    const second = subscriber.iterate({ query, variables: { id: 'limit-2' } });
    const pendingFirst = first.next();
    const pendingSecond = second.next();
    await waitUntil(
      () => bus.listenerCount('moved:limit-1') > 0 && bus.listenerCount('moved:limit-2') > 0,
    );
    const third = subscriber.iterate({ query, variables: { id: 'limit-3' } });
    await expect(third.next()).rejects.toMatchObject([{ extensions: { code: 'RATE_LIMITED' } }]);
    void pendingFirst.catch(() => {});
    void pendingSecond.catch(() => {});
    await subscriber.dispose();
  });
});
