import type {
  NewEvent,
  NewJob,
  RunInTransaction as RunInKitTransaction,
  TransactionScope,
} from '@sky/events';
import type {
  OrderSnapshot,
  Payment,
  PaymentStatus,
  Prisma,
  PrismaClient,
  Refund,
} from '../__generated__/prisma/client.ts';

/**
 * The write side of the payment database: every state change of payments, refunds, snapshots
 * and callbacks goes through here, inside a transaction (`PaymentLedger.transaction`) or inside
 * an event consumer's transaction (`new LedgerTransaction(scope)`).
 *
 * Concurrency rule: whoever changes an order's payments first locks the order's snapshot row,
 * then the payment row, then touches refunds. payOrder, callbacks, reconciliation and the
 * order.cancelled handler all follow it, so they serialize per order and never deadlock.
 */

export type Tx = Prisma.TransactionClient;

export interface SnapshotData {
  orderId: string;
  customerId: string;
  merchantId: string;
  totalAmount: number;
  currency: string;
  paymentDueAt: Date | null;
}

/** A provider callback's body as recorded for audit (JSON). */
export type CallbackPayload = Prisma.InputJsonValue;

export interface CallbackRecord {
  providerEventId: string | null;
  paymentId: string | null;
  signatureValid: boolean;
  payload: CallbackPayload;
  outcome: string;
}

/** Refund statuses that count against what is left of a payment. */
const OPEN_OR_DONE: Refund['status'][] = ['PENDING', 'SUCCEEDED'];

export class LedgerTransaction {
  readonly tx: Tx;

  constructor(private readonly scope: TransactionScope<Tx>) {
    this.tx = scope.tx;
  }

  /** Locks the order's snapshot row (the per-order serialization point) and reads it. */
  async lockSnapshot(orderId: string): Promise<OrderSnapshot | null> {
    const rows = await this.tx.$queryRaw<{ orderId: string }[]>`
      SELECT "orderId" FROM order_snapshots WHERE "orderId" = ${orderId}::uuid FOR UPDATE`;
    return rows.length ? this.tx.orderSnapshot.findUnique({ where: { orderId } }) : null;
  }

  async lockPayment(id: string): Promise<Payment | null> {
    const rows = await this.tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM payments WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length ? this.tx.payment.findUnique({ where: { id } }) : null;
  }

  /** What order.placed says; a cancellation that arrived first stays. */
  async upsertPlacedSnapshot(data: SnapshotData): Promise<void> {
    const { orderId, ...fields } = data;
    await this.tx.orderSnapshot.upsert({
      where: { orderId },
      create: data,
      update: fields,
    });
  }

  /**
   * Marks the order cancelled (keeping the first cancellation time). Without a snapshot yet
   * (order.cancelled overtook order.placed) one is created cancelled, with amount 0 until
   * order.placed fills it in; a cancelled snapshot can never be paid.
   */
  async markSnapshotCancelled(data: {
    orderId: string;
    customerId: string;
    merchantId: string;
    at: Date;
  }): Promise<void> {
    await this.tx.orderSnapshot.upsert({
      where: { orderId: data.orderId },
      create: {
        orderId: data.orderId,
        customerId: data.customerId,
        merchantId: data.merchantId,
        totalAmount: 0,
        cancelledAt: data.at,
      },
      update: {},
    });
    await this.tx.orderSnapshot.updateMany({
      where: { orderId: data.orderId, cancelledAt: null },
      data: { cancelledAt: data.at },
    });
  }

  findIdempotencyKey(customerId: string, key: string) {
    return this.tx.paymentIdempotencyKey.findUnique({
      where: { customerId_key: { customerId, key } },
      include: { payment: true },
    });
  }

  /** False when the key exists already (a concurrent request took it first). */
  async addIdempotencyKey(data: {
    customerId: string;
    key: string;
    requestHash: string;
    paymentId: string;
  }): Promise<boolean> {
    const { count } = await this.tx.paymentIdempotencyKey.createMany({
      data: [data],
      skipDuplicates: true,
    });
    return count === 1;
  }

  /** The order's live attempt (PENDING, SUCCEEDED or REFUNDED), if any. */
  findLivePayment(orderId: string): Promise<Payment | null> {
    return this.tx.payment.findUnique({ where: { liveOrderId: orderId } });
  }

  createPayment(data: Prisma.PaymentUncheckedCreateInput): Promise<Payment> {
    return this.tx.payment.create({ data });
  }

  /**
   * Changes a payment only if it is still in one of `from` (a conditional update: the state
   * seen is the state changed). Answers the updated row, or null when it had moved on.
   */
  async transitionPayment(
    id: string,
    from: PaymentStatus[],
    data: Prisma.PaymentUncheckedUpdateManyInput,
  ): Promise<Payment | null> {
    const { count } = await this.tx.payment.updateMany({
      where: { id, status: { in: from } },
      data,
    });
    return count === 1 ? this.tx.payment.findUnique({ where: { id } }) : null;
  }

  /** Stores the provider's id unless it is known already (the callback may have come first). */
  async recordProviderPaymentId(id: string, providerPaymentId: string): Promise<void> {
    await this.tx.payment.updateMany({
      where: { id, providerPaymentId: null },
      data: { providerPaymentId },
    });
  }

  /**
   * Claims a provider event id: true for the first delivery, false when that event was handled
   * already (the unique index decides, also between concurrent deliveries).
   */
  async claimCallback(record: CallbackRecord & { providerEventId: string }): Promise<boolean> {
    const { count } = await this.tx.providerCallback.createMany({
      data: [record],
      skipDuplicates: true,
    });
    return count === 1;
  }

  async setCallbackOutcome(providerEventId: string, outcome: string): Promise<void> {
    await this.tx.providerCallback.update({ where: { providerEventId }, data: { outcome } });
  }

  async recordCallback(record: CallbackRecord): Promise<void> {
    await this.tx.providerCallback.create({ data: record });
  }

  /** Sum of the payment's refunds that are pending or done. */
  async committedRefundTotal(paymentId: string): Promise<number> {
    const { _sum } = await this.tx.refund.aggregate({
      where: { paymentId, status: { in: OPEN_OR_DONE } },
      _sum: { amount: true },
    });
    return _sum.amount ?? 0;
  }

  async succeededRefundTotal(paymentId: string): Promise<number> {
    const { _sum } = await this.tx.refund.aggregate({
      where: { paymentId, status: 'SUCCEEDED' },
      _sum: { amount: true },
    });
    return _sum.amount ?? 0;
  }

  /** Creates the refund unless one with this request key exists; null then. */
  async createRefund(data: {
    paymentId: string;
    amount: number;
    currency: string;
    reason: string | null;
    requestKey: string;
  }): Promise<Refund | null> {
    const { count } = await this.tx.refund.createMany({ data: [data], skipDuplicates: true });
    if (count === 0) return null;
    return this.tx.refund.findUnique({
      where: { paymentId_requestKey: { paymentId: data.paymentId, requestKey: data.requestKey } },
    });
  }

  /** Settles a pending refund; null when it was settled already. */
  async settleRefund(
    id: string,
    data: { status: 'SUCCEEDED' | 'FAILED'; providerRefundId?: string },
  ): Promise<Refund | null> {
    const { count } = await this.tx.refund.updateMany({
      where: { id, status: 'PENDING' },
      data: { ...data, completedAt: new Date() },
    });
    return count === 1 ? this.tx.refund.findUnique({ where: { id } }) : null;
  }

  appendEvent(event: NewEvent): Promise<string> {
    return this.scope.outbox.append(event);
  }

  scheduleJob(job: NewJob): Promise<void> {
    return this.scope.outbox.scheduleJob(job);
  }

  cancelJob(key: string): Promise<void> {
    return this.scope.outbox.cancelJob(key);
  }
}

/**
 * Entry point of the write side, plus the few reads that happen outside a transaction. Its
 * transactions are the subgraph's: one that wrote an event kicks the outbox relay.
 */
export class PaymentLedger {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly run: RunInKitTransaction<Tx>,
  ) {}

  transaction<T>(work: (ledger: LedgerTransaction) => Promise<T>): Promise<T> {
    return this.run((scope) => work(new LedgerTransaction(scope)));
  }

  findSnapshot(orderId: string): Promise<OrderSnapshot | null> {
    return this.prisma.orderSnapshot.findUnique({ where: { orderId } });
  }

  /** Stores what order-for-payment said, unless order.placed got there first. */
  async insertSnapshotIfAbsent(
    data: SnapshotData & { cancelledAt: Date | null },
  ): Promise<OrderSnapshot> {
    await this.prisma.orderSnapshot.createMany({ data: [data], skipDuplicates: true });
    return (await this.findSnapshot(data.orderId))!;
  }

  findIdempotencyKey(customerId: string, key: string) {
    return this.prisma.paymentIdempotencyKey.findUnique({
      where: { customerId_key: { customerId, key } },
      include: { payment: true },
    });
  }

  findPayment(id: string): Promise<Payment | null> {
    return this.prisma.payment.findUnique({ where: { id } });
  }

  findRefund(id: string) {
    return this.prisma.refund.findUnique({ where: { id }, include: { payment: true } });
  }

  recordCallback(record: CallbackRecord): Promise<void> {
    return this.transaction((ledger) => ledger.recordCallback(record));
  }
}
