import type { Viewer } from '@sky/auth';
import { badUserInput, conflict, domainError, ErrorCode, isKnownErrorCode } from '@sky/errors';
import type { Logger } from '@sky/logging';
import { toMoney } from '@sky/contracts';
import { GraphQLError } from 'graphql';
import type { CheckoutPreview } from '../__generated__/resolvers-types.ts';
import type { Cart, CartItem, IdempotencyKey, Order } from '../stores/index.ts';
import type {
  AddressSnapshot,
  InternalClients,
  OrderAssessment,
  OrderQuote,
} from '../clients/internal-clients.ts';
import { newOrderNumber, uuidv7 } from '../domain/ids.ts';
import {
  checkDeliveryTime,
  parsePlaceOrderInput,
  type PlacementRequest,
} from '../domain/inputs.ts';
import {
  abandonedPlacementEvent,
  PAYMENT_TIMEOUT_JOB,
  paymentTimeoutJobKey,
  placementCleanupJobKey,
  PLACEMENT_CLEANUP_JOB,
  placementEvents,
} from '../domain/order-events.ts';
import type { OrderStores } from '../stores/index.ts';
import { isUniqueViolation, type NewOrder } from '../stores/order-writes.ts';

export interface PlacementSettings {
  paymentTimeoutSeconds: number;
  placementLeaseSeconds: number;
  /** How long a repeat waits for a concurrent placement with its key before answering CONFLICT. */
  waitForConcurrentMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many order numbers a placement tries before giving up (a collision is 1 in 10^10). */
const ORDER_NUMBER_ATTEMPTS = 3;

/**
 * Whether stock may be reserved under the claim's order id: before the call nothing is, after a
 * refusal (SOLD_OUT: all or nothing) nothing is, after success or an unknown outcome (timeout,
 * network) it may be and must be released if the order is not created.
 */
type ReservationState = 'none' | 'maybe';

/**
 * placeOrder: from the caller's cart to a PENDING_PAYMENT order, exactly once per idempotency key.
 *
 * 1. Claim the key (unique per customer) with an order id generated now; a concurrent repeat
 *    finds the claim and waits for its order. A cleanup timer is scheduled with the claim: if this
 *    process dies before the order exists, the timer releases the claim and the stock.
 * 2. Read the cart, the address snapshot (user), the authoritative prices (catalog), and reserve
 *    stock under the order id (catalog; idempotent per order id).
 * 3. In one transaction: the order (items, amounts, address, first history entry), the claim
 *    completed, the cart emptied of what was ordered, order.placed and order.status_changed, the
 *    payment timeout scheduled, the cleanup timer dropped.
 * On any failure after the claim: the claim is released (the key may be used again) and, if stock
 * may have been reserved, order.cancelled is written for the order id so catalog releases it.
 */
export class PlacementService {
  constructor(
    private readonly viewer: Viewer,
    private readonly stores: OrderStores,
    private readonly clients: InternalClients,
    private readonly settings: PlacementSettings,
    private readonly logger: Logger,
    private readonly requestId: string,
  ) {}

  async place(input: Parameters<typeof parsePlaceOrderInput>[0]): Promise<Order> {
    const request = parsePlaceOrderInput(input);
    const claim = await this.claimOrReplay(request);
    if ('order' in claim) return claim.order;
    let reservation: ReservationState = 'none';
    try {
      const { cart, lines, address, assessment } = await this.quote(
        request.merchantId,
        request.addressId,
      );
      const quote = acceptedQuote(assessment);
      reservation = 'maybe';
      try {
        await this.clients.catalog.reserveStock(
          {
            orderId: claim.reservedOrderId,
            merchantId: request.merchantId,
            items: stockItems(lines),
          },
          this.requestId,
        );
      } catch (error) {
        // A refusal reserved nothing (all or nothing); any other failure leaves it unknown.
        if (isDomainRefusal(error)) reservation = 'none';
        throw error;
      }
      const order = await this.createOrder(
        request,
        claim,
        cart.id,
        lines,
        address,
        assessment.merchant,
        quote,
      );
      return this.stores.orders.remember(order);
    } catch (error) {
      await this.abandon(request, claim, reservation, error);
      throw error;
    }
  }

  /**
   * The one quote of `placeOrder` and `Cart.checkoutPreview`: the caller's cart at the merchant,
   * the address (user; NOT_FOUND when not the caller's) and catalog's assessment of the order
   * (prices, fees, open, in range, ETA, and the refusal placing it would get). Reads only: no
   * stock is reserved, nothing is written. BAD_USER_INPUT (`merchantId`) for an empty cart.
   */
  async quote(merchantId: string, addressId: string): Promise<PlacementQuote> {
    const cart = await this.stores.carts.findForCustomer(this.viewer.userId, merchantId);
    const lines = cart ? await this.stores.carts.currentItems(cart.id) : [];
    if (!cart || lines.length === 0) {
      throw badUserInput('Your cart at this merchant is empty.', 'merchantId');
    }
    const address = await this.clients.user.addressForOrder(
      { addressId, userId: this.viewer.userId },
      this.requestId,
    );
    const assessment = await this.clients.catalog.quoteOrder(
      {
        merchantId,
        items: lines.map((line) => ({
          dishId: line.dishId,
          setMealId: line.setMealId,
          flavor: line.flavor,
          quantity: line.quantity,
        })),
        deliverTo: { latitude: address.latitude, longitude: address.longitude },
      },
      this.requestId,
    );
    return { cart, lines, address, assessment };
  }

  /**
   * `Cart.checkoutPreview`: the quote `placeOrder` would run now, as the checkout screen shows
   * it; the refusal `placeOrder` would throw is returned instead.
   */
  async preview(merchantId: string, addressId: string): Promise<CheckoutPreview> {
    const { assessment } = await this.quote(merchantId, addressId);
    const { merchant, quote, refusal } = assessment;
    const now = Date.now();
    const minimumOrderGap = quote
      ? toMoney(
          Math.max(merchant.minimumOrder.amount - quote.itemsTotal.amount, 0),
          merchant.currency,
        )
      : null;
    return {
      lines: (quote?.lines ?? []).map((line) => ({
        dish: line.dishId ? { id: line.dishId } : null,
        setMeal: line.setMealId ? { id: line.setMealId } : null,
        name: line.name,
        flavor: line.flavor,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
        lineTotal: line.lineTotal,
      })),
      itemsTotal: quote?.itemsTotal ?? null,
      packingFee: quote?.packingFee ?? null,
      deliveryFee: quote?.deliveryFee ?? null,
      total: quote?.total ?? null,
      minimumOrder: merchant.minimumOrder,
      minimumOrderGap,
      open: merchant.open,
      distanceMeters: assessment.distanceMeters,
      deliveryRadiusMeters: merchant.deliveryRadiusMeters,
      inRange: assessment.distanceMeters <= merchant.deliveryRadiusMeters,
      serviceable: refusal === null,
      refusal: refusal ? { code: refusal.code, message: refusal.message } : null,
      estimatedDeliveryMinutes: assessment.estimatedDeliveryMinutes,
      estimatedDeliveryAt: new Date(now + assessment.estimatedDeliveryMinutes * 60_000),
    };
  }

  /**
   * The claim of this placement, or the order an earlier placement with the same key and input
   * created. Waits while another placement with the key is running.
   */
  private async claimOrReplay(
    request: PlacementRequest,
  ): Promise<{ order: Order } | (IdempotencyKey & { reservedOrderId: string })> {
    const customerId = this.viewer.userId;
    const deadline = Date.now() + (this.settings.waitForConcurrentMs ?? 15_000);
    let delayMs = 25;
    for (;;) {
      const existing = await this.stores.orders.findPlacementClaim(
        customerId,
        request.idempotencyKey,
      );
      if (existing) {
        if (existing.requestHash !== request.requestHash) {
          throw domainError(
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            'This idempotency key was already used for a different order.',
          );
        }
        if (existing.orderId) {
          const order = await this.stores.orders.load(existing.orderId);
          if (order) return { order };
        }
        if (Date.now() > deadline) {
          throw conflict(
            'An order with this idempotency key is still being placed; retry shortly.',
          );
        }
        await sleep(delayMs);
        delayMs = Math.min(delayMs * 2, 250);
        continue;
      }
      const now = new Date();
      checkDeliveryTime(request.deliverAt, now);
      const reservedOrderId = uuidv7(now.getTime());
      const claimed = await this.stores.transaction(async (tx) => {
        const row = await tx.idempotency.claim({
          customerId,
          key: request.idempotencyKey,
          requestHash: request.requestHash,
          reservedOrderId,
        });
        if (!row) return null;
        await tx.outbox.scheduleJob({
          kind: PLACEMENT_CLEANUP_JOB,
          key: placementCleanupJobKey(reservedOrderId),
          dueAt: new Date(now.getTime() + this.settings.placementLeaseSeconds * 1000),
          payload: {
            claimId: row.id,
            reservedOrderId,
            customerId,
            merchantId: request.merchantId,
          },
        });
        return row;
      });
      // Another placement inserted the key first: read it again (and wait for its order).
      if (claimed) return { ...claimed, reservedOrderId };
    }
  }

  private async createOrder(
    request: PlacementRequest,
    claim: IdempotencyKey & { reservedOrderId: string },
    cartId: string,
    lines: { id: string; updatedAt: Date }[],
    address: AddressSnapshot,
    merchant: OrderAssessment['merchant'],
    quote: OrderQuote,
  ): Promise<Order> {
    const orderId = claim.reservedOrderId;
    for (let attempt = 1; ; attempt++) {
      const placedAt = new Date();
      const newOrder: NewOrder = {
        id: orderId,
        orderNumber: newOrderNumber(placedAt),
        customerId: this.viewer.userId,
        merchantId: request.merchantId,
        currency: quote.total.currency,
        itemsTotalAmount: quote.itemsTotal.amount,
        packingFeeAmount: quote.packingFee.amount,
        deliveryFeeAmount: quote.deliveryFee.amount,
        totalAmount: quote.total.amount,
        remark: request.remark,
        tablewareCount: request.tablewareCount,
        scheduledDeliveryAt: request.deliverAt,
        address,
        pickup: merchant.location,
        defaultPrepMinutes: merchant.defaultPrepMinutes,
        placedAt,
        paymentDueAt: new Date(placedAt.getTime() + this.settings.paymentTimeoutSeconds * 1000),
        items: quote.lines.map((line) => ({
          dishId: line.dishId,
          setMealId: line.setMealId,
          name: line.name,
          imageUrl: line.imageUrl,
          flavor: line.flavor,
          quantity: line.quantity,
          unitPriceAmount: line.unitPrice.amount,
          lineTotalAmount: line.lineTotal.amount,
        })),
        actorUserId: this.viewer.userId,
      };
      try {
        return await this.stores.transaction(async (tx) => {
          const order = await tx.orders.create(newOrder);
          if (!(await tx.idempotency.complete(claim.id, orderId))) {
            // The cleanup timer judged this placement dead and released it (and the stock).
            throw new Error(`placement claim for order ${orderId} was released before completion`);
          }
          await tx.outbox.cancelJob(placementCleanupJobKey(orderId));
          const cart = await tx.carts.lock(this.viewer.userId, request.merchantId);
          if (cart && cart.id === cartId) await tx.carts.removeLines(cart, lines);
          for (const event of placementEvents(order)) await tx.outbox.append(event);
          await tx.outbox.scheduleJob({
            kind: PAYMENT_TIMEOUT_JOB,
            key: paymentTimeoutJobKey(order.id),
            dueAt: order.paymentDueAt!,
            payload: { orderId: order.id },
          });
          return order;
        });
      } catch (error) {
        if (attempt < ORDER_NUMBER_ATTEMPTS && isUniqueViolation(error, 'orderNumber')) continue;
        throw error;
      }
    }
  }

  /** Releases a claim whose order was not created, and the stock it may hold. */
  private async abandon(
    request: PlacementRequest,
    claim: IdempotencyKey & { reservedOrderId: string },
    reservation: ReservationState,
    cause: unknown,
  ): Promise<void> {
    try {
      await this.stores.transaction(async (tx) => {
        const released = await tx.idempotency.release(claim.id, claim.reservedOrderId);
        await tx.outbox.cancelJob(placementCleanupJobKey(claim.reservedOrderId));
        if (released && reservation === 'maybe') {
          await tx.outbox.append(
            abandonedPlacementEvent({
              reservedOrderId: claim.reservedOrderId,
              customerId: this.viewer.userId,
              merchantId: request.merchantId,
              reason: 'order placement failed',
              at: new Date(),
            }),
          );
        }
      });
    } catch (error) {
      // The cleanup timer scheduled with the claim releases it later.
      this.logger.error(
        { err: error, cause, orderId: claim.reservedOrderId },
        'could not release a failed placement; the cleanup timer will',
      );
    }
  }
}

/** What `PlacementService.quote` reads. */
export interface PlacementQuote {
  cart: Cart;
  lines: CartItem[];
  address: AddressSnapshot;
  assessment: OrderAssessment;
}

/** The quote of an order catalog would accept, or the refusal it would get, thrown as it is. */
function acceptedQuote(assessment: OrderAssessment): OrderQuote {
  if (assessment.refusal) {
    const { message, extensions, code } = assessment.refusal;
    throw new GraphQLError(message, { extensions: { ...extensions, code } });
  }
  // The contract refuses an assessment with neither a quote nor a refusal.
  return assessment.quote!;
}

const isDomainRefusal = (error: unknown) =>
  error instanceof GraphQLError &&
  isKnownErrorCode(error.extensions.code) &&
  error.extensions.code !== ErrorCode.INTERNAL_SERVER_ERROR;

/** Stock is counted per dish or set meal, whatever the flavors: one entry each. */
function stockItems(
  lines: { dishId: string | null; setMealId: string | null; quantity: number }[],
) {
  const byItem = new Map<
    string,
    { dishId: string | null; setMealId: string | null; quantity: number }
  >();
  for (const line of lines) {
    const key = line.dishId ? `dish:${line.dishId}` : `setMeal:${line.setMealId}`;
    const entry = byItem.get(key);
    if (entry) entry.quantity += line.quantity;
    else
      byItem.set(key, { dishId: line.dishId, setMealId: line.setMealId, quantity: line.quantity });
  }
  return [...byItem.values()];
}
