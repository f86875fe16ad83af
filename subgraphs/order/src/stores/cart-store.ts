import { isUuid, rowsById, rowsByParent } from '@sky/database';
import type { Cart, CartItem, PrismaClient } from '../__generated__/prisma/client.ts';

/** Carts and their lines. A cart without lines is treated as absent. */
export class CartStore {
  /** One SELECT (scalar columns only) for all carts asked for in one request, `_entities` included. */
  private readonly byId = rowsById((ids) =>
    this.prisma.cart.findMany({ where: { id: { in: ids } } }),
  );

  /** The lines of every cart of a request in one query, oldest first. */
  private readonly itemsByCartId = rowsByParent(
    (cartIds) =>
      this.prisma.cartItem.findMany({
        where: { cartId: { in: cartIds } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    (row) => row.cartId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<Cart | null> {
    return this.byId.load(id);
  }

  items(cartId: string): Promise<CartItem[]> {
    return this.itemsByCartId.load(cartId);
  }

  /** After a write in this request: later loads of the cart and its lines read them again. */
  remember(cart: Cart | null, cartId: string): Cart | null {
    this.byId.clear(cartId);
    this.itemsByCartId.clear(cartId);
    if (cart) this.byId.prime(cart.id, cart);
    return cart;
  }

  /** The lines of a cart as they are now (not through the request's cache). */
  currentItems(cartId: string): Promise<CartItem[]> {
    return this.prisma.cartItem.findMany({
      where: { cartId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** The customer's non-empty cart at one merchant, or null. */
  async findForCustomer(customerId: string, merchantId: string): Promise<Cart | null> {
    if (!isUuid(merchantId)) return null;
    const cart = await this.prisma.cart.findFirst({
      where: { customerId, merchantId, items: { some: {} } },
    });
    if (cart) this.byId.prime(cart.id, cart);
    return cart;
  }

  /** All of the customer's non-empty carts, most recently changed first. */
  async listForCustomer(customerId: string): Promise<Cart[]> {
    const carts = await this.prisma.cart.findMany({
      where: { customerId, items: { some: {} } },
      orderBy: [{ updatedAt: 'desc' }, { id: 'desc' }],
    });
    for (const cart of carts) this.byId.prime(cart.id, cart);
    return carts;
  }
}
