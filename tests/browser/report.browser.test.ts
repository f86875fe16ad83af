import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDemoUser } from '@sky/demo-data';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { noodleHouse } from '../flows.ts';
import { insertOrders, withDatabase } from '../report-fixtures.ts';
import { startTestSupergraph, type TestSupergraph } from '../supergraph.ts';
import { launchChromium, recordPageErrors, saveScreenshot, type TestBrowser } from './chromium.ts';
import { buildAndServeWebApp, type ServedWebApp } from './web-app.ts';

/**
 * The merchant console's report page in real Chromium, from its own origin, against the platform
 * in server mode with trusted documents enforced: signed in as the Noodle House's staff, the page
 * charts the last 30 days, with orders written into the order database a few days back.
 */
let supergraph: TestSupergraph | undefined;
let app: ServedWebApp | undefined;
let browser: TestBrowser | undefined;
const buildDir = mkdtempSync(join(tmpdir(), 'sky-web-build-'));

beforeAll(async () => {
  const [platform, served] = await Promise.allSettled([
    startTestSupergraph({ env: { TRUSTED_DOCUMENTS: 'enforce' } }),
    buildAndServeWebApp(buildDir),
  ]);
  if (platform.status === 'fulfilled') supergraph = platform.value;
  if (served.status === 'fulfilled') app = served.value;
  if (platform.status === 'rejected') throw platform.reason;
  if (served.status === 'rejected') throw served.reason;
  await withDatabase(supergraph!.databases.order!.url, (client) =>
    insertOrders(
      client,
      [1, 2, 2, 3, 5].map((daysAgo, index) => ({
        id: randomUUID(),
        merchantId: noodleHouse.id,
        placedAt: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
        status: 'COMPLETED' as const,
        total: 2000 + index * 500,
      })),
    ),
  );
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await supergraph?.stop();
  rmSync(buildDir, { recursive: true, force: true });
});

it('charts turnover and orders per day for the signed-in merchant staff', async () => {
  const page = await browser!.context.newPage();
  page.setDefaultTimeout(20_000);
  const errors = recordPageErrors(page);
  await page.goto(`${app!.url}?gateway=${encodeURIComponent(supergraph!.gatewayUrl)}`);
  const { name } = findDemoUser('staff-noodle-house');
  await page.getByRole('button', { name }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: name }).waitFor();
  await page.getByRole('link', { name: 'Reports' }).click();
  await page.getByTestId('report').waitFor();
  const screenshot = await saveScreenshot(page, 'merchant-report');

  // 30 bars per chart; the days with orders have bars of positive height.
  for (const chart of ['turnover-chart', 'orders-chart']) {
    const bars = page.getByTestId(chart).locator('rect');
    expect(await bars.count()).toBe(30);
    const values = await bars.evaluateAll((rects) =>
      rects.map((rect) => Number(rect.getAttribute('data-value'))),
    );
    const heights = await bars.evaluateAll((rects) =>
      rects.map((rect) => Number(rect.getAttribute('height'))),
    );
    expect(values.filter((value) => value > 0).length).toBeGreaterThanOrEqual(3);
    expect(heights.some((height) => height > 0)).toBe(true);
  }
  const orders = await page
    .getByTestId('orders-chart')
    .locator('rect')
    .evaluateAll((rects) => rects.map((rect) => Number(rect.getAttribute('data-value'))));
  // The demo history may add its own orders; the fixture's five are there at least.
  expect(orders.reduce((sum, value) => sum + value, 0)).toBeGreaterThanOrEqual(5);
  expect(screenshot).toMatch(/merchant-report\.png$/);
  expect(errors).toEqual([]);
});
