import express from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createPaymentSandbox,
  loadConfig,
  signCallback,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  type PaymentSandbox,
  type SandboxCallbackBody,
} from '../src/index.ts';

const SECRET = 'sandbox-test-secret-0123456789abcdef';

interface Received {
  body: string;
  timestamp: string;
  signature: string;
}

/** A merchant webhook that records what it gets and answers the statuses it is told to. */
let received: Received[] = [];
let answers: number[] = [];
let merchant: Server;
let callbackUrl: string;

let sandbox: PaymentSandbox;
let api: string;

const post = async (path: string, body: unknown) => {
  const response = await fetch(api + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const get = async (path: string) => {
  const response = await fetch(api + path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

const newPayment = (overrides: Record<string, unknown> = {}) => ({
  merchantReference: randomUUID(),
  amount: 4250,
  currency: 'CNY',
  callbackUrl,
  ...overrides,
});

async function waitFor(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  const app = express();
  app.post('/hook', express.text({ type: '*/*' }), (req, res) => {
    received.push({
      body: req.body as string,
      timestamp: req.header(TIMESTAMP_HEADER)!,
      signature: req.header(SIGNATURE_HEADER)!,
    });
    res.status(answers.shift() ?? 200).json({ ok: true });
  });
  merchant = createServer(app);
  await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
  callbackUrl = `http://127.0.0.1:${(merchant.address() as AddressInfo).port}/hook`;

  sandbox = createPaymentSandbox(
    loadConfig({
      PAYMENT_WEBHOOK_SECRET: SECRET,
      // Callbacks only through the test trigger, except where a test waits for the timer.
      SANDBOX_CALLBACK_DELAY_MS: '60000',
      SANDBOX_CALLBACK_RETRY_BASE_MS: '20',
      SANDBOX_CALLBACK_MAX_ATTEMPTS: '4',
      SANDBOX_REFUND_FORGOTTEN_PAYMENTS: 'false',
      LOG_LEVEL: 'silent',
    }),
  );
  api = (await sandbox.listen(0)).url;
});

afterAll(async () => {
  await sandbox?.stop();
  merchant?.closeAllConnections();
  await new Promise<void>((resolve) => merchant?.close(() => resolve()));
});

beforeEach(() => {
  received = [];
  answers = [];
});

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig({ PAYMENT_WEBHOOK_SECRET: SECRET })).toMatchObject({
      port: 4010,
      callbackDelayMs: 2000,
      defaultOutcome: 'success',
      refundForgottenPayments: true,
    });
  });

  it('refuses a short secret and an unknown outcome, reporting both', () => {
    expect(() =>
      loadConfig({ PAYMENT_WEBHOOK_SECRET: 'short', SANDBOX_DEFAULT_OUTCOME: 'maybe' }),
    ).toThrow(/PAYMENT_WEBHOOK_SECRET[\s\S]*SANDBOX_DEFAULT_OUTCOME/);
  });
});

describe('payments', () => {
  it('answers PENDING, then calls back with a signed SUCCEEDED event on the trigger', async () => {
    const request = newPayment();
    const created = await post('/v1/payments', request);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'PENDING' });
    const id = created.body.providerPaymentId as string;

    const completed = await post(`/v1/test/payments/${id}/complete`, {});
    expect(completed.body).toMatchObject({ status: 'SUCCEEDED', delivered: true });
    expect(received).toHaveLength(1);
    const [callback] = received;
    expect(callback!.signature).toBe(
      signCallback(SECRET, Number(callback!.timestamp), callback!.body),
    );
    expect(Math.abs(Number(callback!.timestamp) - Date.now() / 1000)).toBeLessThan(5);
    const body = JSON.parse(callback!.body) as SandboxCallbackBody;
    expect(body).toMatchObject({
      providerPaymentId: id,
      merchantReference: request.merchantReference,
      status: 'SUCCEEDED',
      amount: 4250,
      currency: 'CNY',
    });
    expect(body.eventId).toMatch(/^evt_/);
    expect((await get(`/v1/payments/${id}`)).body).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('is idempotent on merchantReference and refuses the reference with another amount', async () => {
    const request = newPayment();
    const first = await post('/v1/payments', request);
    const again = await post('/v1/payments', request);
    expect(again.status).toBe(200);
    expect(again.body.providerPaymentId).toBe(first.body.providerPaymentId);
    const concurrent = await Promise.all(
      Array.from({ length: 10 }, () => post('/v1/payments', request)),
    );
    expect(new Set(concurrent.map((r) => r.body.providerPaymentId))).toEqual(
      new Set([first.body.providerPaymentId]),
    );
    const conflicting = await post('/v1/payments', { ...request, amount: 1 });
    expect(conflicting.status).toBe(409);
  });

  it('declines when asked to', async () => {
    const created = await post('/v1/payments', newPayment({ outcome: 'decline' }));
    await post(`/v1/test/payments/${created.body.providerPaymentId}/complete`, {});
    expect(JSON.parse(received[0]!.body)).toMatchObject({ status: 'DECLINED' });
  });

  it('never calls back a timeout payment unless the trigger overrides the outcome', async () => {
    const created = await post('/v1/payments', newPayment({ outcome: 'timeout' }));
    const id = created.body.providerPaymentId as string;
    expect((await post(`/v1/test/payments/${id}/complete`, {})).status).toBe(409);
    expect(received).toHaveLength(0);
    const late = await post(`/v1/test/payments/${id}/complete`, { outcome: 'success' });
    expect(late.body).toMatchObject({ status: 'SUCCEEDED', delivered: true });
  });

  it('calls back by itself after the configured delay', async () => {
    const quick = createPaymentSandbox(
      loadConfig({
        PAYMENT_WEBHOOK_SECRET: SECRET,
        SANDBOX_CALLBACK_DELAY_MS: '30',
        LOG_LEVEL: 'silent',
      }),
    );
    const { url } = await quick.listen(0);
    try {
      await fetch(`${url}/v1/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(newPayment()),
      });
      await waitFor(() => received.length === 1);
      expect(JSON.parse(received[0]!.body)).toMatchObject({ status: 'SUCCEEDED' });
    } finally {
      await quick.stop();
    }
  });

  it('retries an unacknowledged callback with the same event and a fresh signature', async () => {
    answers = [500, 401];
    const created = await post('/v1/payments', newPayment());
    const id = created.body.providerPaymentId as string;
    const completed = await post(`/v1/test/payments/${id}/complete`, {});
    expect(completed.body).toMatchObject({ delivered: false, responseStatus: 500 });
    await waitFor(() => received.length === 3);
    expect(new Set(received.map((r) => r.body)).size).toBe(1);
    for (const r of received)
      expect(r.signature).toBe(signCallback(SECRET, Number(r.timestamp), r.body));
    const { body } = await get(`/v1/test/payments/${id}/callbacks`);
    expect(body.callbacks).toMatchObject([{ state: 'DELIVERED', attempts: 3 }]);
  });

  it('gives up after the last attempt', async () => {
    answers = [500, 500, 500, 500, 500];
    const created = await post('/v1/payments', newPayment());
    const id = created.body.providerPaymentId as string;
    await post(`/v1/test/payments/${id}/complete`, {});
    await waitFor(() => received.length === 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toHaveLength(4);
    const { body } = await get(`/v1/test/payments/${id}/callbacks`);
    expect(body.callbacks).toMatchObject([{ state: 'GAVE_UP', attempts: 4 }]);
  });

  it('resends the last callback on request', async () => {
    const created = await post('/v1/payments', newPayment());
    const id = created.body.providerPaymentId as string;
    await post(`/v1/test/payments/${id}/complete`, {});
    const resent = await post(`/v1/test/payments/${id}/redeliver`, {});
    expect(resent.body).toMatchObject({ delivered: true });
    expect(received).toHaveLength(2);
    expect(received[1]!.body).toBe(received[0]!.body);
  });

  it('finds a payment by merchantReference and answers 404 for unknown ones', async () => {
    const request = newPayment();
    await post('/v1/payments', request);
    const found = await get(`/v1/payments?merchantReference=${request.merchantReference}`);
    expect(found.body).toMatchObject({ status: 'PENDING', amount: 4250 });
    expect((await get(`/v1/payments?merchantReference=${randomUUID()}`)).status).toBe(404);
    expect((await get('/v1/payments/pay_nope')).status).toBe(404);
  });

  it('validates requests', async () => {
    const bad = await post('/v1/payments', newPayment({ amount: 12.5 }));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('fails on purpose when a fault is injected', async () => {
    await post('/v1/test/faults', { failNextPayments: 1 });
    expect((await post('/v1/payments', newPayment())).status).toBe(503);
    expect((await post('/v1/payments', newPayment())).status).toBe(201);
  });
});

describe('refunds', () => {
  async function succeededPayment() {
    const created = await post('/v1/payments', newPayment());
    const id = created.body.providerPaymentId as string;
    await post(`/v1/test/payments/${id}/complete`, {});
    return id;
  }

  it('refunds a succeeded payment once per merchantReference', async () => {
    const id = await succeededPayment();
    const request = { providerPaymentId: id, amount: 4250, merchantReference: randomUUID() };
    const first = await post('/v1/refunds', request);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'SUCCEEDED', amount: 4250 });
    const again = await post('/v1/refunds', request);
    expect(again.status).toBe(200);
    expect(again.body.providerRefundId).toBe(first.body.providerRefundId);
    expect((await get(`/v1/payments/${id}`)).body).toMatchObject({ refundedAmount: 4250 });
  });

  it('refuses more than the payment, pending payments and unknown payments', async () => {
    const id = await succeededPayment();
    const tooMuch = await post('/v1/refunds', {
      providerPaymentId: id,
      amount: 4251,
      merchantReference: randomUUID(),
    });
    expect(tooMuch.status).toBe(422);
    const pending = await post('/v1/payments', newPayment());
    const early = await post('/v1/refunds', {
      providerPaymentId: pending.body.providerPaymentId,
      amount: 1,
      merchantReference: randomUUID(),
    });
    expect(early.status).toBe(409);
    const unknown = await post('/v1/refunds', {
      providerPaymentId: 'pay_nope',
      amount: 1,
      merchantReference: randomUUID(),
    });
    expect(unknown.status).toBe(404);
  });

  it('refunds a payment made before it started, once, when told to', async () => {
    const forgetful = createPaymentSandbox(
      loadConfig({ PAYMENT_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'silent' }),
    );
    const { url } = await forgetful.listen(0);
    const refund = (merchantReference: string) =>
      fetch(`${url}/v1/refunds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          providerPaymentId: 'pay_from_before',
          amount: 500,
          merchantReference,
        }),
      });
    try {
      expect((await refund(randomUUID())).status).toBe(201);
      expect((await refund(randomUUID())).status).toBe(422);
    } finally {
      await forgetful.stop();
    }
  });

  it('fails on purpose when a refund fault is injected', async () => {
    const id = await succeededPayment();
    await post('/v1/test/faults', { failNextRefunds: 1 });
    const request = { providerPaymentId: id, amount: 100, merchantReference: randomUUID() };
    expect((await post('/v1/refunds', request)).status).toBe(503);
    expect((await post('/v1/refunds', request)).status).toBe(201);
  });
});
