import { randomUUID } from 'node:crypto';
import type { Cart, CartItem, Prisma } from '../__generated__/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export interface NewCartLine {
  dishId: string | null;
  setMealId: string | null;
  flavor: string | null;
  lineKey: string;
  quantity: number;
  unitPriceAmount: number;
  name: string;
  imageUrl: string | null;
}

/**
 * Cart writes inside a transaction. Every change first takes the cart's row lock (creating the
 * cart if needed), so changes of one cart run one after another: "delete the cart when its last
 * line goes" cannot race with a line being added.
 */
export class CartWrites {
  /** Lines added in one transaction get increasing creation times, so the cart keeps their order. */
  private lastCreatedAt = 0;

  constructor(private readonly tx: Tx) {}

  private nextCreatedAt(): Date {
    this.lastCreatedAt = Math.max(Date.now(), this.lastCreatedAt + 1);
    return new Date(this.lastCreatedAt);
  }

  /** The customer's cart at the merchant, created if missing, locked until the transaction ends. */
  async lockOrCreate(customerId: string, merchantId: string, currency: string): Promise<Cart> {
    const [cart] = await this.tx.$queryRaw<Cart[]>`
      INSERT INTO carts (id, "customerId", "merchantId", currency, "createdAt", "updatedAt")
      VALUES (${randomUUID()}::uuid, ${customerId}::uuid, ${merchantId}::uuid, ${currency}, now(), now())
      ON CONFLICT ("customerId", "merchantId") DO UPDATE SET "updatedAt" = now()
      RETURNING id, "customerId", "merchantId", currency, "createdAt", "updatedAt"`;
    return cart!;
  }

  /** The customer's existing cart at the merchant, locked; null when there is none. */
  async lock(customerId: string, merchantId: string): Promise<Cart | null> {
    const [cart] = await this.tx.$queryRaw<Cart[]>`
      SELECT id, "customerId", "merchantId", currency, "createdAt", "updatedAt" FROM carts
      WHERE "customerId" = ${customerId}::uuid AND "merchantId" = ${merchantId}::uuid
      FOR UPDATE`;
    return cart ?? null;
  }

  /** Adds a line, or adds its quantity to the line with the same key; returns the line. */
  async addLine(cartId: string, line: NewCartLine): Promise<CartItem> {
    const [item] = await this.tx.$queryRaw<CartItem[]>`
      INSERT INTO cart_items (id, "cartId", "dishId", "setMealId", flavor, "lineKey", quantity,
                              "unitPriceAmount", name, "imageUrl", "createdAt", "updatedAt")
      VALUES (${randomUUID()}::uuid, ${cartId}::uuid, ${line.dishId}::uuid, ${line.setMealId}::uuid,
              ${line.flavor}, ${line.lineKey}, ${line.quantity}, ${line.unitPriceAmount},
              ${line.name}, ${line.imageUrl}, ${this.nextCreatedAt()}, now())
      ON CONFLICT ("cartId", "lineKey") DO UPDATE SET
        quantity = cart_items.quantity + EXCLUDED.quantity,
        "unitPriceAmount" = EXCLUDED."unitPriceAmount",
        name = EXCLUDED.name,
        "imageUrl" = EXCLUDED."imageUrl",
        "updatedAt" = now()
      RETURNING id, "cartId", "dishId", "setMealId", flavor, "lineKey", quantity,
                "unitPriceAmount", name, "imageUrl", "createdAt", "updatedAt"`;
    return item!;
  }

  /** A line of one of the customer's carts (with its cart), or null. */
  findLine(customerId: string, cartItemId: string) {
    return this.tx.cartItem.findFirst({
      where: { id: cartItemId, cart: { customerId } },
      include: { cart: true },
    });
  }

  /** One portion less; the line goes when it was the last portion. */
  async decrementLine(cartItemId: string): Promise<void> {
    const { count } = await this.tx.cartItem.updateMany({
      where: { id: cartItemId, quantity: { gt: 1 } },
      data: { quantity: { decrement: 1 } },
    });
    if (count === 0) await this.tx.cartItem.deleteMany({ where: { id: cartItemId } });
  }

  async removeLine(cartItemId: string): Promise<void> {
    await this.tx.cartItem.deleteMany({ where: { id: cartItemId } });
  }

  /**
   * Removes the given lines as they were read (a line changed since keeps its newer state), and
   * the cart when nothing is left. Returns the cart if it still exists.
   */
  async removeLines(cart: Cart, lines: { id: string; updatedAt: Date }[]): Promise<Cart | null> {
    for (const line of lines) {
      await this.tx.cartItem.deleteMany({ where: { id: line.id, updatedAt: line.updatedAt } });
    }
    return this.deleteIfEmpty(cart);
  }

  async removeAll(cart: Cart): Promise<number> {
    const { count } = await this.tx.cartItem.deleteMany({ where: { cartId: cart.id } });
    await this.tx.cart.delete({ where: { id: cart.id } });
    return count;
  }

  /** The cart, or null after deleting it because it has no lines left. */
  async deleteIfEmpty(cart: Cart): Promise<Cart | null> {
    const remaining = await this.tx.cartItem.count({ where: { cartId: cart.id } });
    if (remaining > 0) return this.tx.cart.findUnique({ where: { id: cart.id } });
    await this.tx.cart.delete({ where: { id: cart.id } });
    return null;
  }

  items(cartId: string): Promise<CartItem[]> {
    return this.tx.cartItem.findMany({
      where: { cartId },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }
}
