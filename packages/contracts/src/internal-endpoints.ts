import { z } from 'zod';
import {
  geoPoint,
  isoDateTime,
  money,
  orderStatus,
  payStatus,
  prepMinutes,
  uuid,
  type SubgraphName,
} from './common.ts';

/**
 * One internal endpoint (`POST <callee>/internal/<name>`, service token required): what the
 * caller sends and what the callee answers. The callee parses the request with `request` before
 * its handler runs; the caller parses the answer with `response`. Both sides are typed from these
 * schemas, so a change that breaks one side fails the other's typecheck.
 */
export interface InternalEndpoint<
  Request extends z.ZodType = z.ZodType,
  Response extends z.ZodType = z.ZodType,
> {
  /** The subgraph that serves it. */
  subgraph: SubgraphName;
  name: string;
  /**
   * Safe to send again when an answer was lost: a read, or a write made idempotent by a key.
   * Callers retry only these, after a transport failure and within the request's deadline.
   */
  idempotent: boolean;
  request: Request;
  response: Response;
}

const endpoint = <Request extends z.ZodType, Response extends z.ZodType>(
  definition: InternalEndpoint<Request, Response>,
) => definition;

/** What the caller sends, before parsing (what the TypeScript caller must pass). */
export type EndpointRequest<E extends InternalEndpoint> = z.input<E['request']>;
/** What the callee's handler receives, after parsing. */
export type ParsedEndpointRequest<E extends InternalEndpoint> = z.output<E['request']>;
/** What the callee's handler returns. */
export type EndpointResponse<E extends InternalEndpoint> = z.input<E['response']>;
/** What the caller gets back, after parsing. */
export type ParsedEndpointResponse<E extends InternalEndpoint> = z.output<E['response']>;

const MAX_ORDER_LINES = 50;
const MAX_LINE_QUANTITY = 999;

/** A dish or a set meal of a merchant's menu (exactly one of the two; the callee checks it). */
const itemReference = {
  dishId: uuid.nullish(),
  setMealId: uuid.nullish(),
};
const flavor = z.string().max(500).nullish();
const quantity = z.number().int().min(1).max(MAX_LINE_QUANTITY);

/** A priced unit of a dish or set meal (catalog's answer). */
const pricedItem = z.object({
  dishId: uuid.nullable(),
  setMealId: uuid.nullable(),
  name: z.string(),
  imageUrl: z.string().nullable(),
  flavor: z.string().nullable(),
});

/** catalog `quote-item`: one dish or set meal at its current price (add to cart, reorder). */
export const quoteItem = endpoint({
  subgraph: 'catalog',
  name: 'quote-item',
  idempotent: true,
  request: z.object({ merchantId: uuid, ...itemReference, flavor }),
  response: pricedItem.extend({ merchantId: uuid, unitPrice: money }),
});

const quotedOrder = z
  .object({
    /** `location` is where riders pick the order up (the order keeps it for dispatch). */
    merchant: z.object({
      id: uuid,
      name: z.string(),
      currency: z.string().length(3),
      location: geoPoint,
      /** The merchant's usual prep time; the order keeps it for `acceptOrder` without one. */
      defaultPrepMinutes: prepMinutes,
    }),
    lines: z.array(pricedItem.extend({ quantity, unitPrice: money, lineTotal: money })).min(1),
    itemsTotal: money,
    packingFee: money,
    deliveryFee: money,
    total: money,
  })
  // The order stores the quote as its own and charges it: it must add up, in one currency.
  .refine(
    (quote) =>
      [
        quote.itemsTotal,
        quote.packingFee,
        quote.deliveryFee,
        quote.total,
        ...quote.lines.flatMap((line) => [line.unitPrice, line.lineTotal]),
      ].every((amount) => amount.currency === quote.merchant.currency),
    'every amount of a quote is in the merchant’s currency',
  )
  .refine(
    (quote) =>
      quote.lines.every(
        (line) => line.lineTotal.amount === line.unitPrice.amount * line.quantity,
      ) &&
      quote.itemsTotal.amount ===
        quote.lines.reduce((sum, line) => sum + line.lineTotal.amount, 0) &&
      quote.total.amount ===
        quote.itemsTotal.amount + quote.packingFee.amount + quote.deliveryFee.amount,
    'the lines and totals of a quote add up',
  );

/**
 * catalog `quote-order`: the authoritative price list of an order about to be placed (prices,
 * packing and delivery fees, totals), or a refusal (SHOP_CLOSED, OUT_OF_DELIVERY_RANGE,
 * BELOW_MINIMUM_ORDER, ITEM_UNAVAILABLE, SOLD_OUT, NOT_FOUND, BAD_USER_INPUT).
 */
export const quoteOrder = endpoint({
  subgraph: 'catalog',
  name: 'quote-order',
  idempotent: true,
  request: z.object({
    merchantId: uuid,
    items: z
      .array(z.object({ ...itemReference, flavor, quantity }))
      .min(1)
      .max(MAX_ORDER_LINES),
    // Checked against the earth's ranges by catalog itself (a refusal naming `deliverTo`).
    deliverTo: z.object({ latitude: z.number(), longitude: z.number() }),
  }),
  response: quotedOrder,
});

/**
 * catalog `reserve-stock`: takes today's stock for an order, all or nothing, idempotent per
 * `orderId`; refuses SOLD_OUT. A reservation is released only by `order.cancelled` for that
 * order id (also for a placement that never created its order).
 */
export const reserveStock = endpoint({
  subgraph: 'catalog',
  name: 'reserve-stock',
  // A repeat with the same orderId finds the reservation made and answers it again.
  idempotent: true,
  request: z.object({
    orderId: uuid,
    merchantId: uuid,
    items: z
      .array(z.object({ ...itemReference, quantity }))
      .min(1)
      .max(MAX_ORDER_LINES),
  }),
  response: z.object({ reserved: z.literal(true) }),
});

/** user `address-for-order`: the customer's own address, copied onto the order (else NOT_FOUND). */
export const addressForOrder = endpoint({
  subgraph: 'user',
  name: 'address-for-order',
  idempotent: true,
  request: z.object({ addressId: z.string().min(1), userId: z.string().min(1) }),
  response: z.object({
    id: uuid,
    contactName: z.string(),
    phone: z.string(),
    detail: z.string(),
    label: z.string().nullable(),
    latitude: geoPoint.shape.latitude,
    longitude: geoPoint.shape.longitude,
  }),
});
export type AddressSnapshot = z.infer<typeof addressForOrder.response>;

/**
 * order `order-for-payment`: what payment needs to charge an order, when `order.placed` has not
 * reached it yet (else NOT_FOUND).
 */
export const orderForPayment = endpoint({
  subgraph: 'order',
  name: 'order-for-payment',
  idempotent: true,
  request: z.object({ orderId: z.string() }),
  response: z.object({
    orderId: uuid,
    orderNumber: z.string(),
    customerId: uuid,
    merchantId: uuid,
    status: orderStatus,
    payStatus,
    total: money,
    paymentDueAt: isoDateTime.nullable(),
  }),
});
export type OrderForPayment = z.infer<typeof orderForPayment.response>;

export const INTERNAL_ENDPOINTS = [
  quoteItem,
  quoteOrder,
  reserveStock,
  addressForOrder,
  orderForPayment,
] as const;
