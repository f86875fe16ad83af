import { printExecutableGraphQLDocument } from '@graphql-tools/documents';
import manifest from '@sky/client-kit/persisted-documents.json' with { type: 'json' };
import { findDemoUser } from '@sky/demo-data';
import { parse } from 'graphql';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dishNamed, noodleHouse, ORDERING_ENV } from '../flows.ts';
import { startTestSupergraph, type TestSupergraph } from '../supergraph.ts';
import { launchChromium, recordPageErrors, saveScreenshot, type TestBrowser } from './chromium.ts';
import { buildAndServeWebApp, type ServedWebApp } from './web-app.ts';

/**
 * The example web app in real Chromium, served from its own origin, against the whole platform
 * in server mode: a customer, the merchant console and a rider, each in a tab of their own. The
 * gateway enforces trusted documents, so every operation the pages send must be one of the
 * client kit's manifest.
 */
const PLATFORM_ENV = {
  ...ORDERING_ENV,
  // The sandbox provider confirms a payment by itself, as a real one would.
  SANDBOX_CALLBACK_DELAY_MS: '300',
  LOCATION_MIN_INTERVAL_MS: '1',
  OFFER_TIMEOUT_SECONDS: '60',
  DISPATCH_RETRY_SECONDS: '1',
  TRUSTED_DOCUMENTS: 'enforce',
};

let supergraph: TestSupergraph | undefined;
let app: ServedWebApp | undefined;
let browser: TestBrowser | undefined;
const buildDir = mkdtempSync(join(tmpdir(), 'sky-web-build-'));

beforeAll(async () => {
  // Building the app and starting the platform are independent: overlap them.
  const [platform, served] = await Promise.allSettled([
    startTestSupergraph({ env: PLATFORM_ENV }),
    buildAndServeWebApp(buildDir),
  ]);
  if (platform.status === 'fulfilled') supergraph = platform.value;
  if (served.status === 'fulfilled') app = served.value;
  if (platform.status === 'rejected') throw platform.reason;
  if (served.status === 'rejected') throw served.reason;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await supergraph?.stop();
  rmSync(buildDir, { recursive: true, force: true });
});

/** One request a page sent to the gateway over HTTP, with the answer it got. */
interface GatewayExchange {
  body: {
    operationName?: string;
    query?: string;
    extensions?: { persistedQuery?: { sha256Hash: string } };
  };
  status: number;
  allowOrigin: string | undefined;
  answer: { data?: unknown; errors?: { extensions?: { code?: string } }[] };
}

interface AppTab {
  page: Page;
  traffic: GatewayExchange[];
  errors: string[];
}

const tabs: AppTab[] = [];

/**
 * Reading a finished request's body is asynchronous, and the page may be closed before it is
 * read (a poll that finishes as the test ends). Every read is kept, so the test awaits them all
 * before it checks the traffic, and one that fails on a closed page is dropped, never left as an
 * unhandled rejection.
 */
const pendingReads: Promise<void>[] = [];

function recordGatewayTraffic(page: Page, gatewayUrl: string): GatewayExchange[] {
  const exchanges: GatewayExchange[] = [];
  page.on('requestfinished', (request: Request) => {
    if (request.url() !== gatewayUrl || request.method() !== 'POST') return;
    const read = (async () => {
      const response = await request.response();
      if (!response) return;
      exchanges.push({
        body: request.postDataJSON() as GatewayExchange['body'],
        status: response.status(),
        allowOrigin: response.headers()['access-control-allow-origin'],
        answer: (await response.json()) as GatewayExchange['answer'],
      });
    })().catch(() => undefined);
    pendingReads.push(read);
  });
  return exchanges;
}

/** A new tab on the app, pointed at the test gateway, signed in as a demo account. */
async function openSignedIn(demoKey: string): Promise<AppTab> {
  const page = await browser!.context.newPage();
  page.setDefaultTimeout(20_000);
  const tab = {
    page,
    errors: recordPageErrors(page),
    traffic: recordGatewayTraffic(page, supergraph!.gatewayUrl),
  };
  tabs.push(tab);
  await page.goto(`${app!.url}?gateway=${encodeURIComponent(supergraph!.gatewayUrl)}`);
  const { name } = findDemoUser(demoKey);
  await page.getByRole('button', { name }).click();
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByTestId('signed-in-as').filter({ hasText: name }).waitFor();
  return tab;
}

/** On a failure: a screenshot of every tab in the artifacts, and what each logged. */
async function explainFailure(error: unknown): Promise<never> {
  const notes: string[] = [];
  for (const [index, { page, errors }] of tabs.entries()) {
    await saveScreenshot(page, `failure-tab-${index + 1}`).catch(() => undefined);
    notes.push(`tab ${index + 1} at ${page.url()}: ${JSON.stringify(errors)}`);
  }
  throw new Error(`${(error as Error).message}\n${notes.join('\n')}`, { cause: error });
}

const orderStatusIs = (page: Page, status: string) =>
  page.locator(`[data-testid="order-status"][data-status="${status}"]`).waitFor();
const timelineReached = (page: Page, status: string) =>
  page.locator(`[data-testid="timeline"] li[data-status="${status}"].reached`).waitFor();
const secondsOf = (countdown: string) => {
  const [minutes, seconds] = countdown.split(':').map(Number);
  return minutes! * 60 + seconds!;
};
/** The id the gateway gives a document: the SHA-256 of its normalized printing. */
const manifestId = (query: string) =>
  `sha256:${createHash('sha256')
    .update(printExecutableGraphQLDocument(parse(query)))
    .digest('hex')}`;

async function orderPayTrackAndDeliver() {
  expect(new URL(app!.url).origin).not.toBe(new URL(supergraph!.gatewayUrl).origin);
  const appOrigin = new URL(app!.url).origin;

  // The customer signs in first; the other tabs' sign-ins then reuse the persisted query.
  const customer = await openSignedIn('alice');
  const merchant = await openSignedIn('staff-noodle-house');
  await merchant.page.getByTestId('live-status').filter({ hasText: 'live' }).waitFor();
  const rider = await openSignedIn('rider-li');
  await rider.page.getByTestId('rider-status').filter({ hasText: 'AVAILABLE' }).waitFor();

  // Nearby merchants, the menu, a dish with a flavor, the cart.
  const { page } = customer;
  await page.getByRole('link', { name: noodleHouse.name }).click();
  const beef = dishNamed(noodleHouse, '红烧牛肉面');
  const dishRow = page.getByTestId('dish').filter({ hasText: beef.name });
  await dishRow.getByRole('combobox').selectOption('微辣 Mild');
  await dishRow.getByRole('button', { name: `Add ${beef.name}` }).click();
  await page.getByTestId('cart-subtotal').filter({ hasText: '32.00' }).waitFor();
  await page.getByRole('link', { name: 'Check out' }).click();

  // Checkout: the server computes the total (dish 32 + packing 1 + delivery 5), then payment.
  await page.getByRole('button', { name: 'Place order' }).click();
  await orderStatusIs(page, 'PENDING_PAYMENT');
  const orderNumber = await page.getByTestId('order-number').innerText();
  expect(await page.getByTestId('order-total').innerText()).toContain('38.00');
  await page.getByRole('button', { name: /^Pay/ }).click();

  // The provider calls back; the order becomes TO_BE_CONFIRMED and reaches the console live.
  await orderStatusIs(page, 'TO_BE_CONFIRMED');
  await timelineReached(page, 'TO_BE_CONFIRMED');
  const card = merchant.page.locator(
    `[data-testid="incoming-order"][data-order-number="${orderNumber}"]`,
  );
  await card.locator('[data-status="TO_BE_CONFIRMED"]').waitFor();
  await merchant.page.getByTestId('feed').filter({ hasText: orderNumber }).waitFor();
  await card.getByRole('button', { name: 'Accept' }).click();
  await card.locator('[data-status="CONFIRMED"]').waitFor();
  // Dispatch holds the rider's offer until the food is about ready: the kitchen is done at once.
  await card.getByRole('button', { name: 'Food ready' }).click();
  await card.getByRole('button', { name: 'Food ready' }).waitFor({ state: 'detached' });

  // The customer's timeline advances without a reload.
  await orderStatusIs(page, 'CONFIRMED');
  await timelineReached(page, 'CONFIRMED');

  // Dispatch offers the delivery to the rider, who accepts and fetches the food.
  await rider.page.getByTestId('offer').getByRole('button', { name: 'Accept' }).click();
  await page
    .getByTestId('rider-name')
    .filter({ hasText: findDemoUser('rider-li').name })
    .waitFor();
  await rider.page.getByRole('button', { name: 'Arrived at the shop' }).click();
  await rider.page.getByRole('button', { name: 'Picked up' }).click();
  await orderStatusIs(page, 'DELIVERY_IN_PROGRESS');

  // Each ride reports a position; the customer's map follows the rider.
  const riderLocation = rider.page.getByTestId('rider-location');
  for (let step = 0; step < 3; step++) {
    const before = await riderLocation.getAttribute('data-latitude');
    await rider.page.getByRole('button', { name: 'Ride towards the customer' }).click();
    await rider.page
      .locator(`[data-testid="rider-location"]:not([data-latitude="${before}"])`)
      .waitFor();
  }
  const [latitude, longitude] = [
    await riderLocation.getAttribute('data-latitude'),
    await riderLocation.getAttribute('data-longitude'),
  ];
  await page
    .locator(
      `[data-testid="rider-marker"][data-latitude="${latitude}"][data-longitude="${longitude}"]`,
    )
    .waitFor();

  // The ETA counts down by itself between position reports.
  const firstEta = secondsOf(await page.getByTestId('eta').innerText());
  expect(firstEta).toBeGreaterThan(0);
  await page.waitForFunction((before) => {
    const [minutes, seconds] = (document.querySelector('[data-testid="eta"]')?.textContent ?? '')
      .split(':')
      .map(Number);
    return minutes! * 60 + seconds! < before;
  }, firstEta);
  await saveScreenshot(page, 'tracking-view');
  await saveScreenshot(merchant.page, 'merchant-console');
  await saveScreenshot(rider.page, 'rider-view');

  await rider.page.getByRole('button', { name: 'Delivered' }).click();
  await timelineReached(page, 'COMPLETED');
  await saveScreenshot(page, 'tracking-view-delivered');

  await Promise.all(pendingReads);
  const traffic = tabs.flatMap((tab) => tab.traffic);
  // Every answer was readable cross-origin, and no operation was refused as untrusted.
  expect(traffic.length).toBeGreaterThan(10);
  for (const exchange of traffic) expect(exchange.allowOrigin).toBe(appOrigin);
  const codes = traffic.flatMap((e) => e.answer.errors ?? []).map((e) => e.extensions?.code);
  expect(codes.filter((code) => code !== 'PERSISTED_QUERY_NOT_FOUND')).toEqual([]);
  for (const { body } of traffic.filter((e) => e.body.query)) {
    expect(manifest, body.operationName).toHaveProperty([manifestId(body.query!)]);
  }

  // Automatic persisted queries through Apollo Client's link: the first sign-in sent the hash
  // alone, was told PERSISTED_QUERY_NOT_FOUND and sent hash and query; the other tabs' sign-ins
  // were answered from the hash alone.
  const signIns = traffic.filter((e) => e.body.operationName === 'SignIn');
  const shape = signIns.map((e) => ({
    hashOnly: e.body.query === undefined && e.body.extensions?.persistedQuery !== undefined,
    answer: e.answer.errors?.[0]?.extensions?.code ?? (e.answer.data ? 'data' : 'nothing'),
  }));
  expect(shape).toEqual([
    { hashOnly: true, answer: 'PERSISTED_QUERY_NOT_FOUND' },
    { hashOnly: false, answer: 'data' },
    { hashOnly: true, answer: 'data' },
    { hashOnly: true, answer: 'data' },
  ]);
  expect(new Set(signIns.map((e) => e.body.extensions?.persistedQuery?.sha256Hash)).size).toBe(1);

  expect(tabs.flatMap((tab) => tab.errors)).toEqual([]);
}

describe('the example web app in Chromium', () => {
  it(
    'orders, pays and tracks an order live while the merchant accepts it and a rider delivers it',
    () => orderPayTrackAndDeliver().catch(explainFailure),
    120_000,
  );
});
