import {
  addressForOrder,
  quoteItem,
  quoteOrder,
  reserveStock,
  type EndpointRequest,
  type ParsedEndpointResponse,
} from '@sky/contracts';
import {
  callInternal,
  createRemoteCalls,
  internalClientOptions,
  type RemoteCalls,
  type ServiceMetrics,
} from '@sky/server-kit';
import type { OrderSubgraphConfig } from '../config.ts';

/**
 * The catalog and user subgraphs' internal endpoints this subgraph calls, typed and checked by
 * their contracts (@sky/contracts). Their domain refusals (SHOP_CLOSED, SOLD_OUT, NOT_FOUND, ...)
 * arrive as GraphQLErrors with the same code and pass through to the public caller unchanged.
 */

export type ItemQuote = ParsedEndpointResponse<typeof quoteItem>;
export type OrderAssessment = ParsedEndpointResponse<typeof quoteOrder>;
export type OrderQuote = NonNullable<OrderAssessment['quote']>;
export type { AddressSnapshot } from '@sky/contracts';

type Call<Endpoint extends Parameters<typeof callInternal>[0]> = (
  input: EndpointRequest<Endpoint>,
  requestId?: string,
) => Promise<ParsedEndpointResponse<Endpoint>>;

export interface CatalogClient {
  quoteItem: Call<typeof quoteItem>;
  quoteOrder: Call<typeof quoteOrder>;
  reserveStock: Call<typeof reserveStock>;
}

export interface UserClient {
  addressForOrder: Call<typeof addressForOrder>;
}

export interface InternalClients {
  catalog: CatalogClient;
  user: UserClient;
}

/**
 * `calls` holds one circuit breaker per callee and retries the contracts marked idempotent (build
 * it with the service's metrics registry to export the breakers' state); `metrics` counts and
 * times each call.
 */
export function createInternalClients(
  config: OrderSubgraphConfig,
  {
    calls = createRemoteCalls(config.resilience),
    metrics,
  }: { calls?: RemoteCalls; metrics?: ServiceMetrics } = {},
): InternalClients {
  // Looked up per call, so a subgraph started before its siblings' URLs are known still starts.
  const target = (callee: 'catalog' | 'user') =>
    internalClientOptions(config.internal, callee, { calls, metrics });
  return {
    catalog: {
      quoteItem: (input, requestId) => callInternal(quoteItem, target('catalog'), input, requestId),
      quoteOrder: (input, requestId) =>
        callInternal(quoteOrder, target('catalog'), input, requestId),
      reserveStock: (input, requestId) =>
        callInternal(reserveStock, target('catalog'), input, requestId),
    },
    user: {
      addressForOrder: (input, requestId) =>
        callInternal(addressForOrder, target('user'), input, requestId),
    },
  };
}
