import type { Express, Request, Response } from 'express';
import ExcelJS from 'exceljs';

/** Where the workbook is served; GET with `Authorization: Bearer <access token>`. */
export const REPORT_EXPORT_PATH = '/reports/export.xlsx';
/** The export covers the last 30 days, today included, as the reference platform's does. */
const EXPORT_DAYS = 30;

/** The report the workbook is made of, asked through the gateway like any client would. */
const EXPORT_QUERY = /* GraphQL */ `
  query ReportExport($merchantId: ID, $from: String!, $to: String!, $timeZone: String) {
    businessReport(merchantId: $merchantId, from: $from, to: $to, timeZone: $timeZone) {
      scope
      from
      to
      timeZone
      days {
        date
        figures {
          turnover
          orders
          validOrders
          cancelledOrders
          completionRate
          averageOrderValue
        }
      }
      totals {
        turnover
        orders
        validOrders
        cancelledOrders
        completionRate
        averageOrderValue
      }
      topSellers(limit: 10) {
        name
        quantity
      }
      userDays {
        newUsers
        totalUsers
      }
      refundDays {
        figures {
          refunds
          refundedAmount
        }
      }
      refundTotals {
        refunds
        refundedAmount
      }
      deliveryDays {
        figures {
          delivered
          averageMinutes
        }
      }
      deliveryTotals {
        delivered
        averageMinutes
      }
    }
  }
`;

interface OrderFigures {
  turnover: number;
  orders: number;
  validOrders: number;
  cancelledOrders: number;
  completionRate: number;
  averageOrderValue: number;
}

interface ExportReport {
  scope: 'MERCHANT' | 'PLATFORM';
  from: string;
  to: string;
  timeZone: string;
  days: { date: string; figures: OrderFigures }[];
  totals: OrderFigures;
  topSellers: { name: string; quantity: number }[];
  userDays: { newUsers: number; totalUsers: number }[];
  refundDays: { figures: { refunds: number; refundedAmount: number } }[];
  refundTotals: { refunds: number; refundedAmount: number };
  deliveryDays: { figures: { delivered: number; averageMinutes: number | null } }[];
  deliveryTotals: { delivered: number; averageMinutes: number | null };
}

const HTTP_STATUS: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
};
const YUAN = '"¥"#,##0.00';
const PERCENT = '0.0%';
const yuan = (minorUnits: number) => minorUnits / 100;

/**
 * The Excel export of the last 30 days: an `Overview` sheet and a `Daily` sheet, streamed to a
 * caller who shows an access token (never a public or guessable URL). It lives in the gateway
 * because the workbook holds every subgraph's figures: the route asks the gateway's own GraphQL
 * endpoint (loopback, with the caller's token), so each subgraph checks the caller exactly as it
 * does for `businessReport`, and no figure is computed twice.
 */
export function mountReportExport(app: Express): void {
  app.get(REPORT_EXPORT_PATH, async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    const authorization = req.get('authorization');
    if (!authorization?.startsWith('Bearer ')) {
      res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'Sign in to do this.' } });
      return;
    }
    const merchantId = typeof req.query.merchantId === 'string' ? req.query.merchantId : null;
    const timeZone = typeof req.query.timeZone === 'string' ? req.query.timeZone : 'Asia/Shanghai';
    let to: string;
    try {
      to = new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());
    } catch {
      res.status(400).json({ error: { code: 'BAD_USER_INPUT', message: 'Unknown time zone.' } });
      return;
    }
    const from = new Date(Date.parse(to) - (EXPORT_DAYS - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const response = await fetch(`http://127.0.0.1:${req.socket.localPort}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization,
      },
      body: JSON.stringify({
        query: EXPORT_QUERY,
        operationName: 'ReportExport',
        variables: { merchantId, from, to, timeZone },
      }),
    });
    const body = (await response.json()) as {
      data?: { businessReport: ExportReport } | null;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    if (body.errors?.length || !body.data) {
      const code = body.errors?.[0]?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
      res.status(HTTP_STATUS[code] ?? 502).json({
        error: { code, message: body.errors?.[0]?.message ?? 'The report failed.' },
      });
      return;
    }
    const report = body.data.businessReport;
    const workbook = buildWorkbook(report);
    const name = `report-${merchantId ?? 'platform'}-${from}-${to}.xlsx`;
    res.setHeader(
      'content-type',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    res.setHeader('content-disposition', `attachment; filename="${name}"`);
    await workbook.xlsx.write(res);
    res.end();
  });
}

/** The workbook: figures as numbers (amounts in yuan with a currency format), never as text. */
export function buildWorkbook(report: ExportReport): ExcelJS.Workbook {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Sky Take-out';
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

  const overview = workbook.addWorksheet('Overview');
  overview.columns = [{ width: 28 }, { width: 22 }];
  overview.addRow(['Business report', report.scope === 'PLATFORM' ? 'Platform' : 'Merchant']);
  overview.addRow(['Days', `${report.from} – ${report.to}`]);
  overview.addRow(['Time zone', report.timeZone]);
  overview.addRow([]);
  const rows: [string, number | null, string?][] = [
    ['Turnover', yuan(report.totals.turnover), YUAN],
    ['Orders', report.totals.orders],
    ['Valid orders', report.totals.validOrders],
    ['Cancelled orders', report.totals.cancelledOrders],
    ['Completion rate', report.totals.completionRate, PERCENT],
    ['Average order value', yuan(report.totals.averageOrderValue), YUAN],
    ['New users', sum(report.userDays.map((day) => day.newUsers))],
    ['Refunds', report.refundTotals.refunds],
    ['Refunded amount', yuan(report.refundTotals.refundedAmount), YUAN],
    ['Deliveries', report.deliveryTotals.delivered],
    ['Average delivery minutes', report.deliveryTotals.averageMinutes],
  ];
  for (const [label, value, format] of rows) {
    const row = overview.addRow([label, value]);
    if (format) row.getCell(2).numFmt = format;
  }
  overview.addRow([]);
  overview.addRow(['Top 10 by quantity', 'Quantity']).font = { bold: true };
  for (const seller of report.topSellers) overview.addRow([seller.name, seller.quantity]);

  const daily = workbook.addWorksheet('Daily');
  daily.columns = [
    { header: 'Date', width: 12 },
    { header: 'Turnover', width: 14, style: { numFmt: YUAN } },
    { header: 'Orders', width: 9 },
    { header: 'Valid orders', width: 12 },
    { header: 'Cancelled', width: 10 },
    { header: 'Completion rate', width: 15, style: { numFmt: PERCENT } },
    { header: 'Average order value', width: 19, style: { numFmt: YUAN } },
    { header: 'New users', width: 10 },
    { header: 'Total users', width: 11 },
    { header: 'Refunds', width: 9 },
    { header: 'Refunded amount', width: 16, style: { numFmt: YUAN } },
    { header: 'Deliveries', width: 10 },
    { header: 'Average delivery minutes', width: 22 },
  ];
  daily.getRow(1).font = { bold: true };
  report.days.forEach((day, index) => {
    const users = report.userDays[index]!;
    const refunds = report.refundDays[index]!.figures;
    const deliveries = report.deliveryDays[index]!.figures;
    daily.addRow([
      day.date,
      yuan(day.figures.turnover),
      day.figures.orders,
      day.figures.validOrders,
      day.figures.cancelledOrders,
      day.figures.completionRate,
      yuan(day.figures.averageOrderValue),
      users.newUsers,
      users.totalUsers,
      refunds.refunds,
      yuan(refunds.refundedAmount),
      deliveries.delivered,
      deliveries.averageMinutes,
    ]);
  });
  return workbook;
}
