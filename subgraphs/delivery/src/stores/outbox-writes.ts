import { appendToOutbox, cancelJob, scheduleJob } from '@sky/events';
import type { Prisma } from '../__generated__/prisma/client.ts';
import type { DeliveryEvent } from '../domain/delivery-events.ts';
import type { ChangeLog } from './change-log.ts';

type Tx = Prisma.TransactionClient;

/** Events and durable timers, written in the transaction of the change they belong to. */
export class OutboxWrites {
  constructor(
    private readonly tx: Tx,
    private readonly log: ChangeLog,
  ) {}

  async append(event: DeliveryEvent): Promise<void> {
    await appendToOutbox(this.tx, {
      type: event.type,
      aggregateType: 'Delivery',
      aggregateId: event.payload.deliveryId,
      payload: { ...event.payload },
    });
    this.log.eventWritten();
  }

  async scheduleJob(job: {
    kind: string;
    key: string;
    dueAt: Date;
    payload: Record<string, unknown>;
  }): Promise<void> {
    await scheduleJob(this.tx, job);
  }

  async cancelJob(key: string): Promise<void> {
    await cancelJob(this.tx, key);
  }
}
