import { useQuery } from '@apollo/client/react';
import { MerchantReportDocument } from '@sky/client-kit';
import { BarChart } from '../components/BarChart.tsx';
import { ErrorNote } from '../components/ErrorNote.tsx';
import { formatMoney } from '../format.ts';
import { currentToken } from '../session.ts';
import { gatewayUrl } from '../settings.ts';

const DAYS = 30;
const TIME_ZONE = 'Asia/Shanghai';

/** The last `DAYS` days, today included, in the platform's zone (YYYY-MM-DD). */
function lastDays(): { from: string; to: string } {
  const to = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
  const from = new Date(Date.parse(to) - (DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/** The merchant console's report (数据统计): turnover and orders per day over the last 30 days. */
export function ReportView({ merchant }: { merchant: { id: string; name: string } }) {
  const range = lastDays();
  const report = useQuery(MerchantReportDocument, {
    variables: { merchantId: merchant.id, ...range, timeZone: TIME_ZONE },
    fetchPolicy: 'network-only',
  });
  if (report.error) return <ErrorNote error={report.error} />;
  const data = report.data?.businessReport;
  if (!data) return <p>Loading the report…</p>;
  const money = (amount: number) => formatMoney({ amount, currency: data.currency });
  return (
    <section className="report" data-testid="report">
      <h2>
        {merchant.name}: {data.from} – {data.to}
      </h2>
      <dl className="report-totals">
        <dt>Turnover</dt>
        <dd data-testid="report-turnover">{money(data.totals.turnover)}</dd>
        <dt>Valid orders</dt>
        <dd>
          {data.totals.validOrders} of {data.totals.orders}
        </dd>
        <dt>Completion rate</dt>
        <dd>{(data.totals.completionRate * 100).toFixed(1)}%</dd>
        <dt>Average order value</dt>
        <dd>{money(data.totals.averageOrderValue)}</dd>
      </dl>
      <BarChart
        title="Turnover per day"
        testId="turnover-chart"
        points={data.days.map((day) => ({ label: day.date, value: day.figures.turnover }))}
        format={money}
      />
      <BarChart
        title="Orders per day"
        testId="orders-chart"
        points={data.days.map((day) => ({ label: day.date, value: day.figures.orders }))}
        format={(value) => String(value)}
      />
      <button
        type="button"
        onClick={() => void downloadExport(merchant.id)}
        data-testid="report-export"
      >
        Export the last 30 days (.xlsx)
      </button>
    </section>
  );
}

/** The export needs the access token, so it is fetched and saved rather than linked. */
async function downloadExport(merchantId: string) {
  const url = new URL(`/reports/export.xlsx?merchantId=${merchantId}`, gatewayUrl);
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${currentToken() ?? ''}` },
  });
  if (!response.ok) return;
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await response.blob());
  link.download = `report-${merchantId}.xlsx`;
  link.click();
  URL.revokeObjectURL(link.href);
}
