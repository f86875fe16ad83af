import { callInternal } from '@sky/server-kit';
import type { OrderSubgraphConfig } from '../config.ts';

/**
 * The catalog and user subgraphs' internal endpoints this subgraph calls (docs/contracts.md).
 * Their domain refusals (SHOP_CLOSED, SOLD_OUT, NOT_FOUND, ...) arrive as GraphQLErrors with the
 * same code and pass through to the public caller unchanged.
 */

export interface Money {
  amount: number;
  currency: string;
}

export interface ItemQuote {
  dishId: string | null;
  setMealId: string | null;
  merchantId: string;
  name: string;
  imageUrl: string | null;
  flavor: string | null;
  unitPrice: Money;
}

export interface OrderQuoteLine {
  dishId: string | null;
  setMealId: string | null;
  name: string;
  imageUrl: string | null;
  flavor: string | null;
  quantity: number;
  unitPrice: Money;
  lineTotal: Money;
}

export interface OrderQuote {
  /** `location`: where the merchant is, so where riders pick the order up. */
  merchant: {
    id: string;
    name: string;
    currency: string;
    location?: { latitude: number; longitude: number } | null;
  };
  lines: OrderQuoteLine[];
  itemsTotal: Money;
  packingFee: Money;
  deliveryFee: Money;
  total: Money;
}

export interface AddressSnapshot {
  id: string;
  contactName: string;
  phone: string;
  detail: string;
  label: string | null;
  latitude: number;
  longitude: number;
}

export interface CatalogClient {
  quoteItem(
    input: {
      merchantId: string;
      dishId: string | null;
      setMealId: string | null;
      flavor: string | null;
    },
    requestId?: string,
  ): Promise<ItemQuote>;
  quoteOrder(
    input: {
      merchantId: string;
      items: {
        dishId: string | null;
        setMealId: string | null;
        flavor: string | null;
        quantity: number;
      }[];
      deliverTo: { latitude: number; longitude: number };
    },
    requestId?: string,
  ): Promise<OrderQuote>;
  reserveStock(
    input: {
      orderId: string;
      merchantId: string;
      items: { dishId: string | null; setMealId: string | null; quantity: number }[];
    },
    requestId?: string,
  ): Promise<{ reserved: true }>;
}

export interface UserClient {
  addressForOrder(
    input: { addressId: string; userId: string },
    requestId?: string,
  ): Promise<AddressSnapshot>;
}

export interface InternalClients {
  catalog: CatalogClient;
  user: UserClient;
}

function endpoint(config: OrderSubgraphConfig, subgraph: string) {
  return () => {
    const baseUrl = config.internal.subgraphUrls[subgraph];
    if (!baseUrl) {
      throw new Error(
        `SUBGRAPH_${subgraph.toUpperCase()}_URL is not configured; the order subgraph cannot call ${subgraph}.`,
      );
    }
    return { baseUrl, token: config.internal.token, timeoutMs: config.internal.timeoutMs };
  };
}

/** Money crosses service boundaries as integer minor units; anything else is a broken peer. */
function checkedItemQuote(quote: ItemQuote): ItemQuote {
  const { amount } = quote.unitPrice;
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new Error('catalog quote-item answered a unit price that is not integer minor units');
  }
  return quote;
}

export function createInternalClients(config: OrderSubgraphConfig): InternalClients {
  const catalog = endpoint(config, 'catalog');
  const user = endpoint(config, 'user');
  return {
    catalog: {
      quoteItem: async (input, requestId) =>
        checkedItemQuote(await callInternal(catalog(), 'quote-item', input, requestId)),
      quoteOrder: (input, requestId) => callInternal(catalog(), 'quote-order', input, requestId),
      reserveStock: (input, requestId) =>
        callInternal(catalog(), 'reserve-stock', input, requestId),
    },
    user: {
      addressForOrder: (input, requestId) =>
        callInternal(user(), 'address-for-order', input, requestId),
    },
  };
}
