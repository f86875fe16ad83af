import { toMoney } from '@sky/contracts';
import { isAdmin, type Viewer } from '@sky/auth';
import { isUuid } from '@sky/database';
import { badUserInput, ErrorCode, forbidden, notFound } from '@sky/errors';
import { GraphQLError } from 'graphql';
import type { Cart, OrderItem } from '../stores/index.ts';
import type { CatalogClient, ItemQuote } from '../clients/internal-clients.ts';
import { cartLineKey, MAX_LINE_QUANTITY, parseAddToCart } from '../domain/inputs.ts';
import type { OrderStores } from '../stores/index.ts';
import type { TxStores } from '../stores/tx-stores.ts';

/** Puts a quoted item into a locked cart; refuses (rolling the transaction back) past the line limit. */
export async function addQuotedLine(
  tx: TxStores,
  cart: Cart,
  quote: ItemQuote,
  quantity: number,
): Promise<void> {
  const line = await tx.carts.addLine(cart.id, {
    dishId: quote.dishId,
    setMealId: quote.setMealId,
    flavor: quote.flavor,
    lineKey: cartLineKey(quote),
    quantity,
    unitPriceAmount: quote.unitPrice.amount,
    name: quote.name,
    imageUrl: quote.imageUrl,
  });
  if (line.quantity > MAX_LINE_QUANTITY) {
    throw badUserInput(
      `A cart line holds at most ${MAX_LINE_QUANTITY} portions of "${quote.name}".`,
      'quantity',
    );
  }
}

/** The caller's carts (one per merchant). Prices come from the catalog when a line is added. */
export class CartService {
  constructor(
    private readonly viewer: Viewer,
    private readonly stores: OrderStores,
    private readonly catalog: CatalogClient,
    private readonly requestId: string,
  ) {}

  async add(input: Parameters<typeof parseAddToCart>[0]): Promise<Cart> {
    const item = parseAddToCart(input);
    const quote = await this.catalog.quoteItem(
      {
        merchantId: item.merchantId,
        dishId: item.dishId,
        setMealId: item.setMealId,
        flavor: item.flavor,
        flavorChoices: item.flavorChoices,
      },
      this.requestId,
    );
    const cart = await this.stores.transaction(async (tx) => {
      const locked = await tx.carts.lockOrCreate(
        this.viewer.userId,
        item.merchantId,
        quote.unitPrice.currency,
      );
      await addQuotedLine(tx, locked, quote, item.quantity);
      return locked;
    });
    return this.stores.carts.remember(cart, cart.id)!;
  }

  /** Changes one line of the caller's carts; the cart goes when its last line does. */
  private async changeLine(
    cartItemId: string,
    change: (tx: TxStores, itemId: string) => Promise<void>,
  ): Promise<Cart | null> {
    if (!isUuid(cartItemId)) throw notFound('Cart item');
    const outcome = await this.stores.transaction(async (tx) => {
      const line = await tx.carts.findLine(this.viewer.userId, cartItemId);
      if (!line) throw notFound('Cart item');
      const cart = await tx.carts.lock(line.cart.customerId, line.cart.merchantId);
      // The line may have gone while we waited for the lock.
      if (!cart || !(await tx.carts.findLine(this.viewer.userId, cartItemId))) {
        throw notFound('Cart item');
      }
      await change(tx, cartItemId);
      return { cartId: cart.id, cart: await tx.carts.deleteIfEmpty(cart) };
    });
    return this.stores.carts.remember(outcome.cart, outcome.cartId);
  }

  decrement(cartItemId: string): Promise<Cart | null> {
    return this.changeLine(cartItemId, (tx, id) => tx.carts.decrementLine(id));
  }

  remove(cartItemId: string): Promise<Cart | null> {
    return this.changeLine(cartItemId, (tx, id) => tx.carts.removeLine(id));
  }

  /** Empties the caller's cart at the merchant; true when it had lines. */
  async clear(merchantId: string): Promise<boolean> {
    if (!isUuid(merchantId)) return false;
    const outcome = await this.stores.transaction(async (tx) => {
      const cart = await tx.carts.lock(this.viewer.userId, merchantId);
      if (!cart) return { cartId: null, removed: 0 };
      return { cartId: cart.id, removed: await tx.carts.removeAll(cart) };
    });
    if (outcome.cartId) this.stores.carts.remember(null, outcome.cartId);
    return outcome.removed > 0;
  }

  /**
   * Puts the lines of one of the caller's past orders back into the cart at the order's merchant,
   * each at the catalog's price today, and says per line what changed. Lines the catalog no
   * longer sells are reported, not added; any other failure adds nothing.
   */
  async reorder(orderId: string) {
    const order = isUuid(orderId) ? await this.stores.orders.load(orderId) : null;
    if (!order) {
      throw isAdmin(this.viewer) ? notFound('Order') : forbidden('You may not reorder this order.');
    }
    if (order.customerId !== this.viewer.userId) {
      throw forbidden('Only the customer who placed the order can reorder it.');
    }
    const items = await this.stores.orders.items(order.id);
    const quotes = await Promise.all(items.map((item) => this.quoteAgain(order.merchantId, item)));
    const available = quotes.flatMap((quote, index) =>
      quote.ok ? [{ quote: quote.quote, quantity: items[index]!.quantity }] : [],
    );
    let cart: Cart | null;
    if (available.length > 0) {
      cart = await this.stores.transaction(async (tx) => {
        const locked = await tx.carts.lockOrCreate(
          this.viewer.userId,
          order.merchantId,
          available[0]!.quote.unitPrice.currency,
        );
        for (const line of available) await addQuotedLine(tx, locked, line.quote, line.quantity);
        return locked;
      });
      this.stores.carts.remember(cart, cart.id);
    } else {
      cart = await this.stores.carts.findForCustomer(this.viewer.userId, order.merchantId);
    }
    const lines = items.map((item, index) => {
      const quote = quotes[index]!;
      const previousUnitPrice = toMoney(item.unitPriceAmount, order.currency);
      const common = {
        dish: item.dishId ? { id: item.dishId } : null,
        setMeal: item.setMealId ? { id: item.setMealId } : null,
        name: item.name,
        flavor: item.flavor,
        quantity: item.quantity,
        previousUnitPrice,
      };
      if (!quote.ok) {
        return {
          ...common,
          currentUnitPrice: null,
          outcome: 'UNAVAILABLE' as const,
          unavailableReason: quote.reason,
        };
      }
      const current = quote.quote.unitPrice;
      const same = current.amount === item.unitPriceAmount && current.currency === order.currency;
      return {
        ...common,
        currentUnitPrice: current,
        outcome: same ? ('ADDED' as const) : ('PRICE_CHANGED' as const),
        unavailableReason: null,
      };
    });
    return { cart, lines };
  }

  /** Today's quote of a past order's line; the catalog's "no longer sold" answers are outcomes. */
  private async quoteAgain(
    merchantId: string,
    item: OrderItem,
  ): Promise<{ ok: true; quote: ItemQuote } | { ok: false; reason: string }> {
    try {
      const quote = await this.catalog.quoteItem(
        { merchantId, dishId: item.dishId, setMealId: item.setMealId, flavor: item.flavor },
        this.requestId,
      );
      return { ok: true, quote };
    } catch (error) {
      const code = error instanceof GraphQLError ? error.extensions.code : undefined;
      if (
        code === ErrorCode.ITEM_UNAVAILABLE ||
        code === ErrorCode.NOT_FOUND ||
        code === ErrorCode.BAD_USER_INPUT
      ) {
        return { ok: false, reason: code };
      }
      throw error;
    }
  }
}
