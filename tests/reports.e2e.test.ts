/**
 * Workspace and reports through the gateway (server mode, one database per subgraph), against a
 * hand-computed fixture written straight into each subgraph's database with explicit instants:
 * orders around midnight in Asia/Shanghai (UTC+8), a cancelled order, an order still waiting,
 * refunds, deliveries and customer accounts. Then who may read which report.
 */
import { graphql } from '@sky/testkit';
import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_REPORT, WORKSPACE } from './operations.ts';
import { insertOrders, withDatabase } from './report-fixtures.ts';
import { startTestSupergraph, type TestSupergraph } from './supergraph.ts';

const merchantA = randomUUID();
const merchantB = randomUUID();
/** Has orders in the last 30 days, for the export. */
const merchantC = randomUUID();
const dishNoodles = randomUUID();
const dishDumplings = randomUUID();
const dishSoup = randomUUID();
const comboA = randomUUID();
const cancelledOrder = randomUUID();

let supergraph: TestSupergraph;
let tokens: Record<'admin' | 'staffA' | 'staffB' | 'staffC' | 'customer' | 'rider', string>;

beforeAll(async () => {
  supergraph = await startTestSupergraph({ seed: false });
  const { databases } = supergraph;
  await withDatabase(databases.order!.url, (client) =>
    insertOrders(client, [
      // 2026-10-31 23:59:59.999 in Shanghai: the day before the range.
      {
        merchantId: merchantA,
        placedAt: '2026-10-31T15:59:59.999Z',
        status: 'COMPLETED',
        total: 1000,
      },
      // 2026-11-01 00:00:00.000 in Shanghai: the first instant of the range.
      {
        merchantId: merchantA,
        placedAt: '2026-10-31T16:00:00.000Z',
        status: 'COMPLETED',
        total: 2000,
        items: [{ dishId: dishNoodles, name: 'Beef noodles', quantity: 2 }],
      },
      // 2026-11-01 23:59:59 in Shanghai; cancelled (and refunded): an order, never a valid one.
      {
        id: cancelledOrder,
        merchantId: merchantA,
        placedAt: '2026-11-01T15:59:59.000Z',
        status: 'CANCELLED',
        total: 5000,
        items: [{ dishId: dishSoup, name: 'Soup', quantity: 10 }],
      },
      // 2026-11-02 00:00 in Shanghai (still 11-01 in UTC).
      {
        merchantId: merchantA,
        placedAt: '2026-11-01T16:00:00.000Z',
        status: 'COMPLETED',
        total: 3000,
        items: [
          { dishId: dishNoodles, name: 'Beef noodles', quantity: 1 },
          { dishId: dishDumplings, name: 'Dumplings', quantity: 5 },
        ],
      },
      {
        merchantId: merchantA,
        placedAt: '2026-11-02T10:00:00.000Z',
        status: 'COMPLETED',
        total: 4500,
        items: [{ setMealId: comboA, name: 'Combo A', quantity: 3 }],
      },
      // Paid, waiting for the merchant: an order, neither valid nor cancelled.
      {
        merchantId: merchantA,
        placedAt: '2026-11-02T12:00:00.000Z',
        status: 'TO_BE_CONFIRMED',
        total: 700,
      },
      // 2026-11-03 23:59:59 in Shanghai.
      {
        merchantId: merchantA,
        placedAt: '2026-11-03T15:59:59.000Z',
        status: 'COMPLETED',
        total: 1234,
        items: [{ dishId: dishDumplings, name: 'Dumplings', quantity: 1 }],
      },
      // 2026-11-04 00:00 in Shanghai: the day after the range.
      {
        merchantId: merchantA,
        placedAt: '2026-11-03T16:00:00.000Z',
        status: 'COMPLETED',
        total: 8000,
      },
      // Another merchant's: only in the platform report.
      {
        merchantId: merchantB,
        placedAt: '2026-11-02T10:00:00.000Z',
        status: 'COMPLETED',
        total: 9999,
      },
      ...[
        { daysAgo: 1, status: 'COMPLETED' as const, total: 2550 },
        { daysAgo: 2, status: 'CANCELLED' as const, total: 1000 },
        { daysAgo: 40, status: 'COMPLETED' as const, total: 7777 },
      ].map(({ daysAgo, status, total }) => ({
        merchantId: merchantC,
        placedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
        status,
        total,
        items: [{ dishId: dishNoodles, name: 'Beef noodles', quantity: 2 }],
      })),
    ]),
  );
  await withDatabase(databases.user!.url, async (client) => {
    const account = (roles: string, createdAt: string, merchantId: string | null = null) =>
      client.query(
        `INSERT INTO users (id, email, name, "passwordHash", roles, "merchantId", "createdAt", "updatedAt")
         VALUES ($1, $2, 'Fixture', 'x', $3::"Role"[], $4, $5, $5)`,
        [randomUUID(), `${randomUUID()}@fixture.test`, roles, merchantId, createdAt],
      );
    await account('{CUSTOMER}', '2026-10-20T00:00:00.000Z');
    await account('{CUSTOMER}', '2026-10-31T16:30:00.000Z'); // 11-01 00:30 in Shanghai
    await account('{CUSTOMER}', '2026-11-02T15:59:00.000Z'); // 11-02 23:59
    await account('{CUSTOMER}', '2026-11-02T16:00:00.000Z'); // 11-03 00:00
    await account('{MERCHANT_STAFF}', '2026-11-02T08:00:00.000Z', merchantA); // not a customer
  });
  await withDatabase(databases.payment!.url, async (client) => {
    const refund = async (
      merchantId: string,
      status: string,
      amount: number,
      completedAt: string,
    ) => {
      const payment = randomUUID();
      await client.query(
        `INSERT INTO payments (id, "orderId", "customerId", "merchantId", amount, status, method, "createdAt", "paidAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, 'REFUNDED', 'SANDBOX', $6, $6, $6)`,
        [
          payment,
          merchantId === merchantA ? cancelledOrder : randomUUID(),
          randomUUID(),
          merchantId,
          amount,
          '2026-11-01T15:59:59.000Z',
        ],
      );
      await client.query(
        `INSERT INTO refunds (id, "paymentId", amount, status, "createdAt", "completedAt", "updatedAt")
         VALUES ($1, $2, $3, $4::"RefundStatus", $5, $5, $5)`,
        [randomUUID(), payment, amount, status, completedAt],
      );
    };
    // 2026-11-02 01:00 in Shanghai (11-01 in UTC).
    await refund(merchantA, 'SUCCEEDED', 5000, '2026-11-01T17:00:00.000Z');
    await refund(merchantA, 'FAILED', 300, '2026-11-02T03:00:00.000Z');
    await refund(merchantB, 'SUCCEEDED', 100, '2026-11-02T03:00:00.000Z');
  });
  await withDatabase(databases.delivery!.url, async (client) => {
    const delivery = (createdAt: string, deliveredAt: string, merchantId = merchantA) =>
      client.query(
        `INSERT INTO deliveries (id, "orderId", "merchantId", "customerId", status, "pickupLatitude", "pickupLongitude",
           "dropoffLatitude", "dropoffLongitude", "distanceMeters", "createdAt", "updatedAt", "deliveredAt")
         VALUES ($1, $2, $3, $4, 'DELIVERED', 31.2, 121.4, 31.21, 121.41, 1500, $5, $6, $6)`,
        [randomUUID(), randomUUID(), merchantId, randomUUID(), createdAt, deliveredAt],
      );
    await delivery('2026-11-01T15:40:00.000Z', '2026-11-01T16:20:00.000Z'); // 40 min, 11-02 00:20
    await delivery('2026-11-02T10:00:00.000Z', '2026-11-02T10:30:00.000Z'); // 30 min, 11-02
    await delivery('2026-11-03T15:30:00.000Z', '2026-11-03T16:10:00.000Z'); // 11-04: outside
    await delivery('2026-11-02T10:00:00.000Z', '2026-11-02T11:00:00.000Z', merchantB);
  });
  tokens = {
    admin: supergraph.tokenFor({ userId: randomUUID(), roles: ['ADMIN'] }),
    staffA: supergraph.tokenFor({
      userId: randomUUID(),
      roles: ['MERCHANT_STAFF'],
      merchantId: merchantA,
    }),
    staffC: supergraph.tokenFor({
      userId: randomUUID(),
      roles: ['MERCHANT_STAFF'],
      merchantId: merchantC,
    }),
    staffB: supergraph.tokenFor({
      userId: randomUUID(),
      roles: ['MERCHANT_STAFF'],
      merchantId: merchantB,
    }),
    customer: supergraph.tokenFor({ userId: randomUUID(), roles: ['CUSTOMER'] }),
    rider: supergraph.tokenFor({ userId: randomUUID(), roles: ['RIDER'] }),
  };
});
afterAll(async () => {
  await supergraph?.stop();
});

/** The parts of the answer the assertions index into; the rest is compared whole. */
interface ReportData {
  id: string;
  scope: string;
  days: { date: string; figures: Record<string, number> }[];
  totals: Record<string, number>;
  [field: string]: unknown;
}

const RANGE = { from: '2026-11-01', to: '2026-11-03', timeZone: 'Asia/Shanghai' };

function report(token: string | undefined, variables: Record<string, unknown>) {
  return graphql<{ businessReport: ReportData }>(supergraph.gatewayUrl, BUSINESS_REPORT, {
    token,
    variables: { ...RANGE, ...variables },
  });
}

const figures = (turnover: number, orders: number, valid: number, cancelled: number) => ({
  turnover,
  orders,
  validOrders: valid,
  cancelledOrders: cancelled,
  completionRate: orders === 0 ? 0 : valid / orders,
  averageOrderValue: valid === 0 ? 0 : Math.round(turnover / valid),
});

describe('a merchant report agrees with the hand-computed fixture', () => {
  it('cuts days at midnight in Shanghai and keeps cancelled orders out of valid orders', async () => {
    const { data, errors } = await report(tokens.staffA, { merchantId: merchantA });
    expect(errors).toBeUndefined();
    const result = data!.businessReport;
    expect(result.id).toBe(`${merchantA}|2026-11-01|2026-11-03|Asia/Shanghai`);
    expect(result.scope).toBe('MERCHANT');
    expect(result.days).toEqual([
      { date: '2026-11-01', figures: figures(2000, 2, 1, 1) },
      { date: '2026-11-02', figures: figures(7500, 3, 2, 0) },
      { date: '2026-11-03', figures: figures(1234, 1, 1, 0) },
    ]);
    expect(result.totals).toEqual(figures(10734, 6, 4, 1));
    expect(result.totals.averageOrderValue).toBe(2684);
    // Completed orders only (the cancelled order's 10 soups do not count); ties by name.
    expect(result.topSellers).toEqual([
      { dish: { id: dishDumplings }, setMeal: null, name: 'Dumplings', quantity: 6 },
      { dish: { id: dishNoodles }, setMeal: null, name: 'Beef noodles', quantity: 3 },
      { dish: null, setMeal: { id: comboA }, name: 'Combo A', quantity: 3 },
    ]);
  });

  it('takes new and total customers from user, refunds from payment, delivery times from delivery', async () => {
    const { data, errors } = await report(tokens.staffA, { merchantId: merchantA });
    expect(errors).toBeUndefined();
    const result = data!.businessReport;
    expect(result.userDays).toEqual([
      { date: '2026-11-01', newUsers: 1, totalUsers: 2 },
      { date: '2026-11-02', newUsers: 1, totalUsers: 3 },
      { date: '2026-11-03', newUsers: 1, totalUsers: 4 },
    ]);
    expect(result.refundDays).toEqual([
      { date: '2026-11-01', figures: { refunds: 0, refundedAmount: 0 } },
      { date: '2026-11-02', figures: { refunds: 1, refundedAmount: 5000 } },
      { date: '2026-11-03', figures: { refunds: 0, refundedAmount: 0 } },
    ]);
    expect(result.refundTotals).toEqual({ refunds: 1, refundedAmount: 5000 });
    expect(result.deliveryDays).toEqual([
      { date: '2026-11-01', figures: { delivered: 0, averageMinutes: null, maxMinutes: null } },
      { date: '2026-11-02', figures: { delivered: 2, averageMinutes: 35, maxMinutes: 40 } },
      { date: '2026-11-03', figures: { delivered: 0, averageMinutes: null, maxMinutes: null } },
    ]);
    expect(result.deliveryTotals).toEqual({ delivered: 2, averageMinutes: 35, maxMinutes: 40 });
  });

  it('moves the day boundary with the time zone', async () => {
    // In UTC the order placed at 2026-10-31T16:00Z is on 10-31 and the one at 11-01T16:00Z on 11-01.
    const { data, errors } = await report(tokens.staffA, {
      merchantId: merchantA,
      timeZone: 'UTC',
    });
    expect(errors).toBeUndefined();
    expect(data!.businessReport.days.map((day) => [day.date, day.figures.orders])).toEqual([
      ['2026-11-01', 2],
      ['2026-11-02', 2],
      ['2026-11-03', 2],
    ]);
  });

  it('gives admins the platform-wide report: every merchant', async () => {
    const { data, errors } = await report(tokens.admin, {});
    expect(errors).toBeUndefined();
    const result = data!.businessReport;
    expect(result.scope).toBe('PLATFORM');
    expect(result.totals).toEqual(figures(10734 + 9999, 7, 5, 1));
    expect(result.refundTotals).toEqual({ refunds: 2, refundedAmount: 5100 });
    expect(result.deliveryTotals).toEqual({
      delivered: 3,
      averageMinutes: (40 + 30 + 60) / 3,
      maxMinutes: 60,
    });
  });
});

describe('the workspace', () => {
  it("shows today's figures, the order overview and the menu overview", async () => {
    const { data, errors } = await graphql<{ workspace: Record<string, unknown> }>(
      supergraph.gatewayUrl,
      WORKSPACE,
      { token: tokens.staffA, variables: { merchantId: merchantA } },
    );
    expect(errors).toBeUndefined();
    const workspace = data!.workspace;
    expect(workspace.scope).toBe('MERCHANT');
    expect(workspace.timeZone).toBe('Asia/Shanghai');
    // The fixture is in the past: nothing today, but the overview counts every order now.
    expect(workspace.today).toEqual({
      turnover: 0,
      orders: 0,
      validOrders: 0,
      completionRate: 0,
      averageOrderValue: 0,
    });
    expect(workspace.orderOverview).toEqual({
      pendingPayment: 0,
      toBeConfirmed: 1,
      confirmed: 0,
      deliveryInProgress: 0,
      completed: 6,
      cancelled: 1,
      all: 8,
    });
    expect(workspace.newUsers).toBe(0);
    expect(workspace.dishOverview).toEqual({ onSale: 0, offSale: 0 });
  });
});

describe('who may read reports', () => {
  it('refuses another merchant, customers, riders and the platform report to staff', async () => {
    for (const [token, variables] of [
      [tokens.staffB, { merchantId: merchantA }],
      [tokens.customer, { merchantId: merchantA }],
      [tokens.rider, { merchantId: merchantA }],
      [tokens.staffA, {}],
      [tokens.customer, {}],
    ] as const) {
      const { data, errors } = await report(token, variables);
      expect(data).toBeNull();
      expect(errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const workspace = await graphql(supergraph.gatewayUrl, WORKSPACE, {
      token: tokens.staffB,
      variables: { merchantId: merchantA },
    });
    expect(workspace.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('answers UNAUTHENTICATED without a token', async () => {
    const { errors } = await report(undefined, { merchantId: merchantA });
    expect(errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses bad ranges with BAD_USER_INPUT and the field', async () => {
    for (const [variables, field] of [
      [{ from: '2026-11-31' }, 'from'],
      [{ from: '2026-11-04' }, 'from'],
      [{ from: '2025-01-01', to: '2026-11-03' }, 'to'],
      [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    ] as const) {
      const { errors } = await report(tokens.admin, { merchantId: merchantA, ...variables });
      expect(errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(JSON.stringify(errors)).not.toMatch(/\.ts:\d+|stacktrace/);
    }
  });
});

describe('the Excel export', () => {
  const exportUrl = (merchantId: string) =>
    new URL(`/reports/export.xlsx?merchantId=${merchantId}`, supergraph.gatewayUrl).href;

  it('streams the last 30 days as an Overview and a Daily sheet', async () => {
    const response = await fetch(exportUrl(merchantC), {
      headers: { authorization: `Bearer ${tokens.staffC}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await response.arrayBuffer());
    const overview = workbook.getWorksheet('Overview')!;
    const value = (label: string) => {
      let found: unknown;
      overview.eachRow((row) => {
        if (row.getCell(1).value === label) found = row.getCell(2).value;
      });
      return found;
    };
    // The order of 40 days ago is outside the 30 days; the cancelled one is not valid.
    expect(value('Turnover')).toBe(25.5);
    expect(value('Orders')).toBe(2);
    expect(value('Valid orders')).toBe(1);
    expect(value('Cancelled orders')).toBe(1);
    expect(value('Completion rate')).toBe(0.5);
    expect(value('Average order value')).toBe(25.5);
    expect(value('Beef noodles')).toBe(2);

    const daily = workbook.getWorksheet('Daily')!;
    expect(daily.rowCount).toBe(31);
    expect(daily.getRow(1).getCell(2).value).toBe('Turnover');
    const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(Date.now() - 86_400_000),
    );
    const rows = daily.getRows(2, 30)!;
    const row = rows.find((candidate) => candidate.getCell(1).value === yesterday)!;
    expect([2, 3, 4, 5].map((column) => row.getCell(column).value)).toEqual([25.5, 1, 1, 0]);
    expect(rows.reduce((sum, candidate) => sum + Number(candidate.getCell(3).value), 0)).toBe(2);
  });

  it('needs a token and refuses another merchant', async () => {
    const anonymous = await fetch(exportUrl(merchantC));
    expect(anonymous.status).toBe(401);
    const stranger = await fetch(exportUrl(merchantC), {
      headers: { authorization: `Bearer ${tokens.staffB}` },
    });
    expect(stranger.status).toBe(403);
    expect(await stranger.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const customer = await fetch(exportUrl(merchantC), {
      headers: { authorization: `Bearer ${tokens.customer}` },
    });
    expect(customer.status).toBe(403);
  });
});
