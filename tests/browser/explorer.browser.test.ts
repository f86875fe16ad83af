import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSupergraph, type TestSupergraph } from '../supergraph.ts';
import { launchChromium, recordPageErrors, saveScreenshot, type TestBrowser } from './chromium.ts';

/**
 * The gateway's offline explorer (GraphiQL at /graphiql) in real headless Chromium, against the
 * whole platform in server mode: the page loads nothing from outside the gateway, signs in with
 * the demo login its first tab documents, runs a query with the token in the Headers tab, and
 * runs a subscription over graphql-ws with the same token.
 */
let supergraph: TestSupergraph | undefined;
let browser: TestBrowser | undefined;
let page: Page;
let gatewayOrigin: string;
const foreignRequests: string[] = [];
const socketFramesSent: string[] = [];
let pageErrors: string[] = [];
let token = '';
/** One of the signed-in customer's orders (the demo data gives her some). */
let orderId = '';
let orderStatus = '';

beforeAll(async () => {
  supergraph = await startTestSupergraph();
  gatewayOrigin = new URL(supergraph.gatewayUrl).origin;
  browser = await launchChromium();
  page = await browser.context.newPage();
  pageErrors = recordPageErrors(page);
  page.on('request', (request) => {
    const url = request.url();
    // Monaco's workers start from blob: URLs the page makes itself.
    if (!url.startsWith(gatewayOrigin) && !url.startsWith(`blob:${gatewayOrigin}`)) {
      foreignRequests.push(url);
    }
  });
  page.on('websocket', (socket) =>
    socket.on('framesent', (frame) => socketFramesSent.push(String(frame.payload))),
  );
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await supergraph?.stop();
});

/** An element's visible text; Monaco lays text out with non-breaking spaces. */
const textOf = async (selector: string) =>
  (await page.locator(selector).innerText()).replace(/\u00a0/g, ' ');
const responseText = () => textOf('.graphiql-response');

/** Runs one operation of the document in the operation editor (GraphiQL asks which one). */
async function execute(operationName?: string) {
  await page.click('.graphiql-execute-button');
  if (operationName) {
    await page.getByRole('menuitem', { name: operationName, exact: true }).click();
  }
}

/**
 * Replaces the text of a Monaco editor the way a person does it: select all, paste. (Typed text
 * would get closing brackets added by the editor.)
 */
async function replaceEditorText(editor: string, text: string) {
  await page.locator(`${editor} .monaco-editor >> visible=true`).first().click();
  await page.keyboard.press('Control+A');
  await page.evaluate((pasted) => {
    const clipboardData = new DataTransfer();
    clipboardData.setData('text/plain', pasted);
    document.activeElement?.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData, bubbles: true, cancelable: true }),
    );
  }, text);
  // GraphiQL takes an editor's text a moment later (debounced), and stores it a little after
  // that: once it is in storage, the next run uses it.
  const key = editor === '.graphiql-query-editor' ? 'graphiql:query' : 'graphiql:headers';
  await expect
    .poll(() => page.evaluate((storageKey) => localStorage.getItem(storageKey) ?? '', key))
    .toBe(text);
}

describe('offline GraphiQL', () => {
  it('loads from the gateway alone and opens with the demo sign-in', async () => {
    await page.goto(`${gatewayOrigin}/graphiql`);
    await page.waitForSelector('.graphiql-execute-button', { timeout: 60_000 });
    await expect
      .poll(() => textOf('.graphiql-query-editor'), { timeout: 30_000 })
      .toContain('mutation SignIn');
    expect(foreignRequests).toEqual([]);
  });

  it('runs the sign-in from its first tab and shows the answer', async () => {
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('SignIn'),
    );
    await execute('SignIn');
    const body = (await (await answered).json()) as {
      data?: { login: { accessToken: string; user: { name: string } } };
    };
    expect(body.data?.login.user.name).toBe('张丽 Alice Zhang');
    await expect.poll(() => responseText(), { timeout: 30_000 }).toContain('accessToken');
    await expect.poll(() => responseText()).toContain('Alice Zhang');
    token = body.data!.login.accessToken;
  });

  it('sends the Headers tab: a signed-in query answers for the signed-in user', async () => {
    await replaceEditorText(
      'section.graphiql-editor-tool',
      JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2),
    );
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('MyOrders'),
    );
    await execute('MyOrders');
    const myOrders = await answered;
    expect(myOrders.request().headers()['authorization']).toBe(`Bearer ${token}`);
    const body = (await myOrders.json()) as {
      data: { me: { orders: { edges: { node: { id: string; status: string } }[] } } };
    };
    const [firstOrder] = body.data.me.orders.edges;
    expect(firstOrder).toBeDefined();
    orderId = firstOrder!.node.id;
    orderStatus = firstOrder!.node.status;
    await expect.poll(() => responseText(), { timeout: 30_000 }).toMatch(/"me":[\s\S]*Alice Zhang/);
    await saveScreenshot(page, 'explorer-signed-in');
  });

  it('runs a subscription over graphql-ws with the token as connectionParams.authorization', async () => {
    const socket = page.waitForEvent('websocket');
    // Her own order: the order subgraph authorizes the subscriber itself, so the first message
    // (the order as it is now) proves the token travelled through the gateway's socket.
    await replaceEditorText(
      '.graphiql-query-editor',
      `subscription Live {\n  orderStatusChanged(orderId: "${orderId}") {\n    id\n    status\n    version\n  }\n}\n`,
    );
    expect(await textOf('.graphiql-tab-button')).toBe('Live');
    await execute();
    expect((await socket).url()).toBe(`${gatewayOrigin.replace(/^http/, 'ws')}/graphql`);
    await expect.poll(() => responseText(), { timeout: 30_000 }).toContain(orderId);
    expect(await responseText()).toContain(`"status": "${orderStatus}"`);
    const init = socketFramesSent.map(
      (frame) => JSON.parse(frame) as { type: string; payload?: unknown },
    );
    expect(init).toContainEqual({
      type: 'connection_init',
      payload: { authorization: `Bearer ${token}` },
    });
    await saveScreenshot(page, 'explorer-subscription');
    expect(foreignRequests).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
