import { createLogger } from '@sky/logging';
import {
  createTestDatabase,
  startPrivateRedis,
  type PrivateRedis,
  type TestDatabase,
} from '@sky/testkit';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  cancelJob,
  Outbox,
  RedisStreamTransport,
  scheduleJob,
  startEventWorkers,
  transactionRunner,
  type EventWorkers,
  type SqlClient,
} from '../src/index.ts';
import { pgSqlClient } from './pg-client.ts';

/**
 * The outbox → Redis Streams → idempotent consumer path between two real databases ('order'
 * produces, 'payment' consumes order.placed), over a private redis-server that the tests stop,
 * restart and wipe.
 */
const logger = createLogger('events-test', 'silent');
const settings = { pollIntervalMs: 50, redeliverAfterMs: 1_000 };
let redis: PrivateRedis;
let producerDb: TestDatabase;
let consumerDb: TestDatabase;
let producerSql: ReturnType<typeof pgSqlClient>;
let consumerSql: ReturnType<typeof pgSqlClient>;
const running: { workers: EventWorkers; transport: RedisStreamTransport }[] = [];

beforeAll(async () => {
  redis = await startPrivateRedis();
  producerDb = await createTestDatabase('order');
  consumerDb = await createTestDatabase('payment');
  producerSql = pgSqlClient(producerDb.url);
  consumerSql = pgSqlClient(consumerDb.url);
  await consumerSql.$executeRawUnsafe(
    'CREATE TABLE effects (event_id uuid NOT NULL, order_id text NOT NULL)',
  );
});
afterEach(async () => {
  for (const { workers, transport } of running.splice(0)) {
    await workers.stop();
    await transport.close();
  }
});
afterAll(async () => {
  await producerSql?.end();
  await consumerSql?.end();
  await producerDb?.drop();
  await consumerDb?.drop();
  await redis?.stop();
});

/** The transaction helper a subgraph's kit builds; these tests kick nothing. */
const transactionOf = (client: ReturnType<typeof pgSqlClient>) =>
  transactionRunner(client, { kickRelay: () => {}, logger });

function start(role: 'producer' | 'consumer', namespace: string) {
  const transport = new RedisStreamTransport(redis.url, namespace, logger);
  const workers =
    role === 'producer'
      ? startEventWorkers({
          subgraph: 'order',
          client: producerSql,
          transaction: transactionOf(producerSql),
          transport,
          logger,
          relay: true,
          ...settings,
        })
      : startEventWorkers({
          subgraph: 'payment',
          client: consumerSql,
          transaction: transactionOf(consumerSql),
          transport,
          logger,
          relay: false,
          ...settings,
          handlers: {
            'order.placed': async (event, { tx }: { tx: SqlClient }) => {
              await tx.$executeRawUnsafe(
                'INSERT INTO effects (event_id, order_id) VALUES ($1::uuid, $2)',
                event.id,
                String(event.payload.orderId),
              );
            },
          },
        });
  const entry = { workers, transport };
  running.push(entry);
  return {
    stop: async () => {
      running.splice(running.indexOf(entry), 1);
      await workers.stop();
      await transport.close();
    },
  };
}

/** An order.placed payload as its contract describes it. */
const placedPayload = (orderId: string) => ({
  orderId,
  customerId: randomUUID(),
  merchantId: randomUUID(),
  orderNumber: `SKY${Date.now()}`,
  total: { amount: 4200, currency: 'CNY' },
  placedAt: new Date().toISOString(),
  paymentDueAt: null,
});

async function placeOrderEvent(): Promise<{ eventId: string; orderId: string }> {
  const orderId = randomUUID();
  const eventId = await producerSql.$transaction((tx) =>
    new Outbox(tx).append({
      type: 'order.placed',
      aggregateType: 'Order',
      aggregateId: orderId,
      payload: placedPayload(orderId),
    }),
  );
  return { eventId, orderId };
}

/**
 * An order.placed row whose payload breaks its contract, written past the Outbox (which would
 * refuse it), as a producer with a bug or an older release might have.
 */
async function malformedOrderEvent(): Promise<{ eventId: string; orderId: string }> {
  const orderId = randomUUID();
  const eventId = randomUUID();
  await producerSql.$executeRawUnsafe(
    `INSERT INTO outbox_events (id, "aggregateType", "aggregateId", type, payload, "pendingConsumers")
     VALUES ($1::uuid, 'Order', $2::uuid, 'order.placed', $3::jsonb, ARRAY['payment'])`,
    eventId,
    orderId,
    JSON.stringify({ ...placedPayload(orderId), total: { amount: 'a lot', currency: 'CNY' } }),
  );
  return { eventId, orderId };
}

const effectsOf = async (orderId: string) =>
  (
    await consumerSql.$queryRawUnsafe<unknown[]>(
      'SELECT 1 FROM effects WHERE order_id = $1',
      orderId,
    )
  ).length;

async function expectDeliveredOnce(eventId: string, orderId: string) {
  await vi.waitFor(
    async () => {
      const [row] = await producerSql.$queryRawUnsafe<
        { deliveredAt: Date | null; pendingConsumers: string[] }[]
      >('SELECT "deliveredAt", "pendingConsumers" FROM outbox_events WHERE id = $1::uuid', eventId);
      expect(row?.pendingConsumers).toEqual([]);
      expect(row?.deliveredAt).not.toBeNull();
    },
    { timeout: 20_000, interval: 100 },
  );
  expect(await effectsOf(orderId)).toBe(1);
}

describe('outbox relay and idempotent consumers over Redis Streams', () => {
  it('delivers an event once and marks it delivered when the consumer acknowledges', async () => {
    const namespace = `t-${randomUUID()}`;
    start('consumer', namespace);
    start('producer', namespace);
    const { eventId, orderId } = await placeOrderEvent();
    await expectDeliveredOnce(eventId, orderId);
  });

  it('keeps the event until a consumer that was down comes back', async () => {
    const namespace = `t-${randomUUID()}`;
    const consumer = start('consumer', namespace);
    start('producer', namespace);
    await consumer.stop();
    const { eventId, orderId } = await placeOrderEvent();
    // Published (and re-published) while nobody consumes: nothing happens, nothing is lost.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await effectsOf(orderId)).toBe(0);
    start('consumer', namespace);
    await expectDeliveredOnce(eventId, orderId);
  });

  it('survives Redis losing its contents between publish and consumption', async () => {
    const namespace = `t-${randomUUID()}`;
    const consumer = start('consumer', namespace);
    const producer = start('producer', namespace);
    await consumer.stop();
    const { eventId, orderId } = await placeOrderEvent();
    await vi.waitFor(async () => {
      const [row] = await producerSql.$queryRawUnsafe<{ publishedAt: Date | null }[]>(
        'SELECT "publishedAt" FROM outbox_events WHERE id = $1::uuid',
        eventId,
      );
      expect(row?.publishedAt).not.toBeNull();
    });
    await producer.stop();
    // Restarted empty: the stream, its groups and the published message are gone.
    await redis.stop();
    await redis.start();
    start('consumer', namespace);
    start('producer', namespace);
    await expectDeliveredOnce(eventId, orderId);
  });

  it('publishes what piled up while Redis was down once it is back', async () => {
    const namespace = `t-${randomUUID()}`;
    start('consumer', namespace);
    start('producer', namespace);
    await redis.stop();
    const { eventId, orderId } = await placeOrderEvent();
    await new Promise((r) => setTimeout(r, 500));
    expect(await effectsOf(orderId)).toBe(0);
    await redis.start();
    await expectDeliveredOnce(eventId, orderId);
  });

  it('parks a payload that breaks its contract, acknowledges it, and handles the next event', async () => {
    const namespace = `t-${randomUUID()}`;
    start('consumer', namespace);
    start('producer', namespace);
    const malformed = await malformedOrderEvent();
    const next = await placeOrderEvent();
    await expectDeliveredOnce(next.eventId, next.orderId);
    // Acknowledged like any other event, so the producer stops publishing it.
    await vi.waitFor(
      async () => {
        const [row] = await producerSql.$queryRawUnsafe<{ pendingConsumers: string[] }[]>(
          'SELECT "pendingConsumers" FROM outbox_events WHERE id = $1::uuid',
          malformed.eventId,
        );
        expect(row?.pendingConsumers).toEqual([]);
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(await effectsOf(malformed.orderId)).toBe(0);
    const parked = await consumerSql.$queryRawUnsafe<
      { consumer: string; type: string; producer: string; problems: string }[]
    >(
      'SELECT consumer, type, producer, problems FROM dead_letter_events WHERE "eventId" = $1::uuid',
      malformed.eventId,
    );
    expect(parked).toEqual([
      {
        consumer: 'payment',
        type: 'order.placed',
        producer: 'order',
        problems: expect.stringMatching(/total\.amount/),
      },
    ]);
    // Published again (as if its acknowledgement had been lost): dropped, not handled or parked twice.
    await producerSql.$executeRawUnsafe(
      `UPDATE outbox_events SET "deliveredAt" = NULL, "pendingConsumers" = ARRAY['payment'], "publishedAt" = NULL WHERE id = $1::uuid`,
      malformed.eventId,
    );
    await vi.waitFor(
      async () => {
        const [row] = await producerSql.$queryRawUnsafe<{ deliveredAt: Date | null }[]>(
          'SELECT "deliveredAt" FROM outbox_events WHERE id = $1::uuid',
          malformed.eventId,
        );
        expect(row?.deliveredAt).not.toBeNull();
      },
      { timeout: 20_000, interval: 100 },
    );
    const count = await consumerSql.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM dead_letter_events WHERE "eventId" = $1::uuid',
      malformed.eventId,
    );
    expect(count[0]!.n).toBe(1);
  });

  it('refuses to write a payload that breaks its contract, so the change rolls back', async () => {
    const orderId = randomUUID();
    await expect(
      producerSql.$transaction((tx) =>
        new Outbox(tx).append({
          type: 'order.placed',
          aggregateType: 'Order',
          aggregateId: orderId,
          // The contract wants integer minor units.
          payload: { ...placedPayload(orderId), total: { amount: 12.5, currency: 'CNY' } },
        }),
      ),
    ).rejects.toThrow();
    const rows = await producerSql.$queryRawUnsafe<unknown[]>(
      'SELECT 1 FROM outbox_events WHERE "aggregateId" = $1::uuid',
      orderId,
    );
    expect(rows).toHaveLength(0);
  });

  it('drops a redelivered event it has already handled, and acknowledges it again', async () => {
    const namespace = `t-${randomUUID()}`;
    start('consumer', namespace);
    start('producer', namespace);
    const { eventId, orderId } = await placeOrderEvent();
    await expectDeliveredOnce(eventId, orderId);
    // As if an acknowledgement had been lost: the relay publishes the event again.
    await producerSql.$executeRawUnsafe(
      `UPDATE outbox_events SET "deliveredAt" = NULL, "pendingConsumers" = ARRAY['payment'], "publishedAt" = NULL WHERE id = $1::uuid`,
      eventId,
    );
    await expectDeliveredOnce(eventId, orderId);
  });
});

describe('durable jobs', () => {
  it('runs a due job once, retries a failing one later, and honours cancellation', async () => {
    const namespace = `t-${randomUUID()}`;
    const transport = new RedisStreamTransport(redis.url, namespace, logger);
    const ran: string[] = [];
    let failuresLeft = 1;
    const workers = startEventWorkers({
      subgraph: 'order',
      client: producerSql,
      transaction: transactionOf(producerSql),
      transport,
      logger,
      relay: false,
      ...settings,
      jobs: {
        'test.ok': async (job) => {
          ran.push(job.key);
        },
        'test.flaky': async (job) => {
          if (failuresLeft-- > 0) throw new Error('provider unavailable');
          ran.push(job.key);
        },
      },
    });
    running.push({ workers, transport });
    const now = new Date();
    await producerSql.$transaction(async (tx) => {
      await scheduleJob(tx, { kind: 'test.ok', key: 'ok-1', dueAt: now, payload: {} });
      await scheduleJob(tx, { kind: 'test.flaky', key: 'flaky-1', dueAt: now, payload: {} });
      await scheduleJob(tx, {
        kind: 'test.ok',
        key: 'cancelled-1',
        dueAt: new Date(now.getTime() + 1_500),
        payload: {},
      });
      await cancelJob(tx, 'cancelled-1');
    });
    await vi.waitFor(() => expect(ran).toContain('ok-1'), { timeout: 5_000 });
    await vi.waitFor(() => expect(ran).toContain('flaky-1'), { timeout: 10_000 });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(ran.filter((k) => k === 'ok-1')).toHaveLength(1);
    expect(ran).not.toContain('cancelled-1');
    const left = await producerSql.$queryRawUnsafe<unknown[]>('SELECT 1 FROM scheduled_jobs');
    expect(left).toHaveLength(0);
  });
});
