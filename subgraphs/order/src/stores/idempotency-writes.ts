import { randomUUID } from 'node:crypto';
import type { IdempotencyKey, Prisma } from '../__generated__/prisma/client.ts';

type Tx = Prisma.TransactionClient;

/**
 * Idempotency keys of order placements. A placement first claims its key (unique per customer):
 * of concurrent placements with one key exactly one claim is inserted; the others find the claim
 * and wait for its order. The claim holds the order id generated up front, under which stock is
 * reserved and the order is created.
 */
export class IdempotencyWrites {
  constructor(private readonly tx: Tx) {}

  /** Inserts the claim; null when the customer already has this key (claimed by someone else). */
  async claim(claim: {
    customerId: string;
    key: string;
    requestHash: string;
    reservedOrderId: string;
  }): Promise<IdempotencyKey | null> {
    const [row] = await this.tx.$queryRaw<IdempotencyKey[]>`
      INSERT INTO idempotency_keys (id, "customerId", key, "requestHash", "reservedOrderId", "createdAt")
      VALUES (${randomUUID()}::uuid, ${claim.customerId}::uuid, ${claim.key}, ${claim.requestHash},
              ${claim.reservedOrderId}::uuid, now())
      ON CONFLICT ("customerId", key) DO NOTHING
      RETURNING id, "customerId", key, "requestHash", "orderId", "reservedOrderId", "createdAt"`;
    return row ?? null;
  }

  /** Records the created order on its claim; false when the claim was released meanwhile. */
  async complete(claimId: string, reservedOrderId: string): Promise<boolean> {
    const { count } = await this.tx.idempotencyKey.updateMany({
      where: { id: claimId, reservedOrderId, orderId: null },
      data: { orderId: reservedOrderId },
    });
    return count === 1;
  }

  /** Drops a claim whose order was not created; false when it had its order (or was gone). */
  async release(claimId: string, reservedOrderId: string): Promise<boolean> {
    const { count } = await this.tx.idempotencyKey.deleteMany({
      where: { id: claimId, reservedOrderId, orderId: null },
    });
    return count === 1;
  }
}
