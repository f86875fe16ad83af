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
  request: z.object({
    merchantId: uuid,
    ...itemReference,
    flavor,
    /**
     * The structured pick (`AddToCartInput.flavors`): one option per flavor choice, by name.
     * Catalog checks it against the dish and answers the canonical `flavor`; give it or `flavor`.
     */
    flavorChoices: z
      .array(z.object({ name: z.string().max(100), option: z.string().max(100) }))
      .max(20)
      .nullish(),
  }),
  response: pricedItem.extend({ merchantId: uuid, unitPrice: money }),
});

const quotedOrder = z
  .object({
    lines: z.array(pricedItem.extend({ quantity, unitPrice: money, lineTotal: money })).min(1),
    itemsTotal: money,
    packingFee: money,
    deliveryFee: money,
    total: money,
  })
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
 * The refusal an order would get, as data: the same code, message and extensions the public
 * error carries (`placeOrder` throws it, `checkoutPreview` shows it).
 */
const refusal = z.object({
  code: z.string(),
  message: z.string(),
  extensions: z.record(z.string(), z.unknown()),
});

const orderAssessment = z
  .object({
    /** `location` is where riders pick the order up (the order keeps it for dispatch). */
    merchant: z.object({
      id: uuid,
      name: z.string(),
      currency: z.string().length(3),
      location: geoPoint,
      open: z.boolean(),
      deliveryRadiusMeters: z.number().int().min(0),
      minimumOrder: money,
      /** The merchant's usual prep time; the order keeps it for `acceptOrder` without one. */
      defaultPrepMinutes: prepMinutes,
    }),
    /** Straight-line distance merchant → delivery point, whole metres. */
    distanceMeters: z.number().int().min(0),
    /** Kitchen prep plus the ride at the assumed rider speed, whole minutes (catalog's eta.ts). */
    estimatedDeliveryMinutes: z.number().int().min(0),
    /** The prices and totals; null when a line cannot be priced (see `refusal`). */
    quote: quotedOrder.nullable(),
    /** The first refusal in `quote-order`'s order; null when the order may be placed. */
    refusal: refusal.nullable(),
  })
  // The order stores the quote as its own and charges it: it must be in one currency.
  .refine(
    (assessment) =>
      !assessment.quote ||
      [
        assessment.merchant.minimumOrder,
        assessment.quote.itemsTotal,
        assessment.quote.packingFee,
        assessment.quote.deliveryFee,
        assessment.quote.total,
        ...assessment.quote.lines.flatMap((line) => [line.unitPrice, line.lineTotal]),
      ].every((amount) => amount.currency === assessment.merchant.currency),
    'every amount of a quote is in the merchant’s currency',
  )
  .refine(
    (assessment) => assessment.quote !== null || assessment.refusal !== null,
    'an order without a quote has a refusal',
  );

/**
 * catalog `quote-order`: the authoritative assessment of an order about to be placed (prices,
 * packing and delivery fees, totals, open, in range, distance, ETA) with the refusal placing it
 * would get, as data: SHOP_CLOSED, OUT_OF_DELIVERY_RANGE, then per line NOT_FOUND /
 * ITEM_UNAVAILABLE / BAD_USER_INPUT, then SOLD_OUT, then BELOW_MINIMUM_ORDER (the first one
 * found). Only an unknown merchant (NOT_FOUND) and an invalid `deliverTo` (BAD_USER_INPUT) are
 * errors: nothing can be assessed then. The order subgraph's placement and checkout preview both
 * call it through one function, so they cannot disagree.
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
  response: orderAssessment,
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
