import {
  createGatewayRuntime,
  getGraphQLWSOptions,
  type GatewayRuntime,
} from '@graphql-hive/gateway';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';

/** The supergraph the project commits (`npm run compose`), served as it is. */
export const COMMITTED_SUPERGRAPH = join(import.meta.dirname, '..', 'schema', 'supergraph.graphql');

export interface HiveGateway {
  url: string;
  stop(): Promise<void>;
}

/**
 * Hive Gateway (a federation router other than ours) in front of running subgraphs, configured
 * as a team replacing our gateway would configure any router (README, "Another router"):
 *   - the committed supergraph, with each subgraph's URL overridden by name (`urls`);
 *   - the client's `Authorization` header forwarded to every subgraph on HTTP;
 *   - subscriptions sent to the owning subgraph over graphql-ws on its `/graphql`, with the
 *     client's token in `connectionParams.authorization`, where the subgraphs look for it;
 *   - graphql-ws for clients on its own `/graphql`, as our gateway offers.
 * Nothing in the subgraphs knows which router is in front of them.
 */
export async function startHiveGateway(urls: Record<string, string>): Promise<HiveGateway> {
  const runtime: GatewayRuntime = createGatewayRuntime({
    supergraph: COMMITTED_SUPERGRAPH,
    logging: false,
    transportEntries: {
      ...Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, { location: url }])),
      '*.http': {
        options: {
          subscriptions: {
            kind: 'ws',
            location: '/graphql',
            options: {
              connectionParams: { authorization: '{context.connectionParams.authorization}' },
            },
          },
        },
      },
    },
    propagateHeaders: {
      fromClientToSubgraphs: ({ request }) => ({
        authorization: request.headers.get('authorization'),
      }),
    },
  });
  const httpServer = createServer(runtime);
  const wsServer = new WebSocketServer({ server: httpServer, path: runtime.graphqlEndpoint });
  const wsDisposable = useServer(
    getGraphQLWSOptions<Record<string, unknown>, Extra>(runtime, (ctx) => ({
      req: ctx.extra.request,
      socket: ctx.extra.socket,
    })),
    wsServer,
  );
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${runtime.graphqlEndpoint}`,
    stop: async () => {
      await wsDisposable.dispose();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await runtime.dispose();
    },
  };
}
