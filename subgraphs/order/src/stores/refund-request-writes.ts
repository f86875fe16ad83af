import type {
  OrderActor,
  Prisma,
  RefundRequest,
  RefundRequestItem,
  RefundRequestStatus,
} from '../__generated__/prisma/client.ts';

type Tx = Prisma.TransactionClient;

export type RefundRequestWithItems = RefundRequest & { items: RefundRequestItem[] };

export interface NewRefundRequest {
  id: string;
  orderId: string;
  customerId: string;
  merchantId: string;
  amount: number;
  currency: string;
  reason: string;
  photoUrl: string | null;
  idempotencyKey: string;
  requestHash: string;
  items: { orderItemId: string; quantity: number; amount: number }[];
}

/** After-sale refund requests inside a transaction; decisions are conditional on the status read. */
export class RefundRequestWrites {
  constructor(private readonly tx: Tx) {}

  find(id: string): Promise<RefundRequest | null> {
    return this.tx.refundRequest.findUnique({ where: { id } });
  }

  /** The requests of an order that took money (approved or paid), with their lines. */
  taken(orderId: string): Promise<RefundRequestWithItems[]> {
    return this.tx.refundRequest.findMany({
      where: { orderId, status: { in: ['APPROVED', 'REFUNDED'] } },
      include: { items: true },
    });
  }

  items(refundRequestId: string): Promise<RefundRequestItem[]> {
    return this.tx.refundRequestItem.findMany({ where: { refundRequestId } });
  }

  create(request: NewRefundRequest): Promise<RefundRequest> {
    const { items, ...row } = request;
    return this.tx.refundRequest.create({
      data: { ...row, status: 'PENDING', items: { create: items } },
    });
  }

  /** Records a decision if the request is still in one of `from`; null when it is not. */
  async decide(
    id: string,
    from: readonly RefundRequestStatus[],
    decision: {
      status: 'APPROVED' | 'REJECTED';
      by: OrderActor;
      userId: string;
      reason: string | null;
      at: Date;
    },
  ): Promise<RefundRequest | null> {
    const { count } = await this.tx.refundRequest.updateMany({
      where: { id, status: { in: [...from] } },
      data: {
        status: decision.status,
        decidedBy: decision.by,
        decidedByUserId: decision.userId,
        decisionReason: decision.reason,
        decidedAt: decision.at,
      },
    });
    return count === 1 ? this.find(id) : null;
  }

  /** APPROVED → REFUNDED once payment has paid it (once: a repeat finds it REFUNDED). */
  async markRefunded(id: string, refundId: string, at: Date): Promise<RefundRequest | null> {
    const { count } = await this.tx.refundRequest.updateMany({
      where: { id, status: 'APPROVED' },
      data: { status: 'REFUNDED', refundId, refundedAt: at },
    });
    return count === 1 ? this.find(id) : null;
  }
}
