import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ACCEPT,
  ARRIVED,
  confirmOrder,
  DELIVERED,
  MY_OFFER,
  newArea,
  offset,
  PICKED_UP,
  riderOnline,
  startDeliverySubgraph,
  type DeliveryHarness,
  type TestRider,
} from './harness.ts';

let harness: DeliveryHarness;

beforeAll(async () => {
  harness = await startDeliverySubgraph({ env: { DISPATCH_RETRY_SECONDS: '1' } });
});
afterAll(async () => {
  await harness?.stop();
});

/** Riders holding more than one active delivery (must always be none). */
async function ridersWithTwoActiveDeliveries(): Promise<unknown[]> {
  return harness.subgraph.prisma.$queryRaw<unknown[]>`
    SELECT "riderId", count(*)::int AS active FROM deliveries
    WHERE status IN ('ASSIGNED', 'ARRIVED_AT_MERCHANT', 'PICKED_UP')
    GROUP BY "riderId" HAVING count(*) > 1`;
}

describe('concurrent dispatch', () => {
  it('never gives one rider two active deliveries: 20 orders, 5 riders', async () => {
    const merchant = newArea();
    const riders = await Promise.all(
      Array.from({ length: 5 }, (_, i) => riderOnline(harness, offset(merchant, 100 + i * 50))),
    );
    // Twenty orders confirmed at once, each handled in its own consumer transaction.
    const orders = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        confirmOrder(harness, {
          pickup: offset(merchant, 0, i * 20),
          dropoff: offset(merchant, -1000, i * 20),
        }),
      ),
    );
    const orderIds = orders.map((o) => o.orderId);
    const deliveries = await harness.subgraph.prisma.delivery.findMany({
      where: { orderId: { in: orderIds } },
    });
    expect(deliveries).toHaveLength(20);
    // Each rider is asked about exactly one delivery; the other fifteen wait.
    expect(deliveries.filter((d) => d.status === 'OFFERED')).toHaveLength(5);
    expect(deliveries.filter((d) => d.status === 'WAITING_FOR_RIDER')).toHaveLength(15);
    const pending = await harness.subgraph.prisma.deliveryOffer.findMany({
      where: { response: 'PENDING', deliveryId: { in: deliveries.map((d) => d.id) } },
    });
    expect(new Set(pending.map((o) => o.riderId)).size).toBe(5);

    // Every rider tries to accept every delivery at the same moment: only their own offer works.
    const attempts = await Promise.all(
      riders.flatMap((rider) =>
        deliveries.map(async (delivery) => ({
          rider: rider.id,
          response: await harness.run<{ acceptDeliveryOffer: { id: string } }>(
            ACCEPT,
            { id: delivery.id },
            rider.token,
          ),
        })),
      ),
    );
    const accepted = attempts.filter((a) => a.response.data?.acceptDeliveryOffer);
    expect(accepted).toHaveLength(5);
    expect(new Set(accepted.map((a) => a.rider)).size).toBe(5);
    expect(await ridersWithTwoActiveDeliveries()).toEqual([]);

    // The database itself refuses a second active delivery for a rider.
    const assigned = await harness.subgraph.prisma.delivery.findFirstOrThrow({
      where: { orderId: { in: orderIds }, status: 'ASSIGNED' },
    });
    const waiting = await harness.subgraph.prisma.delivery.findFirstOrThrow({
      where: { orderId: { in: orderIds }, status: 'WAITING_FOR_RIDER' },
    });
    await expect(
      harness.subgraph.prisma.delivery.update({
        where: { id: waiting.id },
        data: { activeRiderId: assigned.activeRiderId },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });

    // The riders work through all twenty orders side by side while a monitor watches.
    const allDelivered = async () =>
      (await harness.subgraph.prisma.delivery.count({
        where: { orderId: { in: orderIds }, status: 'DELIVERED' },
      })) === 20;
    let violations: unknown[] = [];
    let monitoring = true;
    const monitor = (async () => {
      while (monitoring) {
        const found = await ridersWithTwoActiveDeliveries();
        if (found.length > 0) violations = found;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const work = async (rider: TestRider) => {
      const deadline = Date.now() + 40_000;
      while (!(await allDelivered()) && Date.now() < deadline) {
        const active = await harness.subgraph.prisma.delivery.findUnique({
          where: { activeRiderId: rider.id },
        });
        let deliveryId = active?.id;
        if (!deliveryId) {
          const offer = await harness.run<{ myDeliveryOffer: { delivery: { id: string } } | null }>(
            MY_OFFER,
            {},
            rider.token,
          );
          deliveryId = offer.data?.myDeliveryOffer?.delivery.id;
          if (!deliveryId) {
            await new Promise((resolve) => setTimeout(resolve, 30));
            continue;
          }
          if ((await harness.run(ACCEPT, { id: deliveryId }, rider.token)).errors) continue;
        }
        for (const step of [ARRIVED, PICKED_UP, DELIVERED]) {
          const result = await harness.run(step, { id: deliveryId }, rider.token);
          expect(result.errors).toBeUndefined();
        }
      }
    };
    await Promise.all(riders.map(work));
    monitoring = false;
    await monitor;

    expect(violations).toEqual([]);
    expect(await allDelivered()).toBe(true);
    const done = await harness.subgraph.prisma.delivery.findMany({
      where: { orderId: { in: orderIds } },
    });
    expect(done.every((d) => d.activeRiderId === null && d.riderId !== null)).toBe(true);
    const riderIds = new Set(riders.map((r) => r.id));
    expect(done.every((d) => riderIds.has(d.riderId!))).toBe(true);
    const finalRiders = await harness.subgraph.prisma.rider.findMany({
      where: { id: { in: [...riderIds] } },
    });
    expect(finalRiders.every((r) => r.status === 'AVAILABLE')).toBe(true);
  }, 60_000);
});
