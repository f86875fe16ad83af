import { isUuid, rowsById, rowsByParent } from '@sky/database';
import type {
  PrismaClient,
  RefundRequest,
  RefundRequestItem,
} from '../__generated__/prisma/client.ts';

/** After-sale refund requests and their lines, batched per request (DataLoader). */
export class RefundRequestStore {
  private readonly byId = rowsById((ids) =>
    this.prisma.refundRequest.findMany({ where: { id: { in: ids } } }),
  );

  private readonly byOrderId = rowsByParent(
    (orderIds) =>
      this.prisma.refundRequest.findMany({
        where: { orderId: { in: orderIds } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
    (row) => row.orderId,
  );

  private readonly itemsByRequestId = rowsByParent(
    (requestIds) =>
      this.prisma.refundRequestItem.findMany({
        where: { refundRequestId: { in: requestIds } },
        orderBy: { id: 'asc' },
      }),
    (row) => row.refundRequestId,
  );

  constructor(private readonly prisma: PrismaClient) {}

  load(id: string): Promise<RefundRequest | null> {
    return isUuid(id) ? this.byId.load(id) : Promise.resolve(null);
  }

  /** Past the request's cache, for live events. */
  current(id: string): Promise<RefundRequest | null> {
    return isUuid(id)
      ? this.prisma.refundRequest.findUnique({ where: { id } })
      : Promise.resolve(null);
  }

  /** After a write in this request: later loads see the written row. */
  remember(request: RefundRequest): RefundRequest {
    this.byId.clear(request.id).prime(request.id, request);
    this.byOrderId.clear(request.orderId);
    return request;
  }

  listForOrder(orderId: string): Promise<RefundRequest[]> {
    return this.byOrderId.load(orderId);
  }

  items(requestId: string): Promise<RefundRequestItem[]> {
    return this.itemsByRequestId.load(requestId);
  }

  findByKey(customerId: string, idempotencyKey: string): Promise<RefundRequest | null> {
    return this.prisma.refundRequest.findUnique({
      where: { customerId_idempotencyKey: { customerId, idempotencyKey } },
    });
  }
}
