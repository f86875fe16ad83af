import { appendToOutbox, cancelJob, scheduleJob } from '@sky/events';
import type { Prisma } from '../__generated__/prisma/client.ts';
import type { OutgoingEvent } from '../domain/order-events.ts';

type Tx = Prisma.TransactionClient;

/** Events and durable timers, written in the transaction of the change they belong to. */
export class OutboxWrites {
  constructor(private readonly tx: Tx) {}

  async append(event: OutgoingEvent): Promise<void> {
    await appendToOutbox(this.tx, { ...event, aggregateType: 'Order' });
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
